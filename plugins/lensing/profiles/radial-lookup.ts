/**
 * Lazily built piecewise-cubic lookup of a radial profile f(r2) (r2 = squared scaled radius), used
 * by the Sersic render kernel in place of evaluating log/exp at every sample.
 *
 * The positive axis is split into octaves [2^e, 2^(e+1)) and each octave into 64 buckets uniform in
 * r2 (so a bucket spans at most 1/64 of its radius squared, Delta ln r2 <= 0.0155). On each bucket
 * f is the cubic Hermite interpolant of f and df/dr2 at the bucket ends (Hermite 1-D
 * interpolation, e.g. Press et al., Numerical Recipes 3rd ed. section 3.5). Buckets are built
 * only when a sample falls in them, during one "generation" (one kernel call), so the set-up cost
 * is proportional to the number of buckets actually touched, not to the table size; the bucket of
 * a sample is read straight from the bits of r2 (exponent and top 6 mantissa bits).
 *
 * Interpolation error is bounded by h^4/384 max|f''''| per bucket; for a Sersic profile this is
 * below ~3e-8 of the profile's peak amp e^{b_n} for every n in [0.2, 10] (checked in the tests).
 */

/** Buckets per octave = 2^RADIAL_BUCKET_BITS. */
export const RADIAL_BUCKET_BITS = 6;
/** Biased IEEE-754 exponent of the first tabulated octave (2^-48). */
export const RADIAL_EXP_MIN = 1023 - 48;
/** Biased exponent one past the last tabulated octave (r2 < 2^24). */
export const RADIAL_EXP_END = 1023 + 24;
/** Smallest r2 the table covers. */
export const RADIAL_MIN_R2 = Math.pow(2, RADIAL_EXP_MIN - 1023);
/** r2 must stay below this. */
export const RADIAL_MAX_R2 = Math.pow(2, RADIAL_EXP_END - 1023);
/** Number of buckets. */
export const RADIAL_BUCKETS = (RADIAL_EXP_END - RADIAL_EXP_MIN) << RADIAL_BUCKET_BITS;

/** A radial profile: value and derivative with respect to r2. */
export interface RadialFunction {
  /** Writes f(r2) to out[0] and df/dr2 to out[1]. */
  evaluate(r2: number, out: Float64Array): void;
}

/** 2^(e - 1023) for biased exponents e (exact powers of two). */
const POW2 = new Float64Array(2048);
for (let e = 0; e < 2048; e++) POW2[e] = Math.pow(2, e - 1023);

/** r2 at the start of bucket (or node) k. */
export function radialNodeR2(k: number): number {
  const j = k & ((1 << RADIAL_BUCKET_BITS) - 1);
  return POW2[RADIAL_EXP_MIN + (k >> RADIAL_BUCKET_BITS)] * (1 + j / (1 << RADIAL_BUCKET_BITS));
}

/** Width in r2 of bucket k. */
export function radialBucketWidth(k: number): number {
  return POW2[RADIAL_EXP_MIN + (k >> RADIAL_BUCKET_BITS)] / (1 << RADIAL_BUCKET_BITS);
}

/** Table storage plus the generation counter; one shared instance serves every kernel call. */
export class RadialLookup {
  /** Cubic coefficients c0..c3 of bucket b at [4b, 4b+4), in tau in [0, 1) across the bucket. */
  readonly coef = new Float64Array(RADIAL_BUCKETS * 4);
  /** Generation in which bucket b was built. */
  readonly stamp = new Int32Array(RADIAL_BUCKETS);
  private readonly nodeStamp = new Int32Array(RADIAL_BUCKETS + 1);
  private readonly nodeValue = new Float64Array(RADIAL_BUCKETS + 1);
  private readonly nodeSlope = new Float64Array(RADIAL_BUCKETS + 1);
  private readonly scratch = new Float64Array(2);
  private generation = 0;

  /** Starts a new generation (invalidating every bucket) and returns its id. */
  begin(): number {
    this.generation = (this.generation + 1) | 0;
    if (this.generation <= 0) { this.stamp.fill(0); this.nodeStamp.fill(0); this.generation = 1; }
    return this.generation;
  }

  private node(k: number, gen: number, fn: RadialFunction): void {
    if (this.nodeStamp[k] === gen) return;
    fn.evaluate(radialNodeR2(k), this.scratch);
    this.nodeValue[k] = this.scratch[0];
    this.nodeSlope[k] = this.scratch[1];
    this.nodeStamp[k] = gen;
  }

  /** Builds bucket b for generation `gen` from `fn`. */
  build(b: number, gen: number, fn: RadialFunction): void {
    this.node(b, gen, fn);
    this.node(b + 1, gen, fn);
    const h = radialBucketWidth(b);
    const f0 = this.nodeValue[b], f1 = this.nodeValue[b + 1];
    const d0 = this.nodeSlope[b] * h, d1 = this.nodeSlope[b + 1] * h;
    const o = b << 2;
    this.coef[o] = f0;
    this.coef[o + 1] = d0;
    this.coef[o + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
    this.coef[o + 3] = 2 * (f0 - f1) + d0 + d1;
    this.stamp[b] = gen;
  }
}

/** The shared lookup (JavaScript runs one kernel at a time per thread). */
export const SHARED_RADIAL_LOOKUP = new RadialLookup();
