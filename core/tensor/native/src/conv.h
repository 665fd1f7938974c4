// Declarations of the native kernels (see each .cc file for the conventions).
#pragma once
#include <cstddef>
#include <cstdint>

namespace lf {

/** Fused activation codes shared with native-addon.ts (FUSED_ACTIVATION). */
enum Activation { ACT_LINEAR = 0, ACT_RELU = 1, ACT_LEAKYRELU = 2, ACT_RELU6 = 3, ACT_ELU = 4, ACT_SIGMOID = 5, ACT_TANH = 6 };

void conv2dForward(const int32_t* p, const float* x, const float* w, const float* bias, float* y, int act, float alpha);
void conv2dBackwardData(const int32_t* p, const float* dy, const float* w, float* dx);
void conv2dBackwardWeights(const int32_t* p, const float* x, const float* dy, float* dw);
size_t convCacheSize();
/** Convolutions (any direction) run as batch chunks on the chunk pool so far (chunk-pool.h). */
uint64_t chunkedConvCalls();
void convCacheClear();
size_t gemmCacheSize();
void gemmCacheClear();
/** Applies a fused activation code in place (used where no oneDNN post-op runs). */
void applyActivationInPlace(float* y, size_t n, int act, float alpha);

/**
 * Batched GEMM on oneDNN's matmul primitive (see gemm.cc for the layout of p). Used instead of
 * dnnl_sgemm, whose JIT kernels in oneDNN 2.6 corrupt the heap when a signal (e.g. the
 * SIGPROF of `node --cpu-prof`) interrupts them.
 */
void batchMatMul(const int32_t* p, const float* a, const float* b, const float* bias, size_t biasLen, float* c, int act, float alpha);

}  // namespace lf
