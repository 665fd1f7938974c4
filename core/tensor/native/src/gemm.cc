// Batched matrix product C[b] = op(A[b]) x op(B[b]) (+ bias, activation) on oneDNN's sgemm
// (row-major, OpenMP-threaded), the layout of TF.js BatchMatMul / _FusedMatMul.
//
// Geometry array p (Int32Array, 8 entries):
//   [batch, M, N, K, transposeA, transposeB, strideA, strideB]
// A[b] starts at b*strideA (strideA = 0 broadcasts one matrix over the batch), likewise B;
// C is dense [batch, M, N]. op(A) is M x K, op(B) is K x N.
// The bias (optional) has N entries (broadcast over rows) or 1 entry.
#include "dnnl-common.h"
#include "conv.h"
#include "napi-util.h"

#include <omp.h>

#include <cmath>

namespace lf {

void applyActivation(float* y, size_t n, int act, float alpha) {
  const long long nn = (long long)n;
  switch (act) {
    case ACT_LINEAR: return;
    case ACT_RELU:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = y[i] > 0.f ? y[i] : 0.f;
      return;
    case ACT_LEAKYRELU:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = y[i] > 0.f ? y[i] : alpha * y[i];
      return;
    case ACT_RELU6:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = y[i] < 0.f ? 0.f : (y[i] > 6.f ? 6.f : y[i]);
      return;
    case ACT_ELU:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = y[i] >= 0.f ? y[i] : std::expm1(y[i]);
      return;
    case ACT_SIGMOID:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = 1.f / (1.f + std::exp(-y[i]));
      return;
    case ACT_TANH:
#pragma omp parallel for if (nn > 65536) schedule(static)
      for (long long i = 0; i < nn; i++) y[i] = std::tanh(y[i]);
      return;
    default: throw ArgError("unsupported fused activation code " + std::to_string(act));
  }
}

void batchMatMul(const int32_t* p, const float* a, const float* b, const float* bias, size_t biasLen, float* c, int act, float alpha) {
  const long long batch = p[0], M = p[1], N = p[2], K = p[3];
  const bool ta = p[4] != 0, tb = p[5] != 0;
  const long long sa = p[6], sb = p[7];
  const long long lda = ta ? M : K, ldb = tb ? K : N;
  // Small products run on one thread (fork/join would cost more than the product).
  const int saved = omp_get_max_threads();
  const bool serial = double(M) * N * K < 2.0e5;
  if (serial) omp_set_num_threads(1);
  struct Restore { int n; bool on; ~Restore() { if (on) omp_set_num_threads(n); } } restore{saved, serial};
  for (long long i = 0; i < batch; i++) {
    float* ci = c + i * M * N;
    if (K == 0) {
      for (long long j = 0; j < M * N; j++) ci[j] = 0.f;
    } else {
      dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', M, N, K, 1.f, a + i * sa, lda, b + i * sb, ldb, 0.f, ci, N);
      if (st != dnnl_success) throw ArgError("dnnl_sgemm failed with status " + std::to_string(int(st)));
    }
  }
  const size_t total = size_t(batch) * M * N;
  if (bias) {
    if (biasLen == 1) {
      const float v = bias[0];
      for (size_t j = 0; j < total; j++) c[j] += v;
    } else {
      const long long rows = (long long)(total / N);
#pragma omp parallel for if (total > 65536) schedule(static)
      for (long long r = 0; r < rows; r++) {
        float* cr = c + r * N;
        for (long long j = 0; j < N; j++) cr[j] += bias[j];
      }
    }
  }
  applyActivation(c, total, act, alpha);
}

}  // namespace lf
