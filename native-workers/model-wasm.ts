// The logistic kernel in WebAssembly SIMD (f64x2), sampler.md §4. One exported function, `grad`,
// does the whole likelihood and gradient:
//   eta = X alpha                    (four rows per block, two columns per lane pair)
//   t = exp(-|eta|)                  (vectorised: Cody–Waite reduction, Taylor polynomial by Estrin)
//   l = log1p(t)                     (vectorised: fdlibm's log kernel, no rounding of 1 + t)
//   lp += y eta - max(eta, 0) - l,  r = y - sigmoid(eta)
//   g = X^T r                        (four rows per block)
// in five passes (see gradBody for why not one). Only the Laplace prior (a sign per column)
// stays in JS. The module is a few kilobytes emitted here directly (no build step, no
// dependency) and specialised to K: the row stride is a constant, so row addresses are immediate
// offsets. K is padded to an even number of columns so every row is a whole number of 16-byte
// lanes. The JS kernel (model.ts) is the fallback without WebAssembly SIMD; the two agree to
// ~1e-15 relative (rounding), so their draws differ, but each is deterministic.

import { addLaplacePrior, LogisticModel, type LogisticData, type Target } from './model';

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
const F64 = 0x7c;
const V128 = 0x7b;
const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  ltu: [0x49],
  geu: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  f64add: [0xa0],
  vload: (off = 0) => simd(0x00, 4, ...uleb(off)),
  vstore: (off = 0) => simd(0x0b, 4, ...uleb(off)),
  vzero: simd(0x0c, ...new Array<number>(16).fill(0)),
  /** i8x16.shuffle of (a, b): lanes 0-15 from a, 16-31 from b */
  shuffle: (lanes: number[]) => simd(0x0d, ...lanes),
  lane: (l: number) => simd(0x21, l),
  fgt: simd(0x4a),
  fge: simd(0x4c),
  and: simd(0x4e),
  bitselect: simd(0x52),
  ishl: simd(0xcb),
  isub: simd(0xd1),
  abs: simd(0xec),
  vadd: simd(0xf0),
  vsub: simd(0xf1),
  vmul: simd(0xf2),
  vdiv: simd(0xf3),
  vmin: simd(0xf4),
};
const byteRange = (from: number) => Array.from({ length: 8 }, (_, i) => from + i);
/** f64 lane 0 of a with lane 0 of b / lane 1 of a with lane 1 of b / lane l of a in both lanes */
const LO_LO = [...byteRange(0), ...byteRange(16)];
const HI_HI = [...byteRange(8), ...byteRange(24)];
const DUP = (l: number) => [...byteRange(8 * l), ...byteRange(8 * l)];

type Code = number[];

/** A function body: numbered locals after the parameters, code appended in order. */
class Body {
  private readonly locals: number[] = [];
  readonly code: number[] = [];
  constructor(private readonly nParams: number) {}
  local(type: number): number {
    this.locals.push(type);
    return this.nParams + this.locals.length - 1;
  }
  emit(...parts: Code[]): void {
    for (const p of parts) for (const b of p) this.code.push(b);
  }
  encode(): number[] {
    const body = [...vec(this.locals.map((t) => [1, t])), ...this.code, ...op.end];
    return [...uleb(body.length), ...body];
  }
}

// ---- constants: a table of (value, value) pairs at address 0, read with v128.load -----------
// (a load is one instruction; a v128.const with a non-zero value costs V8 three)

const LN2_HI = 0.6931471803691238; // high bits of ln 2 (k * LN2_HI exact for |k| < 2^21)
const LN2_LO = 1.9082149292705877e-10;
const FACTORIAL_INV = Array.from({ length: 14 }, (_, j) => {
  let f = 1;
  for (let i = 2; i <= j; i++) f *= i;
  return 1 / f;
});
const CONSTANTS = {
  one: 1, // also the bit pattern 0x3ff0000000000000 (2^0) for the exponent arithmetic
  half: 0.5,
  two: 2,
  clamp: 708, // exp(-708) ~ 3e-308 is still normal; the JS kernel clamps at the same place
  log2e: 1.4426950408889634,
  magic: 6755399441055744, // 1.5 * 2^52: adding it rounds to an integer held in the low bits
  ln2hi: LN2_HI,
  ln2lo: LN2_LO,
  sqrt2m1: Math.SQRT2 - 1,
  // fdlibm e_log.c: log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f), |s| <= 0.1716
  lg1: 6.666666666666735130e-01,
  lg2: 3.999999999940941908e-01,
  lg3: 2.857142874366239149e-01,
  lg4: 2.222219843214978396e-01,
  lg5: 1.818357216161805012e-01,
  lg6: 1.531383769920937332e-01,
  lg7: 1.479819860511658591e-01,
  ...Object.fromEntries(FACTORIAL_INV.map((v, j) => [`inv${j}`, v])),
} as Record<string, number>;
const CONST_NAMES = Object.keys(CONSTANTS);
const CONST_BYTES = CONST_NAMES.length * 16;
/** the constant table: each value twice (one v128) */
function constantTable(): Float64Array {
  return Float64Array.from(CONST_NAMES.flatMap((k) => [CONSTANTS[k], CONSTANTS[k]]));
}
function c(key: string): Code {
  const i = CONST_NAMES.indexOf(key);
  if (i < 0) throw new Error(`no constant ${key}`);
  return [...op.i32(0), ...op.vload(16 * i)];
}

// ---- the vectorised transcendental pieces ----------------------------------------------------

/**
 * t = exp(-a) for a >= 0 in both lanes: a clamped at 708, a = k ln2 - r with |r| <= ln2/2
 * (Cody–Waite), exp(r) by its degree-13 Taylor polynomial (truncation < 4e-18), 2^-k built in
 * the exponent bits. k <= 1022, so 2^-k is a normal number. Same method as expNeg (model.ts).
 */
function emitExpNeg(f: Body, a: number, t: number): void {
  const x = f.local(V128), kd = f.local(V128), kf = f.local(V128), r = f.local(V128), p = f.local(V128);
  f.emit(op.get(a), c('clamp'), op.vmin, op.set(x));
  f.emit(op.get(x), c('log2e'), op.vmul, c('magic'), op.vadd, op.set(kd));
  f.emit(op.get(kd), c('magic'), op.vsub, op.set(kf));
  f.emit(op.get(kf), c('ln2hi'), op.vmul, op.get(x), op.vsub, op.get(kf), c('ln2lo'), op.vmul, op.vadd, op.set(r));
  // p = 1 + r P1(r), P1 = sum_{j<13} r^j / (j+1)! by Estrin's scheme: a dependency chain of
  // five multiply-adds instead of Horner's thirteen (the pass was latency-bound with Horner)
  const r2 = f.local(V128), r4 = f.local(V128), r8 = f.local(V128);
  f.emit(op.get(r), op.get(r), op.vmul, op.tee(r2), op.get(r2), op.vmul, op.tee(r4), op.get(r4), op.vmul, op.set(r8));
  const pair = (j: number) => f.emit(c(`inv${j + 2}`), op.get(r), op.vmul, c(`inv${j + 1}`), op.vadd); // (j+1)! terms j, j+1
  pair(0);
  pair(2);
  f.emit(op.get(r2), op.vmul, op.vadd);
  pair(4);
  pair(6);
  f.emit(op.get(r2), op.vmul, op.vadd, op.get(r4), op.vmul, op.vadd); // terms 0..7
  pair(8);
  pair(10);
  f.emit(op.get(r2), op.vmul, op.vadd);
  f.emit(c('inv13'), op.get(r4), op.vmul, op.vadd); // terms 8..12
  f.emit(op.get(r8), op.vmul, op.vadd, op.get(r), op.vmul, c('inv0'), op.vadd, op.set(p));
  // 2^-k: subtract k << 52 from the bits of 1.0 (k sits in the low bits of kd)
  f.emit(op.get(p), c('one'), op.get(kd), op.i32(52), op.ishl, op.isub, op.vmul, op.set(t));
}

/**
 * l = log1p(t) for t in [0, 1] in both lanes, fdlibm's log kernel without rounding 1 + t:
 * 1 + t = 2^k (1 + f) with f = t (k = 0) or f = (t - 1) / 2 (k = 1, exact), so
 * 1 + f is in [sqrt(2)/2, sqrt(2)] and R is fdlibm's minimax polynomial (error < 2^-58).
 */
function emitLog1p(f: Body, t: number, l: number): void {
  const m = f.local(V128), fr = f.local(V128), s = f.local(V128), z = f.local(V128), w = f.local(V128);
  const R = f.local(V128), hf = f.local(V128), dk = f.local(V128);
  f.emit(op.get(t), c('sqrt2m1'), op.fgt, op.set(m));
  f.emit(op.get(t), c('one'), op.vsub, c('half'), op.vmul, op.get(t), op.get(m), op.bitselect, op.set(fr));
  f.emit(op.get(fr), c('two'), op.get(fr), op.vadd, op.vdiv, op.set(s));
  f.emit(op.get(s), op.get(s), op.vmul, op.tee(z), op.get(z), op.vmul, op.set(w));
  // R = z (Lg1 + w (Lg3 + w (Lg5 + w Lg7))) + w (Lg2 + w (Lg4 + w Lg6))
  f.emit(op.get(w), c('lg7'), op.vmul, c('lg5'), op.vadd, op.get(w), op.vmul, c('lg3'), op.vadd, op.get(w), op.vmul, c('lg1'), op.vadd, op.get(z), op.vmul);
  f.emit(op.get(w), c('lg6'), op.vmul, c('lg4'), op.vadd, op.get(w), op.vmul, c('lg2'), op.vadd, op.get(w), op.vmul);
  f.emit(op.vadd, op.set(R));
  f.emit(c('half'), op.get(fr), op.vmul, op.get(fr), op.vmul, op.set(hf));
  f.emit(op.get(m), c('one'), op.and, op.set(dk));
  // l = k ln2_hi - ((hf - (s (hf + R) + k ln2_lo)) - f)
  f.emit(op.get(dk), c('ln2hi'), op.vmul);
  f.emit(op.get(hf), op.get(s), op.get(hf), op.get(R), op.vadd, op.vmul, op.get(dk), c('ln2lo'), op.vmul, op.vadd, op.vsub);
  f.emit(op.get(fr), op.vsub, op.vsub, op.set(l));
}

/**
 * Two rows, given t = exp(-|eta|) and l = log1p(t): lp += y eta - (eta + |eta|)/2 - l and
 * r = y - (eta >= 0 ? 1 : t) / (1 + t), the JS kernel's branch-free stable softplus and sigmoid.
 */
function emitRows(f: Body, eta: number, t: number, l: number, y: number, lp: number, r: number): void {
  const a = f.local(V128);
  f.emit(op.get(eta), op.abs, op.set(a));
  f.emit(op.get(lp), op.get(y), op.get(eta), op.vmul, c('half'), op.get(eta), op.get(a), op.vadd, op.vmul, op.vsub);
  f.emit(op.get(l), op.vsub, op.vadd, op.set(lp));
  f.emit(op.get(y), c('one'), op.get(t), op.get(eta), op.vzero, op.fge, op.bitselect, c('one'), op.get(t), op.vadd, op.vdiv, op.vsub, op.set(r));
}

/**
 * grad(X, q, g, y, e, t, l, nPad) -> sum_i [y_i eta_i - softplus(eta_i)], with
 * g = X^T (y - sigmoid(eta)). Addresses are byte offsets into memory; rows are rowBytes = 8 * KP
 * long; e, t and l are nPad doubles of scratch each. Five passes: eta = X q (four rows per
 * block); t = exp(-|eta|); l = log1p(t); lp and r = y - sigmoid(eta); g = X^T r (four rows per
 * block). The element-wise passes take two rows per step; their steps are independent, so the
 * out-of-order core overlaps their dependency chains, which it cannot do when the whole chain
 * sits in one long loop body (exp, log1p and sigmoid as one pass: the gradient 1.2x slower;
 * inside the row blocks, slower still).
 */
function gradBody(rowBytes: number): number[] {
  const P_X = 0, P_Q = 1, P_G = 2, P_Y = 3, P_E = 4, P_T = 5, P_L = 6, P_NPAD = 7;
  const f = new Body(8);
  const end = f.local(I32), k = f.local(I32), o = f.local(I32), e = f.local(I32), yp = f.local(I32), tp = f.local(I32), lq = f.local(I32);
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const qa = f.local(V128), lp = f.local(V128);
  const eta = f.local(V128), t = f.local(V128), l = f.local(V128), y = f.local(V128), r = f.local(V128);
  const sc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const loopRows = (body: () => void) => {
    // for (o = X, e = E; o < X + nPad * rowBytes; o += 4 rowBytes, e += 32)
    f.emit(op.get(P_X), op.set(o), op.get(P_E), op.set(e));
    f.emit(op.block, op.loop);
    f.emit(op.get(o), op.get(end), op.geu, op.brIf(1));
    body();
    f.emit(op.get(e), op.i32(32), op.add, op.set(e));
    f.emit(op.get(o), op.i32(4 * rowBytes), op.add, op.set(o));
    f.emit(op.br(0), op.end, op.end);
  };
  // for (k = 0; k < rowBytes; k += 16); row j of the block is at the immediate offset j * rowBytes
  // (unrolling this loop measured slower)
  const loopColumns = (body: () => void) => {
    f.emit(op.i32(0), op.set(k), op.loop);
    body();
    f.emit(op.get(k), op.i32(16), op.add, op.tee(k), op.i32(rowBytes), op.ltu, op.brIf(0), op.end);
  };
  /** byte address base + k */
  const at = (base: number): Code => [...op.get(base), ...op.get(k), ...op.add];
  f.emit(op.get(P_X), op.get(P_NPAD), op.i32(rowBytes), [0x6c], op.add, op.set(end));
  // pass 1: eta of four rows, two partial sums (even, odd columns) per row
  loopRows(() => {
    for (let j = 0; j < 4; j++) f.emit(op.vzero, op.set(acc[j]));
    loopColumns(() => {
      f.emit(at(P_Q), op.vload(), op.set(qa));
      for (let j = 0; j < 4; j++) {
        f.emit(op.get(acc[j]), at(o), op.vload(j * rowBytes), op.get(qa), op.vmul, op.vadd, op.set(acc[j]));
      }
    });
    f.emit(op.get(e), op.get(acc[0]), op.get(acc[1]), op.shuffle(LO_LO), op.get(acc[0]), op.get(acc[1]), op.shuffle(HI_HI), op.vadd, op.vstore(0));
    f.emit(op.get(e), op.get(acc[2]), op.get(acc[3]), op.shuffle(LO_LO), op.get(acc[2]), op.get(acc[3]), op.shuffle(HI_HI), op.vadd, op.vstore(16));
  });
  // pass 2: t = exp(-|eta|), two rows per step, into T
  f.emit(op.get(P_E), op.get(P_NPAD), op.i32(8), [0x6c], op.add, op.set(end));
  f.emit(op.get(P_E), op.set(e), op.get(P_T), op.set(tp));
  f.emit(op.block, op.loop);
  f.emit(op.get(e), op.get(end), op.geu, op.brIf(1));
  f.emit(op.get(e), op.vload(), op.abs, op.set(eta));
  emitExpNeg(f, eta, t);
  f.emit(op.get(tp), op.get(t), op.vstore());
  f.emit(op.get(e), op.i32(16), op.add, op.set(e), op.get(tp), op.i32(16), op.add, op.set(tp));
  f.emit(op.br(0), op.end, op.end);
  // pass 3: l = log1p(t) into L
  f.emit(op.get(P_T), op.set(tp), op.get(P_L), op.set(lq));
  f.emit(op.get(P_T), op.get(P_NPAD), op.i32(8), [0x6c], op.add, op.set(end));
  f.emit(op.block, op.loop);
  f.emit(op.get(tp), op.get(end), op.geu, op.brIf(1));
  f.emit(op.get(tp), op.vload(), op.set(t));
  emitLog1p(f, t, l);
  f.emit(op.get(lq), op.get(l), op.vstore());
  f.emit(op.get(tp), op.i32(16), op.add, op.set(tp), op.get(lq), op.i32(16), op.add, op.set(lq));
  f.emit(op.br(0), op.end, op.end);
  // pass 4: lp and r = y - sigmoid(eta); r overwrites eta
  f.emit(op.get(P_E), op.get(P_NPAD), op.i32(8), [0x6c], op.add, op.set(end));
  f.emit(op.vzero, op.set(lp), op.get(P_E), op.set(e), op.get(P_T), op.set(tp), op.get(P_L), op.set(lq), op.get(P_Y), op.set(yp));
  f.emit(op.block, op.loop);
  f.emit(op.get(e), op.get(end), op.geu, op.brIf(1));
  f.emit(op.get(e), op.vload(), op.set(eta), op.get(tp), op.vload(), op.set(t), op.get(lq), op.vload(), op.set(l), op.get(yp), op.vload(), op.set(y));
  emitRows(f, eta, t, l, y, lp, r);
  f.emit(op.get(e), op.get(r), op.vstore());
  for (const ptr of [e, tp, lq, yp]) f.emit(op.get(ptr), op.i32(16), op.add, op.set(ptr));
  f.emit(op.br(0), op.end, op.end);
  // pass 5: g = 0, then g[k..k+1] += sum_j X_j[k..k+1] r_j per block of four rows
  loopColumns(() => f.emit(at(P_G), op.vzero, op.vstore()));
  f.emit(op.get(P_X), op.get(P_NPAD), op.i32(rowBytes), [0x6c], op.add, op.set(end));
  loopRows(() => {
    f.emit(op.get(e), op.vload(0), op.set(acc[0]), op.get(e), op.vload(16), op.set(acc[1]));
    for (let j = 0; j < 4; j++) f.emit(op.get(acc[j >> 1]), op.get(acc[j >> 1]), op.shuffle(DUP(j & 1)), op.set(sc[j]));
    loopColumns(() => {
      f.emit(at(P_G)); // store address
      f.emit(at(P_G), op.vload());
      f.emit(at(o), op.vload(), op.get(sc[0]), op.vmul);
      for (let j = 1; j < 4; j++) f.emit(at(o), op.vload(j * rowBytes), op.get(sc[j]), op.vmul, op.vadd);
      f.emit(op.vadd, op.vstore());
    });
  });
  f.emit(op.get(lp), op.lane(0), op.get(lp), op.lane(1), op.f64add);
  return f.encode();
}

/** expNeg(in, out, count): out_i = exp(-in_i), in_i >= 0, count even (for tests). */
function expNegBody(): number[] {
  return unaryBody((f, x, y) => emitExpNeg(f, x, y));
}

/** log1p(in, out, count): out_i = log1p(in_i), in_i in [0, 1], count even (for tests). */
function log1pBody(): number[] {
  return unaryBody((f, x, y) => emitLog1p(f, x, y));
}

function unaryBody(emit: (f: Body, x: number, y: number) => void): number[] {
  const P_IN = 0, P_OUT = 1, P_N = 2;
  const f = new Body(3);
  const i = f.local(I32), x = f.local(V128), y = f.local(V128);
  f.emit(op.i32(0), op.set(i), op.block, op.loop);
  f.emit(op.get(i), op.get(P_N), op.i32(8), [0x6c], op.geu, op.brIf(1));
  f.emit(op.get(P_IN), op.get(i), op.add, op.vload(), op.set(x));
  emit(f, x, y);
  f.emit(op.get(P_OUT), op.get(i), op.add, op.get(y), op.vstore());
  f.emit(op.get(i), op.i32(16), op.add, op.set(i), op.br(0), op.end, op.end);
  return f.encode();
}

function moduleBytes(pages: number, rowBytes: number): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[F64]])],
    [0x60, ...vec([[I32], [I32], [I32]]), 0],
  ]));
  const imports = section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, ...uleb(pages)]]));
  const funcs = section(3, vec([[0], [1], [1]]));
  const exports = section(7, vec([[...name('grad'), 0x00, 0], [...name('expNeg'), 0x00, 1], [...name('log1p'), 0x00, 2]]));
  const bodies = [gradBody(rowBytes), expNegBody(), log1pBody()];
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

let simdSupported: boolean | undefined;

/** Does this runtime run WebAssembly SIMD (Node >= 16.4, current browsers)? */
export function wasmSimdSupported(): boolean {
  if (simdSupported === undefined) {
    try {
      simdSupported = typeof WebAssembly === 'object' && WebAssembly.validate(moduleBytes(1, 32 * 8));
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported;
}

function instantiate(bytes: number, rowBytes: number): { memory: WebAssembly.Memory; exports: WebAssembly.Exports } {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(pages, rowBytes)), { e: { m: memory } });
  new Float64Array(memory.buffer, 0, CONST_BYTES / 8).set(constantTable());
  return { memory, exports: instance.exports };
}

type GradKernel = (x: number, q: number, g: number, y: number, e: number, t: number, l: number, nPad: number) => number;
type UnaryKernel = (vin: number, vout: number, count: number) => void;

/** Same density as LogisticModel (model.ts), computed in one WASM SIMD pass. */
export class LogisticModelWasm implements Target {
  readonly dim: number;
  private readonly nPad: number;
  private readonly invScale: number;
  private readonly padCorrection: number;
  private readonly grad: GradKernel;
  private readonly offX: number;
  private readonly offQ: number;
  private readonly offG: number;
  private readonly offY: number;
  private readonly offE: number;
  private readonly offT: number;
  private readonly offL: number;
  private readonly Q: Float64Array;
  private readonly G: Float64Array;

  /** @param laplaceScale b of the Laplace(0, b) prior */
  constructor(readonly data: LogisticData, readonly laplaceScale: number) {
    if (!(laplaceScale > 0)) throw new RangeError('the prior scale must be > 0');
    const { K, nPad } = data;
    const KP = K + (K & 1);
    const rowBytes = KP * 8;
    this.dim = K;
    this.nPad = nPad;
    this.invScale = 1 / laplaceScale;
    this.padCorrection = (nPad - data.n) * Math.LN2;
    // memory: constants | X (nPad x KP) | q (KP) | g (KP) | y | eta, then r | t | l (nPad each), 16-byte aligned
    this.offX = CONST_BYTES;
    this.offQ = this.offX + nPad * rowBytes;
    this.offG = this.offQ + rowBytes;
    this.offY = this.offG + rowBytes;
    this.offE = this.offY + nPad * 8;
    this.offT = this.offE + nPad * 8;
    this.offL = this.offT + nPad * 8;
    const { memory, exports } = instantiate(this.offL + nPad * 8 + 16, rowBytes);
    this.grad = exports.grad as GradKernel;
    const buf = memory.buffer;
    const X = new Float64Array(buf, this.offX, nPad * KP);
    for (let i = 0; i < nPad; i++) for (let k = 0; k < K; k++) X[i * KP + k] = data.X[i * K + k];
    new Float64Array(buf, this.offY, nPad).set(data.y.subarray(0, nPad));
    this.Q = new Float64Array(buf, this.offQ, KP);
    this.G = new Float64Array(buf, this.offG, KP);
  }

  logDensityGradient(q: Float64Array, grad: Float64Array): number {
    return addLaplacePrior(q, grad, this.invScale, this.smoothLogDensityGradient(q, grad));
  }

  /** The likelihood alone, one call into the kernel. */
  smoothLogDensityGradient(q: Float64Array, grad: Float64Array): number {
    const K = this.dim;
    const Q = this.Q;
    for (let k = 0; k < K; k++) Q[k] = q[k];
    const lp = this.grad(this.offX, this.offQ, this.offG, this.offY, this.offE, this.offT, this.offL, this.nPad) + this.padCorrection;
    const G = this.G;
    for (let k = 0; k < K; k++) grad[k] = G[k];
    return lp;
  }
}

/**
 * The kernel's vectorised exp(-a) and log1p(t), exposed for accuracy tests:
 * `expNeg(a)` for a >= 0, `log1p(t)` for t in [0, 1]; results written into `out`.
 */
export class WasmMath {
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly expNegK: UnaryKernel;
  private readonly log1pK: UnaryKernel;
  private readonly off: number;

  constructor(readonly capacity = 4096) {
    const n = capacity + (capacity & 1);
    this.off = CONST_BYTES;
    const { memory, exports } = instantiate(this.off + 16 * n + 16, 16);
    this.input = new Float64Array(memory.buffer, this.off, n);
    this.output = new Float64Array(memory.buffer, this.off + 8 * n, n);
    this.expNegK = exports.expNeg as UnaryKernel;
    this.log1pK = exports.log1p as UnaryKernel;
  }

  expNeg(a: ArrayLike<number>, out: Float64Array): void {
    this.run(this.expNegK, a, out);
  }

  log1p(t: ArrayLike<number>, out: Float64Array): void {
    this.run(this.log1pK, t, out);
  }

  private run(kernel: UnaryKernel, x: ArrayLike<number>, out: Float64Array): void {
    const n = x.length;
    if (n > this.capacity) throw new RangeError(`at most ${this.capacity} values`);
    for (let i = 0; i < n; i++) this.input[i] = x[i];
    if (n & 1) this.input[n] = 0;
    kernel(this.off, this.off + 8 * this.input.length, n + (n & 1));
    for (let i = 0; i < n; i++) out[i] = this.output[i];
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
