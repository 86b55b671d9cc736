// Every chart exports as SVG and PNG, and every table as the text a service formatted: saved through the
// browser's download (works in Electron's window too), under a name the user can find later.

/** Saves text or a blob as a file. */
export function download(fileName: string, content: Blob | string, type = 'text/plain;charset=utf-8'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart's own <svg>: the largest in the container, since legend icons are small <svg>s that can come first. */
function chartElement(container: HTMLElement): SVGSVGElement | null {
  const area = (svg: SVGSVGElement) => {
    const r = svg.getBoundingClientRect();
    return r.width * r.height;
  };
  return [...container.querySelectorAll('svg')].reduce<SVGSVGElement | null>((best, svg) => (!best || area(svg) > area(best) ? svg : best), null);
}

/** The chart's <svg> as a standalone document, with the font and background it had on screen. */
export function chartSvg(container: HTMLElement): string {
  const svg = chartElement(container);
  if (!svg) throw new Error('There is no chart to export yet.');
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  const style = getComputedStyle(container);
  copy.setAttribute('style', `font-family: ${style.fontFamily}; font-size: ${style.fontSize}; background: #fff`);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#fff');
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** The chart rendered to PNG at twice its on-screen size. */
export async function chartPng(container: HTMLElement, scale = 2): Promise<Blob> {
  const svgText = chartSvg(container);
  const { width, height } = chartElement(container)!.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
