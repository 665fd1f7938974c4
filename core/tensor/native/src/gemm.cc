// Batched matrix product C[b] = act(op(A[b]) x op(B[b]) + bias) on oneDNN's matmul primitive
// (row-major, OpenMP-threaded), the layout of TF.js BatchMatMul / _FusedMatMul. Primitives are
// cached by geometry. (dnnl_sgemm is avoided: in oneDNN 2.6 its JIT kernels corrupt the heap
// when a signal such as the SIGPROF of `node --cpu-prof` interrupts them; the matmul primitive
// does not.)
//
// Geometry array p (Int32Array, 8 entries):
//   [batch, M, N, K, transposeA, transposeB, strideA, strideB]
// A[b] starts at b*strideA; strideA must be M*K, or 0 to broadcast one matrix over the batch;
// likewise B with K*N or 0. C is dense [batch, M, N]. op(A) is M x K, op(B) is K x N.
// The bias (optional) has N entries (broadcast over rows) or 1 entry.
#include "conv.h"
#include "dnnl-common.h"
#include "napi-util.h"

#include <memory>
#include <unordered_map>

using namespace dnnl;
using dt = memory::data_type;

namespace lf {

namespace {

struct Gemm {
  matmul prim;
  memory::desc a, b, c, bias;
};

std::unordered_map<std::string, std::unique_ptr<Gemm>> gemmCache;

}  // namespace

void batchMatMul(const int32_t* p, const float* a, const float* b, const float* bias, size_t biasLen, float* c, int act, float alpha) {
  const memory::dim batch = p[0], M = p[1], N = p[2], K = p[3];
  const bool ta = p[4] != 0, tb = p[5] != 0;
  const bool bcA = p[6] == 0 && batch > 1, bcB = p[7] == 0 && batch > 1;
  need((p[6] == 0 || p[6] == M * K) && (p[7] == 0 || p[7] == K * N), "matmul.p: strides must be 0 or the matrix size");
  if (K == 0) {
    for (memory::dim j = 0; j < batch * M * N; j++) c[j] = bias ? bias[biasLen == 1 ? 0 : j % N] : 0.f;
    applyActivationInPlace(c, size_t(batch * M * N), act, alpha);
    return;
  }
  const int biasMode = bias ? (biasLen == 1 ? 1 : 2) : 0;
  const int nthr = threadsForMacs(double(batch) * M * N * K);
  const int32_t kp[9] = {p[0], p[1], p[2], p[3], p[4], p[5], bcA, bcB, biasMode};
  std::string k = key("m", kp, 9, act * 1024 + nthr, alpha);
  auto it = gemmCache.find(k);
  if (it == gemmCache.end()) {
    ThreadScope ts(nthr);
    auto g = std::make_unique<Gemm>();
    const memory::dim ba = bcA ? 1 : batch, bb = bcB ? 1 : batch;
    g->a = memory::desc({ba, M, K}, dt::f32, ta ? memory::dims{M * K, 1, M} : memory::dims{M * K, K, 1});
    g->b = memory::desc({bb, K, N}, dt::f32, tb ? memory::dims{K * N, 1, K} : memory::dims{K * N, N, 1});
    g->c = memory::desc({batch, M, N}, dt::f32, memory::dims{M * N, N, 1});
    auto attr = activationAttr(act, alpha);
    if (biasMode) {
      g->bias = memory::desc({1, 1, biasMode == 1 ? 1 : N}, dt::f32, memory::dims{N, N, 1});
      g->prim = matmul(matmul::primitive_desc(matmul::desc(g->a, g->b, g->bias, g->c), attr, cpuEngine()));
    } else {
      g->prim = matmul(matmul::primitive_desc(matmul::desc(g->a, g->b, g->c), attr, cpuEngine()));
    }
    if (gemmCache.size() >= kMaxCached) gemmCache.clear();  // bound memory for ever-changing shapes
    it = gemmCache.emplace(k, std::move(g)).first;
  }
  Gemm& g = *it->second;
  auto& e = cpuEngine();
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(g.a, e, const_cast<float*>(a))},
                                       {DNNL_ARG_WEIGHTS, memory(g.b, e, const_cast<float*>(b))},
                                       {DNNL_ARG_DST, memory(g.c, e, c)}};
  if (biasMode) args.insert({DNNL_ARG_BIAS, memory(g.bias, e, const_cast<float*>(bias))});
  g.prim.execute(cpuStream(), args);
  cpuStream().wait();
}

size_t gemmCacheSize() { return gemmCache.size(); }
void gemmCacheClear() { gemmCache.clear(); }

}  // namespace lf
