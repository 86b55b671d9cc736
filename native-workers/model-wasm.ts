// The logistic kernel with its two matrix-vector products (eta = X alpha and X^T r) in
// WebAssembly SIMD (f64x2), sampler.md §4: they are ~55% of the scalar gradient. exp/log per
// row stay in JS (expNeg, Math.log). The module is a few hundred bytes emitted here directly, so
// there is no build step and no dependency. Same 4-row blocking as the JS kernel; K is padded to
// an even number of columns so every row is a whole number of 16-byte lanes.

import { expNeg, LogisticModel, type LogisticData, type Target } from './model';

// ---- a minimal WebAssembly binary writer ---------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  ltu: [0x49],
  geu: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  f64load: (off: number) => [0x2b, 3, ...uleb(off)],
  f64store: (off: number) => [0x39, 3, ...uleb(off)],
  f64add: [0xa0],
  vload: [0xfd, 0x00, 4, 0],
  vstore: [0xfd, 0x0b, 4, 0],
  vzero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  splat: [0xfd, 0x14],
  lane: (l: number) => [0xfd, 0x21, l],
  vadd: [0xfd, 0xf0, 0x01],
  vmul: [0xfd, 0xf2, 0x01],
};

// Both functions take (X, vecIn, vecOut, nPad, rowBytes) as byte offsets/counts.
const P_X = 0, P_IN = 1, P_OUT = 2, P_NPAD = 3, P_ROW = 4;

/** rowX_j(k) address: o + j*rowBytes + k */
function rowAddr(o: number, k: number, j: number): number[] {
  const b = [...op.get(o), ...op.get(k), ...op.add];
  if (j > 0) b.push(...op.get(P_ROW), ...op.i32(j), ...op.mul, ...op.add);
  return b;
}

/** eta[i] = X_i . q, four rows at a time, q and the rows read two doubles per load. */
function matvecBody(): number[] {
  const END = 5, K = 6, O = 7, QA = 8, A0 = 9; // locals: 3 i32, then 5 v128
  const b: number[] = [];
  b.push(...op.get(P_X), ...op.get(P_NPAD), ...op.get(P_ROW), ...op.mul, ...op.add, ...op.set(END));
  b.push(...op.get(P_X), ...op.set(O));
  b.push(...op.block, ...op.loop);
  b.push(...op.get(O), ...op.get(END), ...op.geu, ...op.brIf(1));
  for (let j = 0; j < 4; j++) b.push(...op.vzero, ...op.set(A0 + j));
  b.push(...op.i32(0), ...op.set(K));
  b.push(...op.loop);
  b.push(...op.get(P_IN), ...op.get(K), ...op.add, ...op.vload, ...op.set(QA));
  for (let j = 0; j < 4; j++) {
    b.push(...op.get(A0 + j), ...rowAddr(O, K, j), ...op.vload, ...op.get(QA), ...op.vmul, ...op.vadd, ...op.set(A0 + j));
  }
  b.push(...op.get(K), ...op.i32(16), ...op.add, ...op.tee(K), ...op.get(P_ROW), ...op.ltu, ...op.brIf(0));
  b.push(...op.end);
  for (let j = 0; j < 4; j++) {
    b.push(...op.get(P_OUT), ...op.get(A0 + j), ...op.lane(0), ...op.get(A0 + j), ...op.lane(1), ...op.f64add, ...op.f64store(8 * j));
  }
  b.push(...op.get(P_OUT), ...op.i32(32), ...op.add, ...op.set(P_OUT));
  b.push(...op.get(O), ...op.get(P_ROW), ...op.i32(4), ...op.mul, ...op.add, ...op.set(O));
  b.push(...op.br(0), ...op.end, ...op.end);
  return [...uleb(2), ...uleb(3), I32, ...uleb(5), V128, ...b, ...op.end];
}

/** g = sum_i X_i r_i: per block of four rows, g[k..k+1] += sum_j X_j[k..k+1] * r_j. */
function scatterBody(): number[] {
  const END = 5, K = 6, O = 7, S0 = 8; // locals: 3 i32, then 4 v128
  const b: number[] = [];
  // g = 0
  b.push(...op.i32(0), ...op.set(K), ...op.loop);
  b.push(...op.get(P_OUT), ...op.get(K), ...op.add, ...op.vzero, ...op.vstore);
  b.push(...op.get(K), ...op.i32(16), ...op.add, ...op.tee(K), ...op.get(P_ROW), ...op.ltu, ...op.brIf(0), ...op.end);
  b.push(...op.get(P_X), ...op.get(P_NPAD), ...op.get(P_ROW), ...op.mul, ...op.add, ...op.set(END));
  b.push(...op.get(P_X), ...op.set(O));
  b.push(...op.block, ...op.loop);
  b.push(...op.get(O), ...op.get(END), ...op.geu, ...op.brIf(1));
  for (let j = 0; j < 4; j++) b.push(...op.get(P_IN), ...op.f64load(8 * j), ...op.splat, ...op.set(S0 + j));
  b.push(...op.i32(0), ...op.set(K));
  b.push(...op.loop);
  b.push(...op.get(P_OUT), ...op.get(K), ...op.add); // store address
  b.push(...op.get(P_OUT), ...op.get(K), ...op.add, ...op.vload);
  for (let j = 0; j < 4; j++) b.push(...rowAddr(O, K, j), ...op.vload, ...op.get(S0 + j), ...op.vmul, ...op.vadd);
  b.push(...op.vstore);
  b.push(...op.get(K), ...op.i32(16), ...op.add, ...op.tee(K), ...op.get(P_ROW), ...op.ltu, ...op.brIf(0));
  b.push(...op.end);
  b.push(...op.get(P_IN), ...op.i32(32), ...op.add, ...op.set(P_IN));
  b.push(...op.get(O), ...op.get(P_ROW), ...op.i32(4), ...op.mul, ...op.add, ...op.set(O));
  b.push(...op.br(0), ...op.end, ...op.end);
  return [...uleb(2), ...uleb(3), I32, ...uleb(4), V128, ...b, ...op.end];
}

function moduleBytes(pages: number): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0]]));
  const imports = section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, ...uleb(pages)]]));
  const funcs = section(3, vec([[0], [0]]));
  const exports = section(7, vec([[...name('matvec'), 0x00, 0], [...name('scatter'), 0x00, 1]]));
  const code = section(10, vec([matvecBody(), scatterBody()].map((body) => [...uleb(body.length), ...body])));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

let simdSupported: boolean | undefined;

/** Does this runtime run WebAssembly SIMD (Node >= 16.4, current browsers)? */
export function wasmSimdSupported(): boolean {
  if (simdSupported === undefined) {
    try {
      simdSupported = typeof WebAssembly === 'object' && WebAssembly.validate(moduleBytes(1));
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported;
}

type Kernel = (x: number, vin: number, vout: number, nPad: number, rowBytes: number) => void;

/** Same density as LogisticModel (model.ts); the matrix-vector products run in WASM SIMD. */
export class LogisticModelWasm implements Target {
  readonly dim: number;
  private readonly y: Float64Array;
  private readonly nPad: number;
  private readonly rowBytes: number;
  private readonly invScale: number;
  private readonly padCorrection: number;
  private readonly matvec: Kernel;
  private readonly scatter: Kernel;
  private readonly offX: number;
  private readonly offQ: number;
  private readonly offG: number;
  private readonly offEta: number;
  private readonly offR: number;
  private readonly Q: Float64Array;
  private readonly G: Float64Array;
  private readonly eta: Float64Array;
  private readonly r: Float64Array;

  constructor(readonly data: LogisticData, readonly priorScale: number) {
    if (!(priorScale > 0)) throw new RangeError('priorScale must be > 0');
    const { K, nPad } = data;
    const KP = K + (K & 1);
    this.dim = K;
    this.y = data.y;
    this.nPad = nPad;
    this.rowBytes = KP * 8;
    this.invScale = 1 / priorScale;
    this.padCorrection = (nPad - data.n) * Math.LN2;
    // memory: X (nPad x KP) | q (KP) | g (KP) | eta (nPad) | r (nPad), all 16-byte aligned
    this.offX = 0;
    this.offQ = nPad * this.rowBytes;
    this.offG = this.offQ + this.rowBytes;
    this.offEta = this.offG + this.rowBytes;
    this.offR = this.offEta + nPad * 8 + (nPad & 1) * 8;
    const bytes = this.offR + nPad * 8 + 16;
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(pages)), { e: { m: memory } });
    this.matvec = instance.exports.matvec as Kernel;
    this.scatter = instance.exports.scatter as Kernel;
    const buf = memory.buffer;
    const X = new Float64Array(buf, this.offX, nPad * KP);
    for (let i = 0; i < nPad; i++) for (let k = 0; k < K; k++) X[i * KP + k] = data.X[i * K + k];
    this.Q = new Float64Array(buf, this.offQ, KP);
    this.G = new Float64Array(buf, this.offG, KP);
    this.eta = new Float64Array(buf, this.offEta, nPad);
    this.r = new Float64Array(buf, this.offR, nPad);
  }

  logDensityGradient(q: Float64Array, grad: Float64Array): number {
    const K = this.dim;
    const Q = this.Q, eta = this.eta, r = this.r, y = this.y;
    for (let k = 0; k < K; k++) Q[k] = q[k];
    this.matvec(this.offX, this.offQ, this.offEta, this.nPad, this.rowBytes);
    let lp = 0;
    for (let i = 0; i < this.nPad; i++) {
      // the same branch-free stable softplus/sigmoid as the JS kernel
      const e = eta[i];
      const a = Math.abs(e);
      const t = expNeg(a);
      const u = 1 + t;
      const yi = y[i];
      lp += yi * e - 0.5 * (e + a) - Math.log(u);
      r[i] = yi - (e >= 0 ? 1 : t) / u;
    }
    this.scatter(this.offX, this.offR, this.offG, this.nPad, this.rowBytes);
    lp += this.padCorrection;
    const G = this.G;
    const invB = this.invScale;
    for (let k = 0; k < K; k++) {
      const a = q[k];
      let gk = G[k];
      if (a > 0) {
        lp -= a * invB;
        gk -= invB;
      } else if (a < 0) {
        lp += a * invB;
        gk += invB;
      }
      grad[k] = gk;
    }
    return lp;
  }
}

export type KernelKind = 'js' | 'wasm-simd';

/** The fastest kernel this runtime supports, unless one is asked for. */
export function resolveKernel(kind?: KernelKind | 'auto'): KernelKind {
  if (kind === 'js' || kind === 'wasm-simd') return kind;
  return wasmSimdSupported() ? 'wasm-simd' : 'js';
}

/** The logistic target with the chosen kernel ('auto': WASM SIMD when available). */
export function createLogisticTarget(data: LogisticData, priorScale: number, kernel?: KernelKind | 'auto'): Target {
  return resolveKernel(kernel) === 'wasm-simd' ? new LogisticModelWasm(data, priorScale) : new LogisticModel(data, priorScale);
}
