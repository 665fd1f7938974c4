/*
 * WebAssembly SIMD (f64x2) kernels of the lensing renderer; loaded by `../wasm-kernel.ts` (one
 * instance per Renderer); the TypeScript kernels are the fallback and the reference. Build:
 * `npm run build:render-wasm` (build-render-wasm.mjs: clang --target=wasm32 -O3 -msimd128
 * -ffp-contract=off, no libc).
 *
 * Same formulas, floors and cut-offs as the TypeScript kernels (epl.ts, sersic.ts, renderer.ts,
 * pixel-grid.ts, gaussian-psf.ts, ziggurat-normal.ts):
 * - power-law (EPL/SIE) deflection: Tessore & Metcalf's angular series summed by Clenshaw's
 *   recurrence, R^-t = 2^(-t/2 log2 R^2);
 * - Sersic: amp e^{b_n} 2^(-b_n/ln2 (r2)^(1/(2n)));
 * - log2 / exp2 by polynomials only (no tables, so both lanes stay in vector registers), see
 *   vlog2 / vexp2: errors below 1e-10 relative, far inside the fixtures' 1e-6 (the TypeScript
 *   kernels' own tables are good to ~3e-8 of the peak);
 * - down-sampling, the separable 'nearest' PSF, the ziggurat fast path and the normalisation
 *   with the same operations in the same order as the TypeScript code.
 * Every sub-pixel array is padded by the caller to a multiple of 2G doubles (the loops run 2G
 * points at a time; padded points compute harmless values that are never read).
 */
#include <wasm_simd128.h>
#include <stdint.h>

typedef v128_t V;

#define SPLAT(c) wasm_f64x2_splat(c)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define DIV wasm_f64x2_div

static const double LN2 = 0.6931471805599453094;
static const double INV_LN2 = 1.4426950408889634074;
static const double SQRT2 = 1.4142135623730950488;

/* Vectors per loop iteration: G f64x2 vectors = 2G points, interleaved step by step (the
 * polynomial chains are latency bound; G independent chains keep the FP pipes busy). */
#define G 4
#define EACH for (int j = 0; j < G; j++)

/* log2 of positive normal doubles, G vectors at a time: x = 2^e m, m in [sqrt(1/2), sqrt(2)),
 * ln m = 2 s (1 + z q(z)), s = (m-1)/(m+1), z = s^2 <= 0.0295, q a degree-4 fit of
 * (atanh(s)/s - 1)/z (Chebyshev interpolation; |error| < 6e-12 on ln m). */
static inline void vlog2(const V *x, V *out) {
  V m[G], e[G], s[G], z[G], z2[G];
  EACH {
    V eb = wasm_u64x2_shr(x[j], 52);
    V mm = wasm_v128_or(wasm_v128_and(x[j], wasm_i64x2_splat(0x000FFFFFFFFFFFFFLL)), wasm_i64x2_splat(0x3FF0000000000000LL));
    V big = wasm_f64x2_gt(mm, SPLAT(SQRT2));
    m[j] = wasm_v128_bitselect(MUL(mm, SPLAT(0.5)), mm, big);
    e[j] = ADD(SUB(wasm_v128_or(eb, wasm_i64x2_splat(0x4330000000000000LL)), SPLAT(4503599627370496.0 + 1023.0)), wasm_v128_and(big, SPLAT(1.0)));
  }
  EACH s[j] = DIV(SUB(m[j], SPLAT(1.0)), ADD(m[j], SPLAT(1.0)));
  EACH { z[j] = MUL(s[j], s[j]); z2[j] = MUL(z[j], z[j]); }
  EACH {
    V lo = ADD(SPLAT(0.3333333327724854), MUL(z[j], SPLAT(0.20000060919904972)));
    V hi = ADD(SPLAT(0.14275410407903794), MUL(z[j], SPLAT(0.11665233608510686)));
    V qz = ADD(lo, MUL(z2[j], hi));
    out[j] = ADD(e[j], MUL(MUL(s[j], SPLAT(2.0 * INV_LN2)), ADD(SPLAT(1.0), MUL(z[j], qz))));
  }
}

/* 2^y for y clamped to [-1022, 1023], G vectors at a time: 2^y = 2^k 2^f, k = round(y),
 * |f| <= 1/2, 2^f by a degree-7 fit (Chebyshev interpolation, relative error < 6e-11),
 * evaluated by Estrin's scheme. */
static inline void vexp2(const V *yin, V *out) {
  const V magic = SPLAT(6755399441055744.0);
  V t[G], f[G], f2[G], f4[G];
  EACH {
    V y = wasm_f64x2_pmin(wasm_f64x2_pmax(yin[j], SPLAT(-1022.0)), SPLAT(1023.0));
    t[j] = ADD(y, magic);
    f[j] = SUB(y, SUB(t[j], magic));
  }
  EACH { f2[j] = MUL(f[j], f[j]); }
  EACH { f4[j] = MUL(f2[j], f2[j]); }
  EACH {
    V a = ADD(SPLAT(0.9999999999595617), MUL(f[j], SPLAT(0.6931471805568363)));
    V b = ADD(SPLAT(0.2402265121349969), MUL(f[j], SPLAT(0.05550410906316028)));
    V c = ADD(SPLAT(0.009618025613177043), MUL(f[j], SPLAT(0.0013333478480177519)));
    V d = ADD(SPLAT(0.0001546972924870715), MUL(f[j], SPLAT(1.53036994561262e-05)));
    V p = ADD(ADD(a, MUL(f2[j], b)), MUL(f4[j], ADD(c, MUL(f2[j], d))));
    /* 2^k from the low bits of t (t = 1.5 2^52 + k exactly) */
    V scale = wasm_i64x2_shl(wasm_i64x2_add(wasm_i64x2_sub(t[j], magic), wasm_i64x2_splat(1023)), 52);
    out[j] = MUL(p, scale);
  }
}

/*
 * Power-law deflection ADDED to (ax, ay) at n points. prm: centre x, centre y, cos phi, sin phi,
 * q, A = 2/(1+q) b^t, -t/2, the floor of R^2. coef: the K+1 series coefficients.
 */
__attribute__((export_name("power_law_deflect")))
void power_law_deflect(int n, const double *xs, const double *ys, double *ax, double *ay,
                       const double *prm, const double *coef, int K) {
  const V cx = SPLAT(prm[0]), cy = SPLAT(prm[1]), cs = SPLAT(prm[2]), sn = SPLAT(prm[3]), q = SPLAT(prm[4]);
  const V A = SPLAT(prm[5]), ht = SPLAT(prm[6]), minR2 = SPLAT(prm[7]);
  const V zero = SPLAT(0.0), two = SPLAT(2.0), c0 = SPLAT(coef[0]);
  for (int i = 0; i < n; i += 2 * G) {
    V X[G], Y[G], R2[G], ur[G], ui[G], u2[G], b1[G], b2[G], l[G], s[G];
    EACH {
      V dx = SUB(wasm_v128_load(xs + i + 2 * j), cx), dy = SUB(wasm_v128_load(ys + i + 2 * j), cy);
      X[j] = MUL(q, ADD(MUL(dx, cs), MUL(dy, sn)));
      Y[j] = SUB(MUL(dy, cs), MUL(dx, sn));
      R2[j] = ADD(MUL(X[j], X[j]), MUL(Y[j], Y[j]));
    }
    EACH {
      /* u = Z / conj(Z); at Z = 0 the 1/minR2 makes u = 0 and alpha = 0 */
      V inv = DIV(SPLAT(1.0), wasm_v128_bitselect(minR2, R2[j], wasm_f64x2_eq(R2[j], zero)));
      ur[j] = MUL(SUB(MUL(X[j], X[j]), MUL(Y[j], Y[j])), inv);
      ui[j] = MUL(MUL(two, MUL(X[j], Y[j])), inv);
      u2[j] = MUL(two, ur[j]);
      b1[j] = zero; b2[j] = zero;
      R2[j] = wasm_f64x2_pmax(R2[j], minR2);
    }
    for (int k = K; k >= 1; k--) {
      V c = SPLAT(coef[k]);
      EACH { V t = SUB(ADD(c, MUL(u2[j], b1[j])), b2[j]); b2[j] = b1[j]; b1[j] = t; }
    }
    vlog2(R2, l);
    EACH l[j] = MUL(ht, l[j]);
    vexp2(l, s);
    EACH {
      V Fr = SUB(ADD(c0, MUL(ur[j], b1[j])), b2[j]), Fi = MUL(ui[j], b1[j]);
      V sj = MUL(A, s[j]);
      V alr = MUL(sj, SUB(MUL(X[j], Fr), MUL(Y[j], Fi))), ali = MUL(sj, ADD(MUL(X[j], Fi), MUL(Y[j], Fr)));
      double *px = ax + i + 2 * j, *py = ay + i + 2 * j;
      wasm_v128_store(px, ADD(wasm_v128_load(px), SUB(MUL(alr, cs), MUL(ali, sn))));
      wasm_v128_store(py, ADD(wasm_v128_load(py), ADD(MUL(alr, sn), MUL(ali, cs))));
    }
  }
}

/*
 * beta = theta - alpha with the summed external shear folded in:
 * bx = (1 - g1) x - g2 y + c1 - bx, by = (1 + g1) y - g2 x + c2 - by. prm: g1, g2, c1, c2.
 */
__attribute__((export_name("finish_beta"))) void finish_beta(int n, const double *xs, const double *ys, double *bx, double *by, const double *prm) {
  const V a11 = SPLAT(1 - prm[0]), a22 = SPLAT(1 + prm[0]), g2 = SPLAT(prm[1]), c1 = SPLAT(prm[2]), c2 = SPLAT(prm[3]);
  for (int i = 0; i < n; i += 2) {
    V x = wasm_v128_load(xs + i), y = wasm_v128_load(ys + i);
    wasm_v128_store(bx + i, SUB(ADD(SUB(MUL(a11, x), MUL(g2, y)), c1), wasm_v128_load(bx + i)));
    wasm_v128_store(by + i, SUB(ADD(SUB(MUL(a22, y), MUL(g2, x)), c2), wasm_v128_load(by + i)));
  }
}

/*
 * Sersic surface brightness ADDED to out at n points. prm: centre x, centre y, m11, m12, m22
 * (product-average matrix / R_sersic), floor and cut of r2, p = 1/(2n), A = amp e^{b_n},
 * nb = -b_n / ln 2. Points beyond the cut, or whose exponent is below -1022, get nothing.
 */
__attribute__((export_name("sersic_add")))
void sersic_add(int n, const double *xs, const double *ys, double *out, const double *prm) {
  const V cx = SPLAT(prm[0]), cy = SPLAT(prm[1]), m11 = SPLAT(prm[2]), m12 = SPLAT(prm[3]), m22 = SPLAT(prm[4]);
  const V minR2 = SPLAT(prm[5]), maxR2 = SPLAT(prm[6]), p = SPLAT(prm[7]), A = SPLAT(prm[8]), nb = SPLAT(prm[9]);
  for (int i = 0; i < n; i += 2 * G) {
    V r2[G], outside[G], l[G], w[G], v[G];
    EACH {
      V dx = SUB(wasm_v128_load(xs + i + 2 * j), cx), dy = SUB(wasm_v128_load(ys + i + 2 * j), cy);
      V u = ADD(MUL(m11, dx), MUL(m12, dy)), vv = ADD(MUL(m12, dx), MUL(m22, dy));
      V r = ADD(MUL(u, u), MUL(vv, vv));
      outside[j] = wasm_f64x2_gt(r, maxR2);
      r2[j] = wasm_f64x2_pmax(r, minR2);
    }
    vlog2(r2, l);
    EACH l[j] = MUL(p, l[j]);
    vexp2(l, w);
    EACH {
      w[j] = MUL(nb, w[j]);
      outside[j] = wasm_v128_or(outside[j], wasm_f64x2_lt(w[j], SPLAT(-1022.0)));
    }
    vexp2(w, v);
    EACH {
      double *po = out + i + 2 * j;
      wasm_v128_store(po, ADD(wasm_v128_load(po), wasm_v128_andnot(MUL(A, v[j]), outside[j])));
    }
  }
}

/*
 * CORE_SERSIC surface brightness ADDED to out at n points (core-sersic.ts, same steps): with
 * L2 = alpha/2 log2 r2 and M = log2(2^L2 + Rb^alpha),
 * I = A 2^(ga (M - L2) + nb 2^((M - lrs) inn)), skipped where that exponent is below -1022.
 * prm: centre x, centre y, a11, a12, a22 (product-average matrix), floor of r2, alpha/2,
 * Rb^alpha, gamma/alpha, alpha log2 R_sersic, 1/(alpha n), -b_n/ln 2, amp e^{b_n}.
 */
__attribute__((export_name("core_sersic_add")))
void core_sersic_add(int n, const double *xs, const double *ys, double *out, const double *prm) {
  const V cx = SPLAT(prm[0]), cy = SPLAT(prm[1]), a11 = SPLAT(prm[2]), a12 = SPLAT(prm[3]), a22 = SPLAT(prm[4]);
  const V minR2 = SPLAT(prm[5]), ha = SPLAT(prm[6]), rbA = SPLAT(prm[7]), ga = SPLAT(prm[8]), lrs = SPLAT(prm[9]);
  const V inn = SPLAT(prm[10]), nb = SPLAT(prm[11]), A = SPLAT(prm[12]);
  for (int i = 0; i < n; i += 2 * G) {
    V r2[G], aL[G], t[G], M[G], e[G], skip[G];
    EACH {
      V dx = SUB(wasm_v128_load(xs + i + 2 * j), cx), dy = SUB(wasm_v128_load(ys + i + 2 * j), cy);
      V u = ADD(MUL(a11, dx), MUL(a12, dy)), v = ADD(MUL(a12, dx), MUL(a22, dy));
      r2[j] = wasm_f64x2_pmax(ADD(MUL(u, u), MUL(v, v)), minR2);
    }
    vlog2(r2, aL);
    EACH aL[j] = MUL(ha, aL[j]);
    vexp2(aL, t);
    EACH t[j] = ADD(t[j], rbA);
    vlog2(t, M);
    EACH t[j] = MUL(SUB(M[j], lrs), inn);
    vexp2(t, e);
    EACH {
      e[j] = ADD(MUL(ga, SUB(M[j], aL[j])), MUL(nb, e[j]));
      skip[j] = wasm_f64x2_lt(e[j], SPLAT(-1022.0));
    }
    vexp2(e, t);
    EACH {
      double *po = out + i + 2 * j;
      wasm_v128_store(po, ADD(wasm_v128_load(po), wasm_v128_andnot(MUL(A, t[j]), skip[j])));
    }
  }
}

/*
 * INTERPOL surface brightness ADDED to out at n points (interpolated.ts, the same arithmetic):
 * bilinear interpolation of a stamp of rows x cols given ZERO-PADDED by one pixel on every side
 * (padded: (rows+2) x (cols+2), so the four neighbours of any (row, col) in (-1, rows) x (-1, cols)
 * exist), 0 outside. prm: centre x, centre y, m00, m01, m10, m11, c0, r0, amp.
 */
__attribute__((export_name("interpol_add")))
void interpol_add(int n, const double *xs, const double *ys, double *out, const double *padded, int rows, int cols, const double *prm) {
  const double cx = prm[0], cy = prm[1], m00 = prm[2], m01 = prm[3], m10 = prm[4], m11 = prm[5], c0 = prm[6], r0 = prm[7], amp = prm[8];
  const int pc = cols + 2;
  for (int k = 0; k < n; k++) {
    const double dx = xs[k] - cx, dy = ys[k] - cy;
    const double c = m00 * dx + m01 * dy + c0;
    const double r = m10 * dx + m11 * dy + r0;
    if (!(r > -1 && r < rows && c > -1 && c < cols)) continue;
    const double fi = __builtin_floor(r), fj = __builtin_floor(c);
    const double fr = r - fi, fc = c - fj;
    const double *o = padded + ((int)fi + 1) * pc + ((int)fj + 1);
    const double v = (1 - fr) * ((1 - fc) * o[0] + fc * o[1]) + fr * ((1 - fc) * o[pc] + fc * o[pc + 1]);
    out[k] += amp * v;
  }
}

/*
 * Mean of s x s blocks of a (N s)^2 image times `scale` into out (N^2); see pixel-grid.ts.
 */
__attribute__((export_name("downsample_mean")))
void downsample_mean(const double *hi, int N, int s, double *out, double scale) {
  if (s == 1) {
    for (int i = 0; i < N * N; i++) out[i] = hi[i] * scale;
    return;
  }
  const int size = N * s;
  const double f = scale / (double)(s * s);
  for (int i = 0; i < N; i++) {
    double *o = out + i * N;
    for (int j = 0; j < N; j++) o[j] = 0;
    for (int a = 0; a < s; a++) {
      const double *row = hi + (i * s + a) * size;
      for (int j = 0; j < N; j++) {
        double acc = 0;
        for (int b = 0; b < s; b++) acc += row[j * s + b];
        o[j] += acc;
      }
    }
    for (int j = 0; j < N; j++) o[j] *= f;
  }
}

/*
 * Separable convolution with a symmetric 1-D kernel w[0..2r] along both axes, edges replicated
 * ('nearest'), as convolveSeparableNearest in gaussian-psf.ts (same order of the sums: centre
 * tap, then the pairs from the outermost in). out may alias image; tmp: rows*cols; pad: cols+2r.
 */
static inline __attribute__((always_inline))
void conv_sep(const double *image, int rows, int cols, const double *w, const int r, double *out, double *tmp, double *pad) {
  const double w0 = w[r];
  const V w0v = SPLAT(w0);
  for (int i = 0; i < rows; i++) {
    const double *src = image + i * cols;
    double *t = tmp + i * cols;
    for (int k = 0; k < r; k++) { pad[k] = src[0]; pad[r + cols + k] = src[cols - 1]; }
    for (int j = 0; j < cols; j++) pad[r + j] = src[j];
    int j = 0;
    for (; j + 2 <= cols; j += 2) {
      const double *c = pad + r + j;
      V acc = MUL(w0v, wasm_v128_load(c));
      for (int k = r; k >= 1; k--) acc = ADD(acc, MUL(SPLAT(w[r + k]), ADD(wasm_v128_load(c - k), wasm_v128_load(c + k))));
      wasm_v128_store(t + j, acc);
    }
    for (; j < cols; j++) {
      const double *c = pad + r + j;
      double acc = w0 * c[0];
      for (int k = r; k >= 1; k--) acc += w[r + k] * (c[-k] + c[k]);
      t[j] = acc;
    }
  }
  for (int i = 0; i < rows; i++) {
    double *o = out + i * cols;
    const double *c = tmp + i * cols;
    int j = 0;
    for (; j + 2 <= cols; j += 2) {
      V acc = MUL(w0v, wasm_v128_load(c + j));
      for (int k = r; k >= 1; k--) {
        const double *a = tmp + (i - k < 0 ? 0 : i - k) * cols;
        const double *b = tmp + (i + k >= rows ? rows - 1 : i + k) * cols;
        acc = ADD(acc, MUL(SPLAT(w[r + k]), ADD(wasm_v128_load(a + j), wasm_v128_load(b + j))));
      }
      wasm_v128_store(o + j, acc);
    }
    for (; j < cols; j++) {
      double acc = w0 * c[j];
      for (int k = r; k >= 1; k--) {
        const double *a = tmp + (i - k < 0 ? 0 : i - k) * cols;
        const double *b = tmp + (i + k >= rows ? rows - 1 : i + k) * cols;
        acc += w[r + k] * (a[j] + b[j]);
      }
      o[j] = acc;
    }
  }
}

/*
 * Separable convolution with a symmetric 1-D kernel w[0..2r] along both axes, edges replicated
 * ('nearest'), as convolveSeparableNearest in gaussian-psf.ts (the same sums in the same order:
 * centre tap, then the pairs from the outermost in). out may alias image; tmp: rows*cols;
 * pad: cols+2r.
 */
__attribute__((export_name("convolve_separable_nearest")))
void convolve_separable_nearest(const double *image, int rows, int cols, const double *w, int r,
                                double *out, double *tmp, double *pad) {
  switch (r) { /* radii 1-8 (FWHM up to ~3.8 pixels at truncation 5): unrolled copies */
    case 1: conv_sep(image, rows, cols, w, 1, out, tmp, pad); break;
    case 2: conv_sep(image, rows, cols, w, 2, out, tmp, pad); break;
    case 3: conv_sep(image, rows, cols, w, 3, out, tmp, pad); break;
    case 4: conv_sep(image, rows, cols, w, 4, out, tmp, pad); break;
    case 5: conv_sep(image, rows, cols, w, 5, out, tmp, pad); break;
    case 6: conv_sep(image, rows, cols, w, 6, out, tmp, pad); break;
    case 7: conv_sep(image, rows, cols, w, 7, out, tmp, pad); break;
    case 8: conv_sep(image, rows, cols, w, 8, out, tmp, pad); break;
    default: conv_sep(image, rows, cols, w, r, out, tmp, pad);
  }
}

/*
 * The inlined fast path of ZigguratNormal.addScaled (ziggurat-normal.ts), bit for bit, in two
 * phases so that the square roots run two at a time:
 * ziggurat_draw: for i = from..n-1 draw the word t from the sfc32 state st[0..3] and, when
 * |t| < kn[t & 127], store the deviate t wn[t & 127] in g[i]. Stops at the first word that needs
 * the slow (wedge / tail) path: returns its index, with the state already past t and t in st[4];
 * returns n when done.
 */
__attribute__((export_name("ziggurat_draw")))
int ziggurat_draw(double *g, int from, int n, int32_t *st, const int32_t *kn, const double *wn) {
  uint32_t a = (uint32_t)st[0], b = (uint32_t)st[1], c = (uint32_t)st[2], d = (uint32_t)st[3];
  int i = from;
  for (; i < n; i++) {
    const uint32_t t = a + b + d;
    d = d + 1;
    a = b ^ (b >> 9);
    b = c + (c << 3);
    c = ((c << 21) | (c >> 11)) + t;
    const int32_t ts = (int32_t)t;
    const int iz = ts & 127;
    /* |t| >= kn[iz] (slow path); t = -2^31 has |t| = 2^31 >= every kn */
    if (ts == (int32_t)0x80000000 || (ts < 0 ? -ts : ts) >= kn[iz]) { st[4] = ts; break; }
    g[i] = (double)ts * wn[iz];
  }
  st[0] = (int32_t)a; st[1] = (int32_t)b; st[2] = (int32_t)c; st[3] = (int32_t)d;
  return i;
}

/* img[i] += sqrt(varConst + varSlope |img[i]|) g[i] (the same expression as addScaled). */
__attribute__((export_name("apply_noise")))
void apply_noise(double *img, const double *g, int n, double varConst, double varSlope) {
  for (int i = 0; i < n; i++) {
    const double v = img[i];
    img[i] = v + __builtin_sqrt(varConst + __builtin_fabs(v) * varSlope) * g[i];
  }
}

/* Divides img by its maximum when that is positive (normalise) and writes it as float32 to out;
 * returns the factor (1 when not normalising or the maximum is not positive). */
__attribute__((export_name("finish_image")))
double finish_image(double *img, int n, int normalize, float *out) {
  double norm = 1;
  if (normalize) {
    double mx = -__builtin_inf();
    for (int i = 0; i < n; i++) if (img[i] > mx) mx = img[i];
    if (mx > 0) {
      norm = mx;
      const double inv = 1 / mx;
      for (int i = 0; i < n; i++) img[i] *= inv;
    }
  }
  for (int i = 0; i < n; i++) out[i] = (float)img[i];
  return norm;
}
