// Branch-free select loops with SSE2 (baseline on x86-64). GCC does not vectorise these
// conditionals on its own, and on random data the scalar branches mispredict half the time
// (measured: dy * step(x) over 524,288 floats 5.5 ms scalar, 0.3 ms here). Other
// architectures use the scalar loops, which give identical results.
#pragma once
#include <cstddef>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lf {
namespace simd {

/** out = x > 0 ? dy : (x is NaN ? x : 0)   (dy * step(x) with ReLU's NaN propagation). */
inline void reluGrad(const float* dy, const float* x, float* out, long long n) {
  long long i = 0;
#if defined(__SSE2__)
  const __m128 z = _mm_setzero_ps();
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i), d = _mm_loadu_ps(dy + i);
    const __m128 pos = _mm_cmpgt_ps(v, z), nan = _mm_cmpunord_ps(v, v);
    const __m128 r = _mm_and_ps(pos, d);
    _mm_storeu_ps(out + i, _mm_or_ps(_mm_and_ps(nan, v), _mm_andnot_ps(nan, r)));
  }
#endif
  for (; i < n; i++) {
    const float v = x[i];
    out[i] = v > 0.f ? dy[i] : (v != v ? v : 0.f);
  }
}

/** out = x > 0 ? dy : alpha * dy   (leaky-ReLU gradient). */
inline void leakyReluGrad(const float* dy, const float* x, float* out, long long n, float alpha) {
  long long i = 0;
#if defined(__SSE2__)
  const __m128 z = _mm_setzero_ps(), a = _mm_set1_ps(alpha);
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i), d = _mm_loadu_ps(dy + i);
    const __m128 pos = _mm_cmpgt_ps(v, z);
    _mm_storeu_ps(out + i, _mm_or_ps(_mm_and_ps(pos, d), _mm_andnot_ps(pos, _mm_mul_ps(d, a))));
  }
#endif
  for (; i < n; i++) out[i] = x[i] > 0.f ? dy[i] : dy[i] * alpha;
}

/** y = x < 0 ? alpha * x : x   (leaky ReLU). */
inline void leakyRelu(const float* x, float* y, long long n, float alpha) {
  long long i = 0;
#if defined(__SSE2__)
  const __m128 z = _mm_setzero_ps(), a = _mm_set1_ps(alpha);
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i);
    const __m128 neg = _mm_cmplt_ps(v, z);
    _mm_storeu_ps(y + i, _mm_or_ps(_mm_and_ps(neg, _mm_mul_ps(v, a)), _mm_andnot_ps(neg, v)));
  }
#endif
  for (; i < n; i++) y[i] = x[i] < 0.f ? alpha * x[i] : x[i];
}

/** y = x is NaN ? x : (x > 0 ? 1 : alpha)   (step). */
inline void step(const float* x, float* y, long long n, float alpha) {
  long long i = 0;
#if defined(__SSE2__)
  const __m128 z = _mm_setzero_ps(), one = _mm_set1_ps(1.f), a = _mm_set1_ps(alpha);
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i);
    const __m128 pos = _mm_cmpgt_ps(v, z), nan = _mm_cmpunord_ps(v, v);
    const __m128 r = _mm_or_ps(_mm_and_ps(pos, one), _mm_andnot_ps(pos, a));
    _mm_storeu_ps(y + i, _mm_or_ps(_mm_and_ps(nan, v), _mm_andnot_ps(nan, r)));
  }
#endif
  for (; i < n; i++) y[i] = x[i] != x[i] ? x[i] : (x[i] > 0.f ? 1.f : alpha);
}

/** best[c] = x[c] > best[c] ? x[c] : best[c]   (max that never takes a NaN, as TF.js pooling). */
inline void maxInto(float* best, const float* x, long long n) {
  long long i = 0;
#if defined(__SSE2__)
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i), b = _mm_loadu_ps(best + i);
    const __m128 gt = _mm_cmpgt_ps(v, b);
    _mm_storeu_ps(best + i, _mm_or_ps(_mm_and_ps(gt, v), _mm_andnot_ps(gt, b)));
  }
#endif
  for (; i < n; i++) best[i] = x[i] > best[i] ? x[i] : best[i];
}

/** Like maxInto, also recording pos[c] = base + c where the maximum was replaced. */
inline void argmaxInto(float* best, int* pos, const float* x, int base, long long n) {
  long long i = 0;
#if defined(__SSE2__)
  const __m128i four = _mm_set1_epi32(4);
  __m128i idx = _mm_setr_epi32(base, base + 1, base + 2, base + 3);
  for (; i + 4 <= n; i += 4) {
    const __m128 v = _mm_loadu_ps(x + i), b = _mm_loadu_ps(best + i);
    const __m128 gt = _mm_cmpgt_ps(v, b);
    _mm_storeu_ps(best + i, _mm_or_ps(_mm_and_ps(gt, v), _mm_andnot_ps(gt, b)));
    const __m128i m = _mm_castps_si128(gt);
    const __m128i p = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pos + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(pos + i), _mm_or_si128(_mm_and_si128(m, idx), _mm_andnot_si128(m, p)));
    idx = _mm_add_epi32(idx, four);
  }
#endif
  for (; i < n; i++) {
    if (x[i] > best[i]) { best[i] = x[i]; pos[i] = base + int(i); }
  }
}

}  // namespace simd
}  // namespace lf
