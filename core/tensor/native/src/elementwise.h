// Memory-bound kernels (OpenMP over both cores): unary/binary maps with NumPy broadcasting,
// a strided gather-copy (transpose, tile, broadcast, slice, reverse), reductions, batch norm,
// pooling. Op codes are mirrored in native-addon.ts.
#pragma once
#include <cstddef>
#include <cstdint>

namespace lf {

enum UnaryOp {
  U_NEG = 0, U_ABS, U_SQUARE, U_SQRT, U_RSQRT, U_EXP, U_LOG, U_LOG1P, U_RELU, U_RELU6, U_LEAKYRELU, U_ELU,
  U_SIGMOID, U_TANH, U_STEP, U_FLOOR, U_CEIL, U_RECIPROCAL, U_SOFTPLUS, U_CLIP, U_SIGN, U_EXPM1, U_COPY,
  U_COUNT
};
enum BinaryOp { B_ADD = 0, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_SQDIFF, B_POW, B_COUNT };
enum ReduceOp { R_SUM = 0, R_MEAN, R_MAX, R_MIN, R_PROD, R_COUNT };

void unary(int op, const float* x, float* y, size_t n, float alpha, float beta);
/** out[i] = a[ia(i)] op b[ib(i)]; shape/strides of length rank (strides 0 broadcast). */
void binary(int op, const float* a, const float* b, float* out, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb);
/** out[i] = float(in[i]) for bool (uint8) or int32 input. */
void toFloat(const uint8_t* in8, const int32_t* in32, float* out, size_t n);

/** Comparison codes (TF.js Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual). */
enum CompareOp { C_GT = 0, C_GE, C_LT, C_LE, C_EQ, C_NE, C_COUNT };
/** out[i] = a[ia(i)] cmp b[ib(i)] as 0/1 bytes (NaN compares false except NotEqual), broadcasting as binary(). */
void compare(int op, const float* a, const float* b, uint8_t* out, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb);

/**
 * For every index i of shape[rank]: out[dstOffset + i.dstStrides] = x[srcOffset + i.srcStrides].
 * Source strides may be 0 (broadcast) or negative (reverse); destination strides must not alias.
 * Covers transpose, tile, broadcast, slice, reverse, pad and concat.
 */
void stridedCopy(const float* x, float* out, int rank, const int32_t* shape, const int32_t* srcStrides,
                 const int32_t* dstStrides, long long srcOffset, long long dstOffset);
/** out[0..n) = value. */
void fill(float* out, size_t n, float value);
/** Reduces x viewed as [outer, red, inner] over the middle axis into out [outer, inner]. */
void reduce(int op, const float* x, float* out, long long outer, long long red, long long inner);
/**
 * out = offset + (x - mean) * scale / sqrt(variance + eps), x viewed as [rows, P]; each parameter
 * has length P or 1 (null: offset 0 / scale 1).
 */
void batchNorm(const float* x, float* out, size_t n, size_t P, const float* mean, size_t lm, const float* var, size_t lv,
               const float* offset, size_t lo, const float* scale, size_t ls, float eps);
/**
 * Gradient of batch normalisation y = offset + (x - mean) * scale / sqrt(variance + eps) for x
 * viewed as [rows, P] and per-channel (length P) mean/variance/scale (scale null = 1):
 *   dx = dy * s * inv, dmean = -s * inv * sum(dy), dvar = -0.5 * s * inv^3 * sum(dy * (x - mean)),
 *   dscale = inv * sum(dy * (x - mean)), doffset = sum(dy), with inv = 1 / sqrt(variance + eps).
 * Any of the outputs may be null (not computed). Sums are accumulated in double.
 */
/**
 * Training-mode batch normalisation over rows of P channels: the per-channel batch mean and
 * biased variance (double sums over fixed row ranges: bit-repeatable at any thread count) into
 * meanOut/varOut, and out = offset + (x - mean) * scale / sqrt(var + eps) as batchNorm.
 */
void batchNormTrain(const float* x, float* out, size_t n, size_t P, const float* offset, const float* scale, float eps,
                    float* meanOut, float* varOut);
/**
 * Its gradient with the batch statistics' own dependence on x included:
 * dx = scale/sqrt(var+eps) * (dy - mean(dy) - xhat * mean(dy * xhat)), dscale = sum(dy * xhat),
 * doffset = sum(dy) (null outputs skipped); dmeanIn/dvarIn (null = 0) are gradients that reach the
 * batch mean and variance directly and add dmean/n + 2 dvar (x - mean)/n to dx.
 */
void batchNormTrainGrad(const float* x, const float* dy, size_t n, size_t P, const float* mean, const float* var,
                        const float* scale, float eps, const float* dmeanIn, const float* dvarIn, float* dx, float* dscale,
                        float* doffset);
void batchNormGrad(const float* x, const float* dy, size_t n, size_t P, const float* mean, const float* var,
                   const float* scale, float eps, float* dx, float* dmean, float* dvar, float* dscale, float* doffset);
/** out = a * (b * scale), elementwise (the Square gradient dy * (2x) in one pass, same bits as TF.js). */
void scaledProduct(const float* a, const float* b, float* out, size_t n, float scale);
/** out = dy * (x > 0 ? 1 : alpha) (ReLU alpha 0, NaN x gives NaN; leaky ReLU alpha > 0). */
void reluGrad(const float* dy, const float* x, float* out, size_t n, float alpha, bool leaky);

/**
 * Nearest-neighbour resampling, NHWC, p = [N, H, W, C, OH, OW]: y[n, r, c] = x[n, rows[r], cols[c]]
 * (index tables computed by the caller with TF.js's own rounding rules), and its gradient
 * dx[n, rows[r], cols[c]] += dy[n, r, c] (dx zeroed here).
 */
void resizeNearest(const int32_t* p, const float* x, float* y, const int32_t* rows, const int32_t* cols);
void resizeNearestGrad(const int32_t* p, const float* dy, float* dx, const int32_t* rows, const int32_t* cols);

/**
 * Pooling, NHWC. p = [N, H, W, C, KH, KW, OH, OW, strideH, strideW, padTop, padLeft].
 * mode 0 = max, 1 = avg (mean over the in-bounds pixels, as TF.js).
 */
void pool(int mode, const int32_t* p, const float* x, float* y);
/** Max-pool gradient: dx (zeroed here) += dy at the first maximum of each window of x. */
void maxPoolGrad(const int32_t* p, const float* dy, const float* x, float* dx);
/** Avg-pool gradient as TF.js: each in-bounds window pixel gets dy / (KH*KW). */
void avgPoolGrad(const int32_t* p, const float* dy, float* dx);

}  // namespace lf
