// Module loader hook for main/electron/shell.test.ts: `electron` resolves to a stand-in. The parent's URL is
// part of the stand-in's URL, so each copy of the built main process gets a stand-in instance of its own.
export async function resolve(specifier, context, next) {
  if (specifier !== 'electron') return next(specifier, context);
  const url = new URL('./electron-stand-in.js', import.meta.url);
  url.searchParams.set('for', context.parentURL ?? '');
  return { url: url.href, shortCircuit: true };
}
