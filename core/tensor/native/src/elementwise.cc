// Memory-bound kernels; see elementwise.h. Semantics follow @tensorflow/tfjs-backend-cpu 4.22
// (NaN handling, softplus thresholds, step's alpha), computed in float (reductions in double).
#include "elementwise.h"
#include "napi-util.h"
#include "conv.h"
#include "simd.h"
#include "chunk-pool.h"

#include <omp.h>
#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace lf {

namespace {

constexpr long long kParallelMin = 32768;  // elements below which threading does not pay off

/** Elements below which a map is not shared with the chunk helpers (a hand-off costs ~10 us). */
constexpr long long kPoolMin = 262144;

/**
 * In async mode with chunk helpers (chunk-pool.h): runs body(start, end) over [0, n) in up to 8
 * equal ranges shared by the worker and the helpers and returns true; false (nothing run) when
 * there are no helpers or `work` elements are too few. For maps with disjoint outputs only.
 */
template <typename F>
inline bool pooled(long long n, long long work, F body) {
  if (work < kPoolMin || n < 2 || chunkHelpers() == 0) return false;
  const int k = int(std::min<long long>(n, 8));
  const long long step = (n + k - 1) / k;
  runChunks(k, [&](int c) {
    const long long s = c * step, e = std::min(n, s + step);
    if (s < e) body(s, e);
  });
  return true;
}

template <typename F>
inline void mapN(const float* x, float* y, long long n, F f) {
  if (pooled(n, n, [&](long long s, long long e) { for (long long i = s; i < e; i++) y[i] = f(x[i]); })) return;
#pragma omp parallel for if (n > kParallelMin) schedule(static)
  for (long long i = 0; i < n; i++) y[i] = f(x[i]);
}

/** Runs body(start, end) over [0, n) split evenly across the threads (one chunk if small). */
template <typename F>
inline void chunked(long long n, F body) {
  if (n <= kParallelMin) { body(0, n); return; }
  if (pooled(n, n, body)) return;
#pragma omp parallel
  {
    const int nt = omp_get_num_threads(), t = omp_get_thread_num();
    const long long chunk = (n + nt - 1) / nt, s = chunk * t, e = s + chunk < n ? s + chunk : n;
    if (s < e) body(s, e);
  }
}

// Reductions split across threads (`omp for schedule(static)`: a fixed chunk per thread index)
// keep one partial result per thread index and combine the partials in index order after the
// parallel region: the result depends on the thread count but not on which thread finishes
// first (an `omp critical` combine, used before, added them in completion order).

inline float softplus(float x) {
  // tfjs-backend-cpu Softplus: threshold = log(2^-23) + 2
  const float threshold = std::log(1.1920928955078125e-7f) + 2.0f;
  if (x > -threshold) return x;
  if (x < threshold) return std::exp(x);
  return std::log1p(std::exp(x));
}

}  // namespace

void unary(int op, const float* x, float* y, size_t nn, float alpha, float beta) {
  const long long n = (long long)nn;
  switch (op) {
    case U_NEG: mapN(x, y, n, [](float v) { return -v; }); break;
    case U_ABS: mapN(x, y, n, [](float v) { return std::fabs(v); }); break;
    case U_SQUARE: mapN(x, y, n, [](float v) { return v * v; }); break;
    case U_SQRT: mapN(x, y, n, [](float v) { return std::sqrt(v); }); break;
    case U_RSQRT: mapN(x, y, n, [](float v) { return 1.f / std::sqrt(v); }); break;
    case U_EXP: mapN(x, y, n, [](float v) { return std::exp(v); }); break;
    case U_LOG: mapN(x, y, n, [](float v) { return std::log(v); }); break;
    case U_LOG1P: mapN(x, y, n, [](float v) { return std::log1p(v); }); break;
    case U_RELU: mapN(x, y, n, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case U_RELU6: mapN(x, y, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
    case U_LEAKYRELU: chunked(n, [&](long long s, long long e) { simd::leakyRelu(x + s, y + s, e - s, alpha); }); break;
    case U_ELU: mapN(x, y, n, [](float v) { return v >= 0.f ? v : std::expm1(v); }); break;
    case U_SIGMOID: mapN(x, y, n, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
    case U_TANH: mapN(x, y, n, [](float v) { return std::tanh(v); }); break;
    case U_STEP: chunked(n, [&](long long s, long long e) { simd::step(x + s, y + s, e - s, alpha); }); break;
    case U_FLOOR: mapN(x, y, n, [](float v) { return std::floor(v); }); break;
    case U_CEIL: mapN(x, y, n, [](float v) { return std::ceil(v); }); break;
    case U_RECIPROCAL: mapN(x, y, n, [](float v) { return 1.f / v; }); break;
    case U_SOFTPLUS: mapN(x, y, n, [](float v) { return softplus(v); }); break;
    case U_CLIP: mapN(x, y, n, [alpha, beta](float v) { return v > beta ? beta : (v < alpha ? alpha : v); }); break;
    case U_SIGN: mapN(x, y, n, [](float v) { return v > 0.f ? 1.f : (v < 0.f ? -1.f : (v == 0.f ? 0.f : v)); }); break;
    case U_EXPM1: mapN(x, y, n, [](float v) { return std::expm1(v); }); break;
    case U_COPY:
      if (x != y) std::memcpy(y, x, nn * sizeof(float));
      break;
    default: throw ArgError("unary: unknown op code " + std::to_string(op));
  }
}

namespace {

template <int OP>
inline float bop(float a, float b) {
  if constexpr (OP == B_ADD) return a + b;
  if constexpr (OP == B_SUB) return a - b;
  if constexpr (OP == B_MUL) return a * b;
  if constexpr (OP == B_DIV) return a / b;
  if constexpr (OP == B_MAX) return (std::isnan(a) || std::isnan(b)) ? std::numeric_limits<float>::quiet_NaN() : (a > b ? a : b);
  if constexpr (OP == B_MIN) return (std::isnan(a) || std::isnan(b)) ? std::numeric_limits<float>::quiet_NaN() : (a < b ? a : b);
  // The difference is rounded to float before squaring; the JavaScript twin (js-binary.ts) does the same.
  if constexpr (OP == B_SQDIFF) { const float d = a - b; return d * d; }
  if constexpr (OP == B_POW) return std::pow(a, b);
  return 0.f;
}

/** Inner loop over `len` elements with strides ia, ib in {0, 1} specialised. */
template <int OP>
inline void innerRow(const float* a, const float* b, float* o, long long len, long long ia, long long ib) {
  if (ia == 1 && ib == 1) { for (long long j = 0; j < len; j++) o[j] = bop<OP>(a[j], b[j]); }
  else if (ia == 1 && ib == 0) { const float bv = *b; for (long long j = 0; j < len; j++) o[j] = bop<OP>(a[j], bv); }
  else if (ia == 0 && ib == 1) { const float av = *a; for (long long j = 0; j < len; j++) o[j] = bop<OP>(av, b[j]); }
  else { for (long long j = 0; j < len; j++) o[j] = bop<OP>(a[j * ia], b[j * ib]); }
}

struct Merged {
  int rank = 0;
  long long shape[16], sa[16], sb[16];
};

/** Drops size-1 dims and merges dims that are contiguous continuations in both operands. */
// The offsets in a and b (or source and destination) of row `row` of the merged shape (all dims but the last).
inline void rowOffsets(const Merged& m, long long row, long long& oa, long long& ob) {
  long long rem = row;
  oa = 0;
  ob = 0;
  for (int i = m.rank - 2; i >= 0; i--) {
    const long long idx = rem % m.shape[i];
    rem /= m.shape[i];
    oa += idx * m.sa[i];
    ob += idx * m.sb[i];
  }
}

Merged mergeDims(int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb) {
  Merged m;
  for (int i = 0; i < rank; i++) {
    if (shape[i] == 1) continue;
    if (m.rank > 0) {
      int k = m.rank - 1;
      if (m.sa[k] == (long long)sa[i] * shape[i] && m.sb[k] == (long long)sb[i] * shape[i]) {
        m.shape[k] *= shape[i];
        m.sa[k] = sa[i];
        m.sb[k] = sb[i];
        continue;
      }
    }
    m.shape[m.rank] = shape[i];
    m.sa[m.rank] = sa[i];
    m.sb[m.rank] = sb[i];
    m.rank++;
  }
  if (m.rank == 0) { m.rank = 1; m.shape[0] = 1; m.sa[0] = 0; m.sb[0] = 0; }
  return m;
}

template <int OP>
void binaryT(const float* a, const float* b, float* out, const Merged& m) {
  const int r = m.rank;
  const long long len = m.shape[r - 1], ia = m.sa[r - 1], ib = m.sb[r - 1];
  long long rows = 1;
  for (int i = 0; i < r - 1; i++) rows *= m.shape[i];
  const long long total = rows * len;
  if (rows == 1) {
    // One long row: split it into chunks.
    if (pooled(len, total, [&](long long s, long long e) { innerRow<OP>(a + s * ia, b + s * ib, out + s, e - s, ia, ib); })) return;
#pragma omp parallel if (total > kParallelMin)
    {
      const int nt = omp_get_num_threads(), t = omp_get_thread_num();
      const long long chunk = (len + nt - 1) / nt, s = chunk * t, e = s + chunk < len ? s + chunk : len;
      if (s < e) innerRow<OP>(a + s * ia, b + s * ib, out + s, e - s, ia, ib);
    }
    return;
  }
  auto rowsBody = [&](long long r0, long long r1) {
    for (long long row = r0; row < r1; row++) {
      long long oa, ob;
      rowOffsets(m, row, oa, ob);
      innerRow<OP>(a + oa, b + ob, out + row * len, len, ia, ib);
    }
  };
  if (pooled(rows, total, rowsBody)) return;
#pragma omp parallel for if (total > kParallelMin) schedule(static)
  for (long long row = 0; row < rows; row++) rowsBody(row, row + 1);
}

}  // namespace

void binary(int op, const float* a, const float* b, float* out, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb) {
  need(rank >= 0 && rank <= 16, "binary: rank must be in [0, 16], got " + std::to_string(rank));
  Merged m = mergeDims(rank, shape, sa, sb);
  switch (op) {
    case B_ADD: binaryT<B_ADD>(a, b, out, m); break;
    case B_SUB: binaryT<B_SUB>(a, b, out, m); break;
    case B_MUL: binaryT<B_MUL>(a, b, out, m); break;
    case B_DIV: binaryT<B_DIV>(a, b, out, m); break;
    case B_MAX: binaryT<B_MAX>(a, b, out, m); break;
    case B_MIN: binaryT<B_MIN>(a, b, out, m); break;
    case B_SQDIFF: binaryT<B_SQDIFF>(a, b, out, m); break;
    case B_POW: binaryT<B_POW>(a, b, out, m); break;
    default: throw ArgError("binary: unknown op code " + std::to_string(op));
  }
}

namespace {
template <int OP>
inline uint8_t cmp(float a, float b) {
  if constexpr (OP == C_GT) return a > b;
  if constexpr (OP == C_GE) return a >= b;
  if constexpr (OP == C_LT) return a < b;
  if constexpr (OP == C_LE) return a <= b;
  if constexpr (OP == C_EQ) return a == b;
  return a != b;
}

template <int OP>
void compareT(const float* a, const float* b, uint8_t* out, const Merged& m) {
  const int r = m.rank;
  const long long len = m.shape[r - 1], ia = m.sa[r - 1], ib = m.sb[r - 1];
  long long rows = 1;
  for (int i = 0; i < r - 1; i++) rows *= m.shape[i];
#pragma omp parallel for if (rows * len > kParallelMin) schedule(static)
  for (long long row = 0; row < rows; row++) {
    long long oa, ob;
    rowOffsets(m, row, oa, ob);
    uint8_t* o = out + row * len;
    for (long long j = 0; j < len; j++) o[j] = cmp<OP>(a[oa + j * ia], b[ob + j * ib]);
  }
}
}  // namespace

void compare(int op, const float* a, const float* b, uint8_t* out, int rank, const int32_t* shape, const int32_t* sa, const int32_t* sb) {
  need(rank >= 0 && rank <= 16, "compare: rank must be in [0, 16], got " + std::to_string(rank));
  Merged m = mergeDims(rank, shape, sa, sb);
  switch (op) {
    case C_GT: compareT<C_GT>(a, b, out, m); break;
    case C_GE: compareT<C_GE>(a, b, out, m); break;
    case C_LT: compareT<C_LT>(a, b, out, m); break;
    case C_LE: compareT<C_LE>(a, b, out, m); break;
    case C_EQ: compareT<C_EQ>(a, b, out, m); break;
    case C_NE: compareT<C_NE>(a, b, out, m); break;
    default: throw ArgError("compare: unknown op code " + std::to_string(op));
  }
}

void stridedCopy(const float* x, float* out, int rank, const int32_t* shape, const int32_t* srcStrides,
                 const int32_t* dstStrides, long long srcOffset, long long dstOffset) {
  need(rank >= 0 && rank <= 16, "stridedCopy: rank must be in [0, 16], got " + std::to_string(rank));
  Merged m = mergeDims(rank, shape, srcStrides, dstStrides);
  const int r = m.rank;
  const long long len = m.shape[r - 1], s = m.sa[r - 1], d = m.sb[r - 1];
  long long rows = 1;
  for (int i = 0; i < r - 1; i++) rows *= m.shape[i];
  const float* base = x + srcOffset;
  float* obase = out + dstOffset;
  const long long total = rows * len;
  auto rowsBody = [&](long long r0, long long r1) {
    for (long long row = r0; row < r1; row++) {
      long long o, od;
      rowOffsets(m, row, o, od);
      const float* src = base + o;
      float* dst = obase + od;
      if (s == 1 && d == 1) std::memcpy(dst, src, len * sizeof(float));
      else if (s == 0 && d == 1) { const float v = *src; for (long long j = 0; j < len; j++) dst[j] = v; }
      else for (long long j = 0; j < len; j++) dst[j * d] = src[j * s];
    }
  };
  if (pooled(rows, total, rowsBody)) return;
#pragma omp parallel for if (total > kParallelMin) schedule(static)
  for (long long row = 0; row < rows; row++) rowsBody(row, row + 1);
}

void applyActivationInPlace(float* y, size_t n, int act, float alpha) {
  static const int code[] = {-1, U_RELU, U_LEAKYRELU, U_RELU6, U_ELU, U_SIGMOID, U_TANH};
  if (act == 0) return;
  need(act > 0 && act < 7, "unsupported fused activation code " + std::to_string(act));
  unary(code[act], y, y, n, alpha, 0.f);
}

void toFloat(const uint8_t* in8, const int32_t* in32, float* out, size_t nn) {
  const long long n = (long long)nn;
  if (in8) {
#pragma omp parallel for if (n > kParallelMin) schedule(static)
    for (long long i = 0; i < n; i++) out[i] = float(in8[i]);
  } else {
#pragma omp parallel for if (n > kParallelMin) schedule(static)
    for (long long i = 0; i < n; i++) out[i] = float(in32[i]);
  }
}

void fill(float* out, size_t nn, float value) {
  const long long n = (long long)nn;
#pragma omp parallel for if (n > kParallelMin) schedule(static)
  for (long long i = 0; i < n; i++) out[i] = value;
}

namespace {

template <int OP>
inline double rinit() {
  if constexpr (OP == R_MAX) return -std::numeric_limits<double>::infinity();
  if constexpr (OP == R_MIN) return std::numeric_limits<double>::infinity();
  if constexpr (OP == R_PROD) return 1.0;
  return 0.0;
}

template <int OP>
inline double racc(double acc, float v) {
  if constexpr (OP == R_MAX) return (std::isnan(v) || v > acc) ? double(v) : acc;
  if constexpr (OP == R_MIN) return (std::isnan(v) || v < acc) ? double(v) : acc;
  if constexpr (OP == R_PROD) return acc * v;
  return acc + v;
}

template <int OP>
inline double rcombine(double a, double b) {
  if constexpr (OP == R_MAX) return (std::isnan(b) || b > a) ? b : a;
  if constexpr (OP == R_MIN) return (std::isnan(b) || b < a) ? b : a;
  if constexpr (OP == R_PROD) return a * b;
  return a + b;
}

template <int OP>
void reduceT(const float* x, float* out, long long outer, long long red, long long inner, double scale) {
  const long long total = outer * red * inner;
  const bool par = total > kParallelMin;
  if (inner == 1) {
    if (outer >= 8 || !par) {
#pragma omp parallel for if (par) schedule(static)
      for (long long o = 0; o < outer; o++) {
        const float* xr = x + o * red;
        double acc = rinit<OP>();
        for (long long r = 0; r < red; r++) acc = racc<OP>(acc, xr[r]);
        out[o] = float(acc * scale);
      }
      return;
    }
    std::vector<double> parts(omp_get_max_threads());
    for (long long o = 0; o < outer; o++) {
      const float* xr = x + o * red;
      int nt = 1;
#pragma omp parallel
      {
        double part = rinit<OP>();
#pragma omp for schedule(static) nowait
        for (long long r = 0; r < red; r++) part = racc<OP>(part, xr[r]);
        const int t = omp_get_thread_num();
        parts[t] = part;
        if (t == 0) nt = omp_get_num_threads();
      }
      double acc = rinit<OP>();
      for (int t = 0; t < nt; t++) acc = rcombine<OP>(acc, parts[t]);
      out[o] = float(acc * scale);
    }
    return;
  }
  if (outer >= 8 || !par) {
#pragma omp parallel if (par)
    {
      std::vector<double> acc(inner);
#pragma omp for schedule(static)
      for (long long o = 0; o < outer; o++) {
        for (long long i = 0; i < inner; i++) acc[i] = rinit<OP>();
        const float* xo = x + o * red * inner;
        for (long long r = 0; r < red; r++) {
          const float* xr = xo + r * inner;
          for (long long i = 0; i < inner; i++) acc[i] = racc<OP>(acc[i], xr[i]);
        }
        for (long long i = 0; i < inner; i++) out[o * inner + i] = float(acc[i] * scale);
      }
    }
    return;
  }
  // Few outer slices: split the reduced axis across threads, partial results per thread.
  std::vector<double> parts(size_t(omp_get_max_threads()) * inner);
  for (long long o = 0; o < outer; o++) {
    const float* xo = x + o * red * inner;
    int nt = 1;
#pragma omp parallel
    {
      std::vector<double> part(inner, rinit<OP>());
#pragma omp for schedule(static) nowait
      for (long long r = 0; r < red; r++) {
        const float* xr = xo + r * inner;
        for (long long i = 0; i < inner; i++) part[i] = racc<OP>(part[i], xr[i]);
      }
      const int t = omp_get_thread_num();
      std::copy(part.begin(), part.end(), parts.begin() + size_t(t) * inner);
      if (t == 0) nt = omp_get_num_threads();
    }
    for (long long i = 0; i < inner; i++) {
      double acc = rinit<OP>();
      for (int t = 0; t < nt; t++) acc = rcombine<OP>(acc, parts[size_t(t) * inner + i]);
      out[o * inner + i] = float(acc * scale);
    }
  }
}

}  // namespace

void reduce(int op, const float* x, float* out, long long outer, long long red, long long inner) {
  need(outer >= 0 && red >= 0 && inner >= 0, "reduce: negative extent");
  switch (op) {
    case R_SUM: reduceT<R_SUM>(x, out, outer, red, inner, 1.0); break;
    case R_MEAN: reduceT<R_SUM>(x, out, outer, red, inner, red > 0 ? 1.0 / double(red) : std::numeric_limits<double>::quiet_NaN()); break;
    case R_MAX: reduceT<R_MAX>(x, out, outer, red, inner, 1.0); break;
    case R_MIN: reduceT<R_MIN>(x, out, outer, red, inner, 1.0); break;
    case R_PROD: reduceT<R_PROD>(x, out, outer, red, inner, 1.0); break;
    default: throw ArgError("reduce: unknown op code " + std::to_string(op));
  }
}

namespace {

// y = ((x - mHi) - mLo) * k + offset, k = scale / sqrt(var + eps), with the mean split into two floats
// (mHi + mLo ~ the double mean). Not folded into x * k + (offset - mean * k): when |mean| * k >> |offset|
// (a large mean, or a variance near 0 so that k ~ 1/sqrt(eps)) the folded constant loses the output's
// low bits to float32 rounding (2.6e-4 relative seen for one row per channel); x - mHi is exact when x
// is near the mean, and mLo keeps the mean's own float32 rounding (~ulp(mean) * k) out of the output.
void normalizeRows(const float* x, float* out, size_t nn, size_t P, const double* mean, const double* var,
                   const float* offset, size_t lo, const float* scale, size_t ls, float eps) {
  std::vector<float> hi(P), low(P), mul(P), add(P);
  for (size_t c = 0; c < P; c++) {
    const double s = scale ? scale[ls == 1 ? 0 : c] : 1.0, o = offset ? offset[lo == 1 ? 0 : c] : 0.0;
    hi[c] = float(mean[c]);
    low[c] = float(mean[c] - double(hi[c]));
    mul[c] = float(s / std::sqrt(var[c] + double(eps)));
    add[c] = float(o);
  }
  const long long rows = (long long)(nn / P);
  const float* hp = hi.data();
  const float* lp = low.data();
  const float* mp = mul.data();
  const float* ap = add.data();
  auto rowsBody = [&](long long r0, long long r1) {
    for (long long r = r0; r < r1; r++) {
      const float* xr = x + r * P;
      float* yr = out + r * P;
      for (size_t c = 0; c < P; c++) yr[c] = ((xr[c] - hp[c]) - lp[c]) * mp[c] + ap[c];
    }
  };
  if (pooled(rows, (long long)nn, rowsBody)) return;
#pragma omp parallel for if ((long long)nn > kParallelMin) schedule(static)
  for (long long r = 0; r < rows; r++) rowsBody(r, r + 1);
}

}  // namespace

void batchNorm(const float* x, float* out, size_t nn, size_t P, const float* mean, size_t lm, const float* var, size_t lv,
               const float* offset, size_t lo, const float* scale, size_t ls, float eps) {
  need(P > 0 && nn % P == 0, "batchNorm: parameter length must divide the element count");
  std::vector<double> m(P), v(P);
  for (size_t c = 0; c < P; c++) {
    m[c] = mean[lm == 1 ? 0 : c];
    v[c] = var[lv == 1 ? 0 : c];
  }
  normalizeRows(x, out, nn, P, m.data(), v.data(), offset, lo, scale, ls, eps);
}

void batchNormGrad(const float* x, const float* dy, size_t nn, size_t P, const float* mean, const float* var,
                   const float* scale, float eps, float* dx, float* dmean, float* dvar, float* dscale, float* doffset) {
  need(P > 0 && nn % P == 0, "batchNormGrad: P must divide the element count");
  const long long rows = (long long)(nn / P);
  std::vector<double> inv(P), s(P);
  for (size_t c = 0; c < P; c++) {
    inv[c] = 1.0 / std::sqrt(double(var[c]) + double(eps));
    s[c] = scale ? double(scale[c]) : 1.0;
  }
  const bool needSums = dmean || dvar || dscale || doffset;
  std::vector<double> sumDy(P, 0.0), sumDyXm(P, 0.0);
  if (needSums) {
    // Per-thread partial sums over static row chunks, added in thread order.
    std::vector<double> parts(size_t(omp_get_max_threads()) * 2 * P, 0.0);
    int nt = 1;
#pragma omp parallel if ((long long)nn > kParallelMin)
    {
      std::vector<double> a(P, 0.0), b(P, 0.0);
#pragma omp for schedule(static) nowait
      for (long long r = 0; r < rows; r++) {
        const float* xr = x + r * P;
        const float* gr = dy + r * P;
        for (size_t c = 0; c < P; c++) {
          a[c] += gr[c];
          b[c] += double(gr[c]) * (double(xr[c]) - double(mean[c]));
        }
      }
      const int t = omp_get_thread_num();
      std::copy(a.begin(), a.end(), parts.begin() + size_t(t) * 2 * P);
      std::copy(b.begin(), b.end(), parts.begin() + size_t(t) * 2 * P + P);
      if (t == 0) nt = omp_get_num_threads();
    }
    for (int t = 0; t < nt; t++) {
      const double* a = parts.data() + size_t(t) * 2 * P;
      for (size_t c = 0; c < P; c++) { sumDy[c] += a[c]; sumDyXm[c] += a[P + c]; }
    }
  }
  for (size_t c = 0; c < P; c++) {
    if (dmean) dmean[c] = float(-s[c] * inv[c] * sumDy[c]);
    if (dvar) dvar[c] = float(-0.5 * s[c] * inv[c] * inv[c] * inv[c] * sumDyXm[c]);
    if (dscale) dscale[c] = float(inv[c] * sumDyXm[c]);
    if (doffset) doffset[c] = float(sumDy[c]);
  }
  if (dx) {
    std::vector<float> k(P);
    for (size_t c = 0; c < P; c++) k[c] = float(s[c] * inv[c]);
    const float* kp = k.data();
#pragma omp parallel for if ((long long)nn > kParallelMin) schedule(static)
    for (long long r = 0; r < rows; r++) {
      const float* gr = dy + r * P;
      float* o = dx + r * P;
      for (size_t c = 0; c < P; c++) o[c] = gr[c] * kp[c];
    }
  }
}

namespace {

/** Fixed row ranges of the training batch-norm reductions (independent of the thread count). */
constexpr int kBnRanges = 8;

/**
 * Per-channel sums over `rows` rows of P channels: body(r0, r1, acc) adds its rows' terms to acc
 * (`width` x P doubles, zeroed). The rows are cut into kBnRanges fixed ranges whose partial sums
 * are added in range order, so the result is the same bit for bit whatever the thread count and
 * whichever thread ran which range.
 */
template <typename F>
std::vector<double> rowRangeSums(long long rows, size_t P, size_t width, F body) {
  const int k = int(std::max<long long>(1, std::min<long long>(rows, kBnRanges)));
  const long long step = (rows + k - 1) / k;
  const size_t w = width * P;
  std::vector<double> parts(size_t(k) * w, 0.0);
  auto run = [&](int c) {
    const long long s = c * step, e = std::min(rows, s + step);
    if (s < e) body(s, e, parts.data() + size_t(c) * w);
  };
  const long long total = rows * (long long)P;
  if (total >= kPoolMin && chunkHelpers() > 0) {
    runChunks(k, run);
  } else {
#pragma omp parallel for if (total > kParallelMin) schedule(static)
    for (int c = 0; c < k; c++) run(c);
  }
  std::vector<double> sum(w, 0.0);
  for (int c = 0; c < k; c++)
    for (size_t j = 0; j < w; j++) sum[j] += parts[size_t(c) * w + j];
  return sum;
}

/** out[r, c] = a[c] * u[r, c] + b[c] * v[r, c] + d[c] over rows of P channels (threaded). */
void channelAffine2(const float* u, const float* v, float* out, long long rows, size_t P,
                    const float* a, const float* b, const float* d) {
  auto rowsBody = [&](long long r0, long long r1) {
    for (long long r = r0; r < r1; r++) {
      const float* ur = u + r * P;
      const float* vr = v + r * P;
      float* o = out + r * P;
      for (size_t c = 0; c < P; c++) o[c] = a[c] * ur[c] + b[c] * vr[c] + d[c];
    }
  };
  const long long nn = rows * (long long)P;
  if (pooled(rows, nn, rowsBody)) return;
#pragma omp parallel for if (nn > kParallelMin) schedule(static)
  for (long long r = 0; r < rows; r++) rowsBody(r, r + 1);
}

}  // namespace

void batchNormTrain(const float* x, float* out, size_t nn, size_t P, const float* offset, const float* scale, float eps,
                    float* meanOut, float* varOut) {
  need(P > 0 && nn % P == 0 && nn > 0, "batchNormTrain: P must divide the (non-zero) element count");
  const long long rows = (long long)(nn / P);
  // Shifted sums (by the first row) keep E[x^2] - E[x]^2 accurate when |mean| >> std.
  const float* k0 = x;
  std::vector<double> s = rowRangeSums(rows, P, 2, [&](long long r0, long long r1, double* acc) {
    double* a = acc;
    double* b = acc + P;
    for (long long r = r0; r < r1; r++) {
      const float* xr = x + r * P;
      for (size_t c = 0; c < P; c++) {
        const double d = double(xr[c]) - double(k0[c]);
        a[c] += d;
        b[c] += d * d;
      }
    }
  });
  const double n = double(rows);
  std::vector<double> m(P), v(P);
  for (size_t c = 0; c < P; c++) {
    const double dm = s[c] / n;
    m[c] = double(k0[c]) + dm;
    v[c] = std::max(0.0, s[P + c] / n - dm * dm);
    meanOut[c] = float(m[c]);
    varOut[c] = float(v[c]);
  }
  normalizeRows(x, out, nn, P, m.data(), v.data(), offset, offset ? P : 1, scale, scale ? P : 1, eps);
}

void batchNormTrainGrad(const float* x, const float* dy, size_t nn, size_t P, const float* mean, const float* var,
                        const float* scale, float eps, const float* dmeanIn, const float* dvarIn, float* dx, float* dscale,
                        float* doffset) {
  need(P > 0 && nn % P == 0 && nn > 0, "batchNormTrainGrad: P must divide the (non-zero) element count");
  const long long rows = (long long)(nn / P);
  std::vector<double> s = rowRangeSums(rows, P, 2, [&](long long r0, long long r1, double* acc) {
    double* a = acc;
    double* b = acc + P;
    for (long long r = r0; r < r1; r++) {
      const float* xr = x + r * P;
      const float* gr = dy + r * P;
      for (size_t c = 0; c < P; c++) {
        a[c] += gr[c];
        b[c] += double(gr[c]) * (double(xr[c]) - double(mean[c]));
      }
    }
  });
  // dx = g*inv*(dy - sum(dy)/n - (x - m)*inv^2*sum(dy*(x - m))/n) = A*dy + B*x + D per channel,
  // plus what reaches the batch mean and variance outputs directly: dmean/n + 2*dvar*(x - m)/n.
  const double n = double(rows);
  std::vector<float> A(P), B(P), D(P);
  for (size_t c = 0; c < P; c++) {
    const double inv = 1.0 / std::sqrt(double(var[c]) + double(eps));
    const double g = scale ? double(scale[c]) : 1.0;
    const double sumDy = s[c], sumDyXm = s[P + c];
    if (dscale) dscale[c] = float(inv * sumDyXm);
    if (doffset) doffset[c] = float(sumDy);
    const double dmIn = dmeanIn ? double(dmeanIn[c]) : 0.0, dvIn = dvarIn ? double(dvarIn[c]) : 0.0;
    const double a = g * inv, b = -g * inv * inv * inv * sumDyXm / n + 2.0 * dvIn / n;
    A[c] = float(a);
    B[c] = float(b);
    D[c] = float(-a * sumDy / n + dmIn / n - b * double(mean[c]));
  }
  if (dx) channelAffine2(dy, x, dx, rows, P, A.data(), B.data(), D.data());
}

void scaledProduct(const float* a, const float* b, float* out, size_t nn, float scale) {
  chunked((long long)nn, [&](long long s, long long e) {
    for (long long i = s; i < e; i++) out[i] = a[i] * (b[i] * scale);
  });
}

void reluGrad(const float* dy, const float* x, float* out, size_t nn, float alpha, bool leaky) {
  const long long n = (long long)nn;
  if (leaky) chunked(n, [&](long long s, long long e) { simd::leakyReluGrad(dy + s, x + s, out + s, e - s, alpha); });
  else chunked(n, [&](long long s, long long e) { simd::reluGrad(dy + s, x + s, out + s, e - s); });
}

void resizeNearest(const int32_t* p, const float* x, float* y, const int32_t* rows, const int32_t* cols) {
  const long long N = p[0], H = p[1], W = p[2], C = p[3], OH = p[4], OW = p[5];
#pragma omp parallel for if (N * OH * OW * C > kParallelMin) schedule(static)
  for (long long t = 0; t < N * OH; t++) {
    const long long n = t / OH, r = t % OH;
    const float* xr = x + (n * H + rows[r]) * W * C;
    float* yr = y + t * OW * C;
    for (long long c = 0; c < OW; c++) std::memcpy(yr + c * C, xr + cols[c] * C, sizeof(float) * C);
  }
}

void resizeNearestGrad(const int32_t* p, const float* dy, float* dx, const int32_t* rows, const int32_t* cols) {
  const long long N = p[0], H = p[1], W = p[2], C = p[3], OH = p[4], OW = p[5];
  std::memset(dx, 0, sizeof(float) * N * H * W * C);
#pragma omp parallel for if (N > 1 && N * OH * OW * C > kParallelMin) schedule(static)
  for (long long n = 0; n < N; n++) {
    for (long long r = 0; r < OH; r++) {
      float* xr = dx + (n * H + rows[r]) * W * C;
      const float* gr = dy + (n * OH + r) * OW * C;
      for (long long c = 0; c < OW; c++) {
        float* d = xr + cols[c] * C;
        const float* g = gr + c * C;
        for (long long k = 0; k < C; k++) d[k] += g[k];
      }
    }
  }
}

namespace {
struct PoolGeo {
  long long N, H, W, C, KH, KW, OH, OW, sh, sw, pt, pl;
  explicit PoolGeo(const int32_t* p)
      : N(p[0]), H(p[1]), W(p[2]), C(p[3]), KH(p[4]), KW(p[5]), OH(p[6]), OW(p[7]), sh(p[8]), sw(p[9]), pt(p[10]), pl(p[11]) {}
};
}  // namespace

void pool(int mode, const int32_t* p, const float* x, float* y) {
  PoolGeo g(p);
  const long long work = g.N * g.OH;
#pragma omp parallel if (g.N * g.OH * g.OW * g.C * g.KH * g.KW > kParallelMin)
  {
    std::vector<double> acc(g.C);
    std::vector<long long> cnt(1);
#pragma omp for schedule(static)
    for (long long t = 0; t < work; t++) {
      const long long n = t / g.OH, oh = t % g.OH;
      const long long h0 = oh * g.sh - g.pt;
      for (long long ow = 0; ow < g.OW; ow++) {
        const long long w0 = ow * g.sw - g.pl;
        float* yo = y + ((n * g.OH + oh) * g.OW + ow) * g.C;
        if (mode == 0) for (long long c = 0; c < g.C; c++) yo[c] = -std::numeric_limits<float>::infinity();
        else for (long long c = 0; c < g.C; c++) acc[c] = 0.0;
        long long count = 0;
        for (long long kh = 0; kh < g.KH; kh++) {
          const long long h = h0 + kh;
          if (h < 0 || h >= g.H) continue;
          for (long long kw = 0; kw < g.KW; kw++) {
            const long long w = w0 + kw;
            if (w < 0 || w >= g.W) continue;
            const float* xi = x + ((n * g.H + h) * g.W + w) * g.C;
            count++;
            if (mode == 0) simd::maxInto(yo, xi, g.C);
            else for (long long c = 0; c < g.C; c++) acc[c] += xi[c];
          }
        }
        if (mode != 0) for (long long c = 0; c < g.C; c++) yo[c] = float(acc[c] / double(count));
      }
    }
  }
}

void maxPoolGrad(const int32_t* p, const float* dy, const float* x, float* dx) {
  PoolGeo g(p);
  std::memset(dx, 0, sizeof(float) * g.N * g.H * g.W * g.C);
#pragma omp parallel if (g.N > 1 && g.N * g.OH * g.OW * g.C * g.KH * g.KW > kParallelMin)
  {
    std::vector<float> best(g.C);
    std::vector<int> pos(g.C);
#pragma omp for schedule(static)
    for (long long n = 0; n < g.N; n++) {
      for (long long oh = 0; oh < g.OH; oh++) {
        const long long h0 = oh * g.sh - g.pt;
        for (long long ow = 0; ow < g.OW; ow++) {
          const long long w0 = ow * g.sw - g.pl;
          for (long long c = 0; c < g.C; c++) { best[c] = -std::numeric_limits<float>::infinity(); pos[c] = -1; }
          for (long long kh = 0; kh < g.KH; kh++) {
            const long long h = h0 + kh;
            if (h < 0 || h >= g.H) continue;
            for (long long kw = 0; kw < g.KW; kw++) {
              const long long w = w0 + kw;
              if (w < 0 || w >= g.W) continue;
              const long long base = ((n * g.H + h) * g.W + w) * g.C;
              simd::argmaxInto(best.data(), pos.data(), x + base, int(base), g.C);
            }
          }
          const float* dyo = dy + ((n * g.OH + oh) * g.OW + ow) * g.C;
          for (long long c = 0; c < g.C; c++) if (pos[c] >= 0) dx[pos[c]] += dyo[c];
        }
      }
    }
  }
}

void avgPoolGrad(const int32_t* p, const float* dy, float* dx) {
  PoolGeo g(p);
  std::memset(dx, 0, sizeof(float) * g.N * g.H * g.W * g.C);
  const float k = 1.f / float(g.KH * g.KW);
#pragma omp parallel for if (g.N > 1 && g.N * g.OH * g.OW * g.C * g.KH * g.KW > kParallelMin) schedule(static)
  for (long long n = 0; n < g.N; n++) {
    for (long long oh = 0; oh < g.OH; oh++) {
      const long long h0 = oh * g.sh - g.pt;
      for (long long ow = 0; ow < g.OW; ow++) {
        const long long w0 = ow * g.sw - g.pl;
        const float* dyo = dy + ((n * g.OH + oh) * g.OW + ow) * g.C;
        for (long long kh = 0; kh < g.KH; kh++) {
          const long long h = h0 + kh;
          if (h < 0 || h >= g.H) continue;
          for (long long kw = 0; kw < g.KW; kw++) {
            const long long w = w0 + kw;
            if (w < 0 || w >= g.W) continue;
            float* dxi = dx + ((n * g.H + h) * g.W + w) * g.C;
            for (long long c = 0; c < g.C; c++) dxi[c] += dyo[c] * k;
          }
        }
      }
    }
  }
}

}  // namespace lf
