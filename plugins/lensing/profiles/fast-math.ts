/**
 * Table-driven `log2` / `exp2` for the rendering hot loops.
 *
 * V8 lowers `Math.log` / `Math.exp` to calls into fdlibm (about 7-15 ns each in our loops); these
 * versions use only multiplications, additions and small typed-array tables (about 3-5 ns when
 * inlined) and are accurate to ~1e-14 relative, far below the 7 significant digits of the
 * lenstronomy fixtures. The image kernels inline the same steps by hand (V8 does not inline
 * these calls reliably); these functions are the reference implementation that the kernels copy
 * and that the tests check. Kernel modules should destructure {@link FAST_MATH} into their OWN
 * module-level constants: V8 specialises code on a module's own constants (known table lengths
 * remove bounds checks) but not on imported bindings, which costs ~25% in the hot loops.
 *
 * log2(x): x = 2^e * m, m in [1, 2); m is bucketed by its top 8 mantissa bits into c_j (bucket
 * centre), r = m / c_j - 1 (|r| <= 1/512), log2 x = e + log2 c_j + log1p(r)/ln 2 with a degree-4
 * Taylor polynomial (truncation < 1e-14 absolute).
 * exp2(y): k = round(128 y), r = (y - k/128) ln 2 (|r| <= ln2/256),
 * 2^y = 2^(k>>7) 2^((k&127)/128) e^r with a degree-4 Taylor polynomial (truncation < 2e-15).
 */

/** Scratch double used to read the bits of a number. */
export const FM_F64 = new Float64Array(1);
/** The same 8 bytes as two 32-bit words. */
export const FM_U32 = new Uint32Array(FM_F64.buffer);
/** Index of the high (sign/exponent) word in {@link FM_U32}: 1 on little-endian machines. */
export const FM_HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Number of mantissa bits used to pick a log2 bucket (256 buckets). */
export const LOG2_BUCKET_BITS = 8;
/** 1 / c_j for the 256 bucket centres c_j = 1 + (j + 0.5)/256. */
export const LOG2_INV_CENTRE = new Float64Array(1 << LOG2_BUCKET_BITS);
/** log2(c_j). */
export const LOG2_OF_CENTRE = new Float64Array(1 << LOG2_BUCKET_BITS);
/** 2^-(e - 1023) for every biased exponent e in [0, 2047] (maps x to its mantissa). */
export const POW2_NEG_BIASED = new Float64Array(2048);
/** 2^(j/128), j = 0..127. */
export const EXP2_FRACTION = new Float64Array(128);
/** 2^(e - 1023) for biased exponent e in [0, 2047]. */
export const POW2_BIASED = new Float64Array(2048);

for (let j = 0; j < 1 << LOG2_BUCKET_BITS; j++) {
  const c = 1 + (j + 0.5) / (1 << LOG2_BUCKET_BITS);
  LOG2_INV_CENTRE[j] = 1 / c;
  LOG2_OF_CENTRE[j] = Math.log2(c);
}
for (let e = 0; e < 2048; e++) {
  POW2_NEG_BIASED[e] = Math.pow(2, -(e - 1023));
  POW2_BIASED[e] = Math.pow(2, e - 1023);
}
for (let j = 0; j < 128; j++) EXP2_FRACTION[j] = Math.pow(2, j / 128);

/** 1/ln 2 times the Taylor coefficients of log1p: L1 r + L2 r^2 + ... (log2(1+r)). */
export const L1 = 1 / Math.LN2;
export const L2 = -0.5 / Math.LN2;
export const L3 = 1 / 3 / Math.LN2;
export const L4 = -0.25 / Math.LN2;
/** Adding then subtracting this rounds a double to the nearest integer (|v| < 2^51). */
export const ROUND_MAGIC = 6755399441055744.0;
/** ln 2 / 128. */
export const LN2_OVER_128 = Math.LN2 / 128;
/** Taylor coefficients of e^r. */
export const X2 = 0.5;
export const X3 = 1 / 6;
export const X4 = 1 / 24;
/** exp2 arguments are clamped to this range (2^-1022 is the smallest normal double). */
export const EXP2_MIN_ARG = -1022;
export const EXP2_MAX_ARG = 1023;
/** Smallest argument accepted by the log2 kernels (inputs are floored to this). */
export const LOG2_MIN_ARG = 1e-300;

/**
 * log2(x) for positive finite x; accurate to ~1e-14 absolute.
 * Inputs below 1e-300 (including 0 and subnormals) are treated as 1e-300.
 */
export function fastLog2(x: number): number {
  if (!(x >= LOG2_MIN_ARG)) x = LOG2_MIN_ARG;
  FM_F64[0] = x;
  const hi = FM_U32[FM_HI];
  const ex = hi >>> 20;
  const j = (hi >>> (20 - LOG2_BUCKET_BITS)) & ((1 << LOG2_BUCKET_BITS) - 1);
  const r = x * POW2_NEG_BIASED[ex] * LOG2_INV_CENTRE[j] - 1;
  return ex - 1023 + LOG2_OF_CENTRE[j] + r * (L1 + r * (L2 + r * (L3 + r * L4)));
}

/**
 * 2^y; accurate to ~1e-15 relative. y is clamped to [-1022, 1023], so results below 2^-1022
 * come out as 2^-1022 (callers treat such values as zero) and overflow saturates at 2^1023.
 */
export function fastExp2(y: number): number {
  if (!(y > EXP2_MIN_ARG)) y = EXP2_MIN_ARG;
  else if (y > EXP2_MAX_ARG) y = EXP2_MAX_ARG;
  const k = y * 128 + ROUND_MAGIC - ROUND_MAGIC;
  const r = (y * 128 - k) * LN2_OVER_128;
  const ki = k | 0;
  return EXP2_FRACTION[ki & 127] * POW2_BIASED[(ki >> 7) + 1023] * (1 + r * (1 + r * (X2 + r * (X3 + r * X4))));
}

/** x^p = 2^(p log2 x) for x > 0 (x below 1e-300 is treated as 1e-300). */
export function fastPow(x: number, p: number): number {
  return fastExp2(p * fastLog2(x));
}

/** Number of bits of the sin/cos table index (256 angles over one turn). */
export const SINCOS_BITS = 8;
/** cos and sin of j 2 pi / 256, j = 0..255. */
export const COS_TURN = new Float64Array(1 << SINCOS_BITS);
export const SIN_TURN = new Float64Array(1 << SINCOS_BITS);
for (let j = 0; j < 1 << SINCOS_BITS; j++) {
  COS_TURN[j] = Math.cos((2 * Math.PI * j) / (1 << SINCOS_BITS));
  SIN_TURN[j] = Math.sin((2 * Math.PI * j) / (1 << SINCOS_BITS));
}
/** pi - Math.PI (Math.PI is pi rounded to a double). */
const PI_LO = 1.2246467991473532e-16;
/** Table steps per radian (256 / 2 pi). */
export const SINCOS_STEPS_PER_RAD = (1 << SINCOS_BITS) / (2 * Math.PI);
/**
 * 2 pi / 256 in two parts (Cody-Waite): HI has 31 significant bits, so k HI is exact for
 * |k| < 2^22, and LO carries the rest of the true 2 pi / 256 (including Math.PI's own rounding),
 * so the reduction x - k HI - k LO keeps its error near 1e-16 |x|.
 */
export const SINCOS_RAD_PER_STEP = Math.round(((2 * Math.PI) / (1 << SINCOS_BITS)) * 2 ** 36) / 2 ** 36;
export const SINCOS_RAD_PER_STEP_LO = ((2 * Math.PI) / (1 << SINCOS_BITS) - SINCOS_RAD_PER_STEP) + (2 * PI_LO) / (1 << SINCOS_BITS);
/** Taylor coefficients of cos r and sin r (|r| <= pi/256: truncation below 1e-17). */
export const C2 = -1 / 2, C4 = 1 / 24, C6 = -1 / 720;
export const S3 = -1 / 6, S5 = 1 / 120;

/**
 * cos(x) and sin(x) into `out[0]`, `out[1]`, for |x| < 2^21 pi / 128 (about 5e4); accurate to
 * ~1e-15 absolute (plus |x| x 1e-16 from the range reduction). x = k 2 pi / 256 + r with |r| <= pi/256;
 * cos x = cos a cos r - sin a sin r, sin x = sin a cos r + cos a sin r, a from the table.
 */
export function fastSinCos(x: number, out: Float64Array | number[]): void {
  const k = x * SINCOS_STEPS_PER_RAD + ROUND_MAGIC - ROUND_MAGIC;
  const r = x - k * SINCOS_RAD_PER_STEP - k * SINCOS_RAD_PER_STEP_LO;
  const j = (k | 0) & ((1 << SINCOS_BITS) - 1);
  const r2 = r * r;
  const cr = 1 + r2 * (C2 + r2 * (C4 + r2 * C6)), sr = r * (1 + r2 * (S3 + r2 * S5));
  out[0] = COS_TURN[j] * cr - SIN_TURN[j] * sr;
  out[1] = SIN_TURN[j] * cr + COS_TURN[j] * sr;
}

/** Everything a hand-inlined kernel needs, for destructuring into module-level constants. */
export const FAST_MATH = Object.freeze({
  F64: FM_F64, U32: FM_U32, HI: FM_HI,
  LOG2_INV_CENTRE, LOG2_OF_CENTRE, POW2_NEG_BIASED, EXP2_FRACTION, POW2_BIASED,
  L1, L2, L3, L4, X2, X3, X4, ROUND_MAGIC, LN2_OVER_128,
  COS_TURN, SIN_TURN, SINCOS_STEPS_PER_RAD, SINCOS_RAD_PER_STEP, SINCOS_RAD_PER_STEP_LO, C2, C4, C6, S3, S5,
});
