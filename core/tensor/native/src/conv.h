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
void convCacheClear();

/** Applies a fused activation in place (used after GEMM). */
void applyActivation(float* y, size_t n, int act, float alpha);

}  // namespace lf
