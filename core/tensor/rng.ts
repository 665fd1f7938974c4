/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator)
 * seeded through splitmix32. Streams are derived by name (`rng.derive('data')`), and a derived
 * stream depends only on the parent's seed key and the name — never on how many numbers the
 * parent has drawn — so adding a component never changes another component's draws.
 */
function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a over the UTF-16 code units of `s`, mixed with `h`. */
function hashString(s: string, h: number): number {
  h = (h ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type RngState = [number, number, number, number];

export class Rng {
  private a = 0; private b = 0; private c = 0; private d = 0;
  private spare: number | null = null;

  /** `key` identifies the stream (seed and derivation path); it never changes after creation. */
  private constructor(readonly key: number) {
    const sm = splitmix32(key);
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A root generator for an integer seed (any safe integer, negative and zero included). */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed: expected a safe integer, got ${String(seed)}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    return new Rng(hashString(`seed:${lo}:${hi}`, 0x5eed));
  }

  /** An independent stream named `name`, a pure function of this stream's key and the name. */
  derive(name: string): Rng {
    return new Rng(hashString(name, this.key));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  random(): number { return this.nextUint32() / 4294967296; }

  uniform(lo = 0, hi = 1): number { return lo + (hi - lo) * this.random(); }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    if (!(hi > lo)) throw new Error(`Rng.int: expected hi > lo, got lo=${lo} hi=${hi}`);
    return lo + Math.floor(this.random() * (hi - lo));
  }

  /** Standard normal by the Marsaglia polar method (pairs cached). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return mean + std * s; }
    let u: number, v: number, s: number;
    do { u = 2 * this.random() - 1; v = 2 * this.random() - 1; s = u * u + v * v; } while (s >= 1 || s === 0);
    const m = Math.sqrt(-2 * Math.log(s) / s);
    this.spare = v * m;
    return mean + std * u * m;
  }

  /** Poisson draw (Knuth for small lambda, normal approximation with continuity for large). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new Error(`Rng.poisson: expected lambda >= 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda > 60) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const L = Math.exp(-lambda);
    let k = 0, p = 1;
    do { k++; p *= this.random(); } while (p > L);
    return k - 1;
  }

  bernoulli(p: number): boolean { return this.random() < p; }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.choice: empty list');
    return items[this.int(0, items.length)];
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return items;
  }

  /** A positive integer seed for TF.js ops and initialisers (tfjs treats seed 0 as "unseeded"). */
  tfSeed(): number { return 1 + (this.nextUint32() % 2147483646); }

  /** Fill an array with standard normals. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  getState(): { key: number; s: RngState; spare: number | null } {
    return { key: this.key, s: [this.a, this.b, this.c, this.d], spare: this.spare };
  }

  setState(state: { key: number; s: RngState; spare: number | null }): void {
    if (state.key !== this.key) throw new Error(`Rng.setState: state belongs to stream ${state.key}, not ${this.key}`);
    [this.a, this.b, this.c, this.d] = state.s;
    this.spare = state.spare;
  }
}
