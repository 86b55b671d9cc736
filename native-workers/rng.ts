// Seeded PRNG for the sampler: xoshiro128** (Blackman & Vigna 2018).
// 32-bit state words keep every operation in int32 arithmetic (no BigInt in the
// hot path). Chains get independent streams by jumping 2^64 steps per chain
// index, the same idea as Stan giving each chain its own RNG stream.

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

/** SplitMix64 turns an arbitrary integer seed into well-mixed state words. */
function splitMix64Words(seed: number, count: number): number[] {
  const mask = (1n << 64n) - 1n;
  let x = BigInt(Math.floor(Math.abs(seed))) & mask;
  const out: number[] = [];
  while (out.length < count) {
    x = (x + 0x9e3779b97f4a7c15n) & mask;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    z = z ^ (z >> 31n);
    out.push(Number(z & 0xffffffffn), Number((z >> 32n) & 0xffffffffn));
  }
  return out.slice(0, count);
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // Marsaglia's polar method yields normals in pairs; the spare is part of the state.
  private hasSpare = false;
  private spare = 0;

  /**
   * @param seed any non-negative integer (up to 2^53)
   * @param stream stream index (chain id): the base state jumped `stream` times by 2^64
   */
  constructor(seed: number, stream = 0) {
    const w = splitMix64Words(seed, 4);
    this.s0 = w[0] | 0;
    this.s1 = w[1] | 0;
    this.s2 = w[2] | 0;
    this.s3 = w[3] | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
    for (let i = 0; i < stream; i++) this.jump();
  }

  /** Next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method; deterministic given the state). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Advance the stream by 2^64 outputs (non-overlapping subsequences per chain). */
  jump(): void {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < 4; i++) {
      for (let b = 0; b < 32; b++) {
        if (JUMP[i] & (1 << b)) {
          s0 ^= this.s0;
          s1 ^= this.s1;
          s2 ^= this.s2;
          s3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.hasSpare = false;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
