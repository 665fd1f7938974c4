// 2-D convolution (NHWC activations, HWIO filters, TF.js layouts) forward, backward-data and
// backward-weights on oneDNN. Activations are used in place in NHWC; filters are reordered
// into oneDNN's preferred blocked layout on every call (they are small). Primitives are cached
// by geometry, since creating one JIT-compiles code.
//
// Geometry array p (Int32Array, 17 entries):
//   [N, H, W, CI, KH, KW, CO, OH, OW, strideH, strideW, dilationH, dilationW,
//    padTop, padLeft, padBottom, padRight]
// where the pads satisfy (H + padTop + padBottom - ((KH-1)*dilationH+1)) / strideH + 1 == OH
// (floor division), and likewise for W.
#include "dnnl-common.h"
#include "napi-util.h"
#include "conv.h"
#include "chunk-pool.h"

#include <omp.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <vector>
#include <unordered_map>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace lf {

namespace {

struct Geo {
  memory::dim N, H, W, CI, KH, KW, CO, OH, OW, sh, sw, dh, dw, pt, pl, pb, pr;
  explicit Geo(const int32_t* p) {
    N = p[0]; H = p[1]; W = p[2]; CI = p[3]; KH = p[4]; KW = p[5]; CO = p[6]; OH = p[7]; OW = p[8];
    sh = p[9]; sw = p[10]; dh = p[11]; dw = p[12]; pt = p[13]; pl = p[14]; pb = p[15]; pr = p[16];
  }
  memory::desc src(tag t = tag::nhwc) const { return memory::desc({N, CI, H, W}, dt::f32, t); }
  memory::desc dst(tag t = tag::nhwc) const { return memory::desc({N, CO, OH, OW}, dt::f32, t); }
  memory::desc wts(tag t) const { return memory::desc({CO, CI, KH, KW}, dt::f32, t); }
  memory::desc bias() const { return memory::desc({CO}, dt::f32, tag::x); }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims dil() const { return {dh - 1, dw - 1}; }
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
  size_t inSize() const { return size_t(N) * H * W * CI; }
  size_t outSize() const { return size_t(N) * OH * OW * CO; }
  size_t wSize() const { return size_t(KH) * KW * CI * CO; }
};

convolution_forward::primitive_desc fwdPd(const Geo& g, bool withBias, const primitive_attr& attr) {
  auto d = withBias
      ? convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, g.src(), g.wts(tag::any),
                                  g.bias(), g.dst(), g.strides(), g.dil(), g.padL(), g.padR())
      : convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, g.src(), g.wts(tag::any),
                                  g.dst(), g.strides(), g.dil(), g.padL(), g.padR());
  return convolution_forward::primitive_desc(d, attr, cpuEngine());
}

/** Internal weights buffer plus the reorder between it and the user's HWIO array. */
struct WeightsPort {
  memory::desc user, internal;
  bool needsReorder = false;
  memory mem;
  reorder r;
  void init(const memory::desc& u, const memory::desc& in, bool toInternal) {
    user = u;
    internal = in;
    needsReorder = !(u == in);
    if (needsReorder) {
      mem = memory(in, cpuEngine());
      auto userMem = memory(u, cpuEngine(), nullptr);
      r = toInternal ? reorder(userMem, mem) : reorder(mem, userMem);
    }
  }
};

// `scratch`: the scratchpad of a chunk primitive (user-managed; zero size otherwise).
struct Fwd {
  convolution_forward prim;
  WeightsPort w;
  memory::desc scratch;
};
struct BwdData {
  convolution_backward_data prim;
  WeightsPort w;
  memory::desc scratch;
};
struct BwdWeights {
  convolution_backward_weights prim;
  WeightsPort w;
  memory::desc scratch;
  std::vector<float> partial;  // one internal-layout weight gradient per chunk
};

std::unordered_map<std::string, std::unique_ptr<Fwd>> fwdCache;
std::unordered_map<std::string, std::unique_ptr<BwdData>> bwdDataCache;
std::unordered_map<std::string, std::unique_ptr<BwdWeights>> bwdWeightsCache;

int threadsFor(const Geo& g) {
  const double macs = double(g.N) * g.OH * g.OW * g.CO * g.KH * g.KW * g.CI;
  return threadsForMacs(macs);
}

void runReorder(WeightsPort& w, void* userPtr, bool toInternal) {
  memory userMem(w.user, cpuEngine(), userPtr);
  if (toInternal) w.r.execute(cpuStream(), userMem, w.mem);
  else w.r.execute(cpuStream(), w.mem, userMem);
}

// The weights in the primitive's layout, reordered now (and waited for) when it differs from the user's.
const float* internalWeightsNow(WeightsPort& port, const float* w) {
  if (!port.needsReorder) return w;
  runReorder(port, const_cast<float*>(w), true);
  cpuStream().wait();
  return static_cast<const float*>(port.mem.get_data_handle());
}

// ---- Batch-chunked execution (chunk-pool.h): async mode with helper threads ----

/** Below this many multiply-adds a convolution is not split (a chunk hand-off costs ~10 us). */
constexpr double kChunkMacs = 8.0e6;

/**
 * Number of equal batch chunks for `g` (0: do not split): helpers must exist, the convolution
 * must be big enough, and the chunk count (8, 4 or 2, at least 1 M multiply-adds each) must
 * divide the batch, so that every chunk uses the same primitive.
 */
std::atomic<uint64_t> chunkedCalls{0};

int chunkCount(const Geo& g) {
  if (chunkHelpers() == 0) return 0;
  const double macs = double(g.N) * g.OH * g.OW * g.CO * g.KH * g.KW * g.CI;
  if (macs < kChunkMacs) return 0;
  for (int k : {8, 4, 2}) {
    if (g.N % k == 0 && macs / k >= 1.0e6) {
      chunkedCalls.fetch_add(1, std::memory_order_relaxed);
      return k;
    }
  }
  return 0;
}

/** The geometry of one chunk of `k` (batch N / k). */
std::vector<int32_t> chunkGeometry(const int32_t* p, int k) {
  std::vector<int32_t> c(p, p + 17);
  c[0] = p[0] / k;
  return c;
}

/** A per-thread stream and scratchpad (primitives of chunks use user-managed scratchpads). */
stream& threadStream() {
  thread_local stream s(cpuEngine());
  return s;
}
void* threadScratch(size_t bytes) {
  thread_local std::vector<char> buf;
  if (buf.size() < bytes) buf.resize(bytes);
  return buf.data();
}

primitive_attr withUserScratchpad(primitive_attr attr) {
  attr.set_scratchpad_mode(scratchpad_mode::user);
  return attr;
}

}  // namespace

primitive_attr activationAttr(int act, float alpha) {
  primitive_attr attr;
  if (act != ACT_LINEAR) {
    post_ops po;
    switch (act) {
      case ACT_RELU: po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
      case ACT_LEAKYRELU: po.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
      case ACT_RELU6: po.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
      case ACT_ELU: po.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
      case ACT_SIGMOID: po.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
      case ACT_TANH: po.append_eltwise(1.f, algorithm::eltwise_tanh, 0.f, 0.f); break;
      default: throw ArgError("unsupported fused activation code " + std::to_string(act));
    }
    attr.set_post_ops(po);
  }
  return attr;
}

namespace {

/** The cached forward primitive for geometry p (nthr threads; chunk: user scratchpad). */
Fwd& forwardFor(const int32_t* p, bool withBias, int act, float alpha, int nthr, bool chunk) {
  Geo g(p);
  std::string k = key(chunk ? "fc" : "f", p, 17, (act * 2 + withBias) * 1024 + nthr, alpha);
  auto it = fwdCache.find(k);
  if (it == fwdCache.end()) {
    ThreadScope ts(nthr);
    primitive_attr attr = activationAttr(act, alpha);
    if (chunk) attr = withUserScratchpad(attr);
    auto pd = fwdPd(g, withBias, attr);
    auto f = std::make_unique<Fwd>();
    f->prim = convolution_forward(pd);
    f->w.init(g.wts(tag::hwio), pd.weights_desc(), true);
    if (chunk) f->scratch = pd.scratchpad_desc();
    if (fwdCache.size() >= kMaxCached) fwdCache.clear();  // bound memory for ever-changing shapes
    it = fwdCache.emplace(k, std::move(f)).first;
  }
  return *it->second;
}

}  // namespace

void conv2dForward(const int32_t* p, const float* x, const float* w, const float* bias, float* y, int act, float alpha) {
  Geo g(p);
  auto& e = cpuEngine();
  const int chunks = chunkCount(g);
  if (chunks > 0) {
    const std::vector<int32_t> cp = chunkGeometry(p, chunks);
    Geo cg(cp.data());
    Fwd& f = forwardFor(cp.data(), bias != nullptr, act, alpha, 1, true);
    const float* wts = internalWeightsNow(f.w, w);
    const size_t inStep = cg.inSize(), outStep = cg.outSize();
    runChunks(chunks, [&](int c) {
      memory src(cg.src(), e, const_cast<float*>(x) + c * inStep), dst(cg.dst(), e, y + c * outStep);
      memory wm(f.w.internal, e, const_cast<float*>(wts));
      memory sp(f.scratch, e, threadScratch(f.scratch.get_size()));
      std::unordered_map<int, memory> a{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, sp}};
      if (bias) a.insert({DNNL_ARG_BIAS, memory(cg.bias(), e, const_cast<float*>(bias))});
      f.prim.execute(threadStream(), a);
      threadStream().wait();
    });
    return;
  }
  const int nthr = threadsFor(g);
  Fwd& f = forwardFor(p, bias != nullptr, act, alpha, nthr, false);
  memory src(g.src(), e, const_cast<float*>(x)), dst(g.dst(), e, y);
  memory wts = f.w.needsReorder ? f.w.mem : memory(f.w.user, e, const_cast<float*>(w));
  if (f.w.needsReorder) runReorder(f.w, const_cast<float*>(w), true);
  std::unordered_map<int, memory> a{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wts}, {DNNL_ARG_DST, dst}};
  if (bias) a.insert({DNNL_ARG_BIAS, memory(g.bias(), e, const_cast<float*>(bias))});
  f.prim.execute(cpuStream(), a);
  cpuStream().wait();
}

namespace {

/**
 * Input gradient for convolutions with very few input channels (oneDNN's blocked kernels pad
 * the channels to 16 and run at ~6 GFLOP/s on the 1-channel 7x7 stem): one GEMM
 * colT[KH*KW*CI, P] = W[KH*KW*CI, CO] x dy[P, CO]^T (P = N*OH*OW), then a col2im scatter-add
 * whose inner loop runs along an output row (contiguous in colT), threaded over the batch.
 */
void backwardDataFewChannels(const Geo& g, const float* dy, const float* w, float* dx) {
  const long long P = g.N * g.OH * g.OW, KK = g.KH * g.KW * g.CI;
  static std::vector<float> col;  // kept between calls: avoids page faults on every call
  if (col.size() < size_t(P) * KK) col.resize(size_t(P) * KK);
  const int32_t gp[8] = {1, int32_t(KK), int32_t(P), int32_t(g.CO), 0, 1, 0, 0};
  batchMatMul(gp, w, dy, nullptr, 0, col.data(), ACT_LINEAR, 0.f);
  std::memset(dx, 0, sizeof(float) * g.inSize());
  const float* c = col.data();
#pragma omp parallel for if (g.N > 1 && P * KK > 65536) schedule(static)
  for (long long n = 0; n < g.N; n++) {
    for (long long kh = 0; kh < g.KH; kh++) {
      for (long long kw = 0; kw < g.KW; kw++) {
        // Output columns whose input column iw = ow*sw - pl + kw*dw lies in [0, W).
        const long long off = kw * g.dw - g.pl;
        long long ow0 = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
        long long ow1 = (g.W - 1 - off) >= 0 ? (g.W - 1 - off) / g.sw + 1 : 0;
        if (ow1 > g.OW) ow1 = g.OW;
        if (ow0 >= ow1) continue;
        for (long long ci = 0; ci < g.CI; ci++) {
          const float* crow = c + ((kh * g.KW + kw) * g.CI + ci) * P + n * g.OH * g.OW;
          for (long long oh = 0; oh < g.OH; oh++) {
            const long long ih = oh * g.sh - g.pt + kh * g.dh;
            if (ih < 0 || ih >= g.H) continue;
            const float* src = crow + oh * g.OW;
            float* d = dx + (n * g.H + ih) * g.W * g.CI + ci;
            for (long long ow = ow0; ow < ow1; ow++) d[(ow * g.sw + off) * g.CI] += src[ow];
          }
        }
      }
    }
  }
}

}  // namespace

namespace {

BwdData& backwardDataFor(const int32_t* p, int nthr, bool chunk) {
  Geo g(p);
  std::string k = key(chunk ? "dc" : "d", p, 17, nthr);
  auto it = bwdDataCache.find(k);
  if (it == bwdDataCache.end()) {
    ThreadScope ts(nthr);
    auto hint = fwdPd(g, false, primitive_attr());
    auto d = convolution_backward_data::desc(algorithm::convolution_direct, g.src(), g.wts(tag::any), g.dst(),
                                             g.strides(), g.dil(), g.padL(), g.padR());
    auto pd = chunk ? convolution_backward_data::primitive_desc(d, withUserScratchpad(primitive_attr()), cpuEngine(), hint)
                    : convolution_backward_data::primitive_desc(d, cpuEngine(), hint);
    auto b = std::make_unique<BwdData>();
    b->prim = convolution_backward_data(pd);
    b->w.init(g.wts(tag::hwio), pd.weights_desc(), true);
    if (chunk) b->scratch = pd.scratchpad_desc();
    if (bwdDataCache.size() >= kMaxCached) bwdDataCache.clear();  // bound memory for ever-changing shapes
    it = bwdDataCache.emplace(k, std::move(b)).first;
  }
  return *it->second;
}

BwdWeights& backwardWeightsFor(const int32_t* p, int nthr, bool chunk) {
  Geo g(p);
  std::string k = key(chunk ? "wc" : "w", p, 17, nthr);
  auto it = bwdWeightsCache.find(k);
  if (it == bwdWeightsCache.end()) {
    ThreadScope ts(nthr);
    auto hint = fwdPd(g, false, primitive_attr());
    auto d = convolution_backward_weights::desc(algorithm::convolution_direct, g.src(), g.wts(tag::any), g.dst(),
                                                g.strides(), g.dil(), g.padL(), g.padR());
    auto pd = chunk ? convolution_backward_weights::primitive_desc(d, withUserScratchpad(primitive_attr()), cpuEngine(), hint)
                    : convolution_backward_weights::primitive_desc(d, cpuEngine(), hint);
    auto b = std::make_unique<BwdWeights>();
    b->prim = convolution_backward_weights(pd);
    b->w.init(g.wts(tag::hwio), pd.diff_weights_desc(), false);
    if (chunk) b->scratch = pd.scratchpad_desc();
    if (bwdWeightsCache.size() >= kMaxCached) bwdWeightsCache.clear();  // bound memory for ever-changing shapes
    it = bwdWeightsCache.emplace(k, std::move(b)).first;
  }
  return *it->second;
}

}  // namespace

void conv2dBackwardData(const int32_t* p, const float* dy, const float* w, float* dx) {
  Geo g(p);
  if (g.CI <= 4) {
    backwardDataFewChannels(g, dy, w, dx);
    return;
  }
  auto& e = cpuEngine();
  const int chunks = chunkCount(g);
  if (chunks > 0) {
    const std::vector<int32_t> cp = chunkGeometry(p, chunks);
    Geo cg(cp.data());
    BwdData& b = backwardDataFor(cp.data(), 1, true);
    const float* wts = internalWeightsNow(b.w, w);
    const size_t inStep = cg.inSize(), outStep = cg.outSize();
    runChunks(chunks, [&](int c) {
      memory diffDst(cg.dst(), e, const_cast<float*>(dy) + c * outStep), diffSrc(cg.src(), e, dx + c * inStep);
      memory wm(b.w.internal, e, const_cast<float*>(wts));
      memory sp(b.scratch, e, threadScratch(b.scratch.get_size()));
      b.prim.execute(threadStream(), {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DIFF_SRC, diffSrc}, {DNNL_ARG_SCRATCHPAD, sp}});
      threadStream().wait();
    });
    return;
  }
  const int nthr = threadsFor(g);
  BwdData& b = backwardDataFor(p, nthr, false);
  memory diffDst(g.dst(), e, const_cast<float*>(dy)), diffSrc(g.src(), e, dx);
  memory wts = b.w.needsReorder ? b.w.mem : memory(b.w.user, e, const_cast<float*>(w));
  if (b.w.needsReorder) runReorder(b.w, const_cast<float*>(w), true);
  b.prim.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, wts}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  cpuStream().wait();
}

void conv2dBackwardWeights(const int32_t* p, const float* x, const float* dy, float* dw) {
  Geo g(p);
  auto& e = cpuEngine();
  const int chunks = chunkCount(g);
  if (chunks > 0) {
    // Each chunk's weight gradient goes to its own buffer; they are then added in chunk order,
    // so the result does not depend on which thread ran which chunk.
    const std::vector<int32_t> cp = chunkGeometry(p, chunks);
    Geo cg(cp.data());
    BwdWeights& b = backwardWeightsFor(cp.data(), 1, true);
    const size_t wlen = b.w.internal.get_size() / sizeof(float);
    if (b.partial.size() < wlen * chunks) b.partial.resize(wlen * chunks);
    float* part = b.partial.data();
    const size_t inStep = cg.inSize(), outStep = cg.outSize();
    runChunks(chunks, [&](int c) {
      memory src(cg.src(), e, const_cast<float*>(x) + c * inStep), diffDst(cg.dst(), e, const_cast<float*>(dy) + c * outStep);
      memory dwm(b.w.internal, e, part + c * wlen);
      memory sp(b.scratch, e, threadScratch(b.scratch.get_size()));
      b.prim.execute(threadStream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, dwm}, {DNNL_ARG_SCRATCHPAD, sp}});
      threadStream().wait();
    });
    float* sum = b.w.needsReorder ? static_cast<float*>(b.w.mem.get_data_handle()) : dw;
    for (size_t i = 0; i < wlen; i++) {
      float acc = part[i];
      for (int c = 1; c < chunks; c++) acc += part[c * wlen + i];
      sum[i] = acc;
    }
    if (b.w.needsReorder) runReorder(b.w, dw, false);
    cpuStream().wait();
    return;
  }
  const int nthr = threadsFor(g);
  BwdWeights& b = backwardWeightsFor(p, nthr, false);
  memory src(g.src(), e, const_cast<float*>(x)), diffDst(g.dst(), e, const_cast<float*>(dy));
  memory dwts = b.w.needsReorder ? b.w.mem : memory(b.w.user, e, dw);
  b.prim.execute(cpuStream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, dwts}});
  if (b.w.needsReorder) runReorder(b.w, dw, false);
  cpuStream().wait();
}

uint64_t chunkedConvCalls() { return chunkedCalls.load(); }

size_t convCacheSize() { return fwdCache.size() + bwdDataCache.size() + bwdWeightsCache.size(); }

void convCacheClear() {
  fwdCache.clear();
  bwdDataCache.clear();
  bwdWeightsCache.clear();
}

}  // namespace lf
