// The whole store's type. Each slice adds its fields to it beside its own interface (`declare module './store'`), so
// a slice names the store it lives in without importing index.ts, which imports every slice: no import circle.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the slices fill it in
export interface Store {}
