// Node-API entry of the lensforge native kernels (loaded by native-addon.ts). Every function
// works on caller-owned Float32Arrays (no copies) and returns undefined; geometry travels in
// Int32Arrays whose layouts are documented in conv.cc, gemm.cc and elementwise.h.
#include <omp.h>
#include <cstdlib>
#include <oneapi/dnnl/dnnl.hpp>

#include "conv.h"
#include "dnnl-common.h"
#include "elementwise.h"
#include "executor.h"
#include "chunk-pool.h"
#include "napi-util.h"

namespace lf {

dnnl::engine& cpuEngine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}
dnnl::stream& cpuStream() {
  static dnnl::stream s(cpuEngine());
  return s;
}

namespace {

void needLen(size_t have, size_t want, const char* fn, const char* name) {
  need(have >= want, std::string(fn) + "." + name + ": expected at least " + std::to_string(want) + " elements, got " + std::to_string(have));
}

/** Result of a kernel call: the task's sequence number (0 when it already ran inline). */
napi_value submitted(napi_env env, uint64_t seq) {
  napi_value v;
  check(env, napi_create_double(env, double(seq), &v), "create_double");
  return v;
}

/** Copy of an Int32Array's first n entries (the caller may reuse the array right away). */
std::vector<int32_t> copyInts(const int32_t* p, size_t n) { return std::vector<int32_t>(p, p + n); }

size_t prod(const int32_t* v, int n) {
  size_t s = 1;
  for (int i = 0; i < n; i++) s *= size_t(v[i]);
  return s;
}

// conv2d(p, x, w, bias|null, y, act, alpha)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  return guard(env, "conv2d", [&] {
    auto a = args(env, info, 7, 7, "conv2d");
    size_t np, nx, nw, nb, ny;
    const int32_t* p = i32(env, a[0], &np, "conv2d", "p");
    need(np >= 17, "conv2d.p: expected 17 entries");
    const float* x = f32(env, a[1], &nx, "conv2d", "x");
    const float* w = f32(env, a[2], &nw, "conv2d", "w");
    const float* b = f32(env, a[3], &nb, "conv2d", "bias", true);
    float* y = f32(env, a[4], &ny, "conv2d", "y");
    needLen(nx, size_t(p[0]) * p[1] * p[2] * p[3], "conv2d", "x");
    needLen(nw, size_t(p[4]) * p[5] * p[3] * p[6], "conv2d", "w");
    needLen(ny, size_t(p[0]) * p[7] * p[8] * p[6], "conv2d", "y");
    if (b) needLen(nb, size_t(p[6]), "conv2d", "bias");
    const int act = int(num(env, a[5], "conv2d", "act"));
    const float alpha = float(num(env, a[6], "conv2d", "alpha"));
    return submitted(env, submitTask([pv = copyInts(p, 17), x, w, b, y, act, alpha] { conv2dForward(pv.data(), x, w, b, y, act, alpha); }));
  });
}

// conv2dBackpropInput(p, dy, w, dx)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  return guard(env, "conv2dBackpropInput", [&] {
    auto a = args(env, info, 4, 4, "conv2dBackpropInput");
    size_t np, ndy, nw, ndx;
    const int32_t* p = i32(env, a[0], &np, "conv2dBackpropInput", "p");
    need(np >= 17, "conv2dBackpropInput.p: expected 17 entries");
    const float* dy = f32(env, a[1], &ndy, "conv2dBackpropInput", "dy");
    const float* w = f32(env, a[2], &nw, "conv2dBackpropInput", "w");
    float* dx = f32(env, a[3], &ndx, "conv2dBackpropInput", "dx");
    needLen(ndy, size_t(p[0]) * p[7] * p[8] * p[6], "conv2dBackpropInput", "dy");
    needLen(nw, size_t(p[4]) * p[5] * p[3] * p[6], "conv2dBackpropInput", "w");
    needLen(ndx, size_t(p[0]) * p[1] * p[2] * p[3], "conv2dBackpropInput", "dx");
    return submitted(env, submitTask([pv = copyInts(p, 17), dy, w, dx] { conv2dBackwardData(pv.data(), dy, w, dx); }));
  });
}

// conv2dBackpropFilter(p, x, dy, dw)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  return guard(env, "conv2dBackpropFilter", [&] {
    auto a = args(env, info, 4, 4, "conv2dBackpropFilter");
    size_t np, nx, ndy, ndw;
    const int32_t* p = i32(env, a[0], &np, "conv2dBackpropFilter", "p");
    need(np >= 17, "conv2dBackpropFilter.p: expected 17 entries");
    const float* x = f32(env, a[1], &nx, "conv2dBackpropFilter", "x");
    const float* dy = f32(env, a[2], &ndy, "conv2dBackpropFilter", "dy");
    float* dw = f32(env, a[3], &ndw, "conv2dBackpropFilter", "dw");
    needLen(nx, size_t(p[0]) * p[1] * p[2] * p[3], "conv2dBackpropFilter", "x");
    needLen(ndy, size_t(p[0]) * p[7] * p[8] * p[6], "conv2dBackpropFilter", "dy");
    needLen(ndw, size_t(p[4]) * p[5] * p[3] * p[6], "conv2dBackpropFilter", "dw");
    return submitted(env, submitTask([pv = copyInts(p, 17), x, dy, dw] { conv2dBackwardWeights(pv.data(), x, dy, dw); }));
  });
}

// matmul(p, a, b, bias|null, c, act, alpha)
napi_value MatMul(napi_env env, napi_callback_info info) {
  return guard(env, "matmul", [&] {
    auto a = args(env, info, 7, 7, "matmul");
    size_t np, na, nb, nbias, nc;
    const int32_t* p = i32(env, a[0], &np, "matmul", "p");
    need(np >= 8, "matmul.p: expected 8 entries");
    const float* A = f32(env, a[1], &na, "matmul", "a");
    const float* B = f32(env, a[2], &nb, "matmul", "b");
    const float* bias = f32(env, a[3], &nbias, "matmul", "bias", true);
    float* C = f32(env, a[4], &nc, "matmul", "c");
    const size_t batch = p[0], M = p[1], N = p[2], K = p[3];
    needLen(na, (batch - 1) * size_t(p[6]) + M * K, "matmul", "a");
    needLen(nb, (batch - 1) * size_t(p[7]) + K * N, "matmul", "b");
    needLen(nc, batch * M * N, "matmul", "c");
    need(!bias || nbias == 1 || nbias == N, "matmul.bias: expected 1 or N entries");
    const int act = int(num(env, a[5], "matmul", "act"));
    const float alpha = float(num(env, a[6], "matmul", "alpha"));
    return submitted(env, submitTask([pv = copyInts(p, 8), A, B, bias, nbias, C, act, alpha] {
      batchMatMul(pv.data(), A, B, bias, nbias, C, act, alpha);
    }));
  });
}

// unary(op, x, y, alpha, beta)
napi_value Unary(napi_env env, napi_callback_info info) {
  return guard(env, "unary", [&] {
    auto a = args(env, info, 5, 5, "unary");
    size_t nx, ny;
    const int op = int(num(env, a[0], "unary", "op"));
    const float* x = f32(env, a[1], &nx, "unary", "x");
    float* y = f32(env, a[2], &ny, "unary", "y");
    needLen(ny, nx, "unary", "y");
    const float alpha = float(num(env, a[3], "unary", "alpha")), beta = float(num(env, a[4], "unary", "beta"));
    return submitted(env, submitTask([op, x, y, nx, alpha, beta] { unary(op, x, y, nx, alpha, beta); }));
  });
}

// binary(op, a, b, out, geo) with geo = [rank, shape..., stridesA..., stridesB...]
napi_value Binary(napi_env env, napi_callback_info info) {
  return guard(env, "binary", [&] {
    auto a = args(env, info, 5, 5, "binary");
    size_t na, nb, no, ng;
    const int op = int(num(env, a[0], "binary", "op"));
    const float* A = f32(env, a[1], &na, "binary", "a");
    const float* B = f32(env, a[2], &nb, "binary", "b");
    float* O = f32(env, a[3], &no, "binary", "out");
    const int32_t* g = i32(env, a[4], &ng, "binary", "geo");
    const int rank = g[0];
    need(ng >= size_t(1 + 3 * rank), "binary.geo: too short");
    needLen(no, prod(g + 1, rank), "binary", "out");
    long long amax = 0, bmax = 0;
    bool empty = false;
    for (int i = 0; i < rank; i++) {
      const long long ext = g[1 + i];
      if (ext == 0) empty = true;
      need(g[1 + rank + i] >= 0 && g[1 + 2 * rank + i] >= 0, "binary.geo: strides must be >= 0");
      amax += (long long)g[1 + rank + i] * (ext - 1);
      bmax += (long long)g[1 + 2 * rank + i] * (ext - 1);
    }
    if (empty) return submitted(env, 0);
    need(amax < (long long)na && bmax < (long long)nb, "binary: operand index out of range");
    return submitted(env, submitTask([op, A, B, O, rank, gv = copyInts(g, 1 + 3 * rank)] {
      binary(op, A, B, O, rank, gv.data() + 1, gv.data() + 1 + rank, gv.data() + 1 + 2 * rank);
    }));
  });
}

// compare(op, a, b, out: Uint8Array, geo) with geo as binary()
napi_value Compare(napi_env env, napi_callback_info info) {
  return guard(env, "compare", [&] {
    auto a = args(env, info, 5, 5, "compare");
    size_t na, nb, no, ng;
    const int op = int(num(env, a[0], "compare", "op"));
    const float* A = f32(env, a[1], &na, "compare", "a");
    const float* B = f32(env, a[2], &nb, "compare", "b");
    uint8_t* O = typed<uint8_t>(env, a[3], napi_uint8_array, &no, "compare", "out", false);
    const int32_t* g = i32(env, a[4], &ng, "compare", "geo");
    const int rank = g[0];
    need(rank >= 0 && ng >= size_t(1 + 3 * rank), "compare.geo: too short");
    needLen(no, prod(g + 1, rank), "compare", "out");
    long long amax = 0, bmax = 0;
    bool empty = false;
    for (int i = 0; i < rank; i++) {
      const long long ext = g[1 + i];
      if (ext == 0) empty = true;
      need(g[1 + rank + i] >= 0 && g[1 + 2 * rank + i] >= 0, "compare.geo: strides must be >= 0");
      amax += (long long)g[1 + rank + i] * (ext - 1);
      bmax += (long long)g[1 + 2 * rank + i] * (ext - 1);
    }
    if (empty) return submitted(env, 0);
    need(amax < (long long)na && bmax < (long long)nb, "compare: operand index out of range");
    return submitted(env, submitTask([op, A, B, O, rank, gv = copyInts(g, 1 + 3 * rank)] {
      compare(op, A, B, O, rank, gv.data() + 1, gv.data() + 1 + rank, gv.data() + 1 + 2 * rank);
    }));
  });
}

// stridedCopy(x, out, geo, srcOffset, dstOffset) with geo = [rank, shape..., srcStrides..., dstStrides...]
napi_value StridedCopy(napi_env env, napi_callback_info info) {
  return guard(env, "stridedCopy", [&] {
    auto a = args(env, info, 5, 5, "stridedCopy");
    size_t nx, no, ng;
    const float* x = f32(env, a[0], &nx, "stridedCopy", "x");
    float* o = f32(env, a[1], &no, "stridedCopy", "out");
    const int32_t* g = i32(env, a[2], &ng, "stridedCopy", "geo");
    const int rank = g[0];
    need(rank >= 0 && ng >= size_t(1 + 3 * rank), "stridedCopy.geo: too short");
    const long long so = (long long)num(env, a[3], "stridedCopy", "srcOffset"), doff = (long long)num(env, a[4], "stridedCopy", "dstOffset");
    // Bounds: the extreme source and destination indices must lie inside the arrays.
    long long smin = so, smax = so, dmin = doff, dmax = doff;
    bool empty = false;
    for (int i = 0; i < rank; i++) {
      const long long ext = g[1 + i];
      if (ext == 0) empty = true;
      const long long ss = (long long)g[1 + rank + i] * (ext - 1), ds = (long long)g[1 + 2 * rank + i] * (ext - 1);
      if (ss < 0) smin += ss; else smax += ss;
      if (ds < 0) dmin += ds; else dmax += ds;
    }
    if (!empty) {
      need(smin >= 0 && smax < (long long)nx, "stridedCopy: source index out of range");
      need(dmin >= 0 && dmax < (long long)no, "stridedCopy: destination index out of range");
      return submitted(env, submitTask([x, o, rank, so, doff, gv = copyInts(g, 1 + 3 * rank)] {
        stridedCopy(x, o, rank, gv.data() + 1, gv.data() + 1 + rank, gv.data() + 1 + 2 * rank, so, doff);
      }));
    }
    return submitted(env, 0);
  });
}

// toFloat(in: Uint8Array | Int32Array, out: Float32Array)
napi_value ToFloat(napi_env env, napi_callback_info info) {
  return guard(env, "toFloat", [&] {
    auto a = args(env, info, 2, 2, "toFloat");
    bool is = false;
    check(env, napi_is_typedarray(env, a[0], &is), "is_typedarray");
    need(is, "toFloat.in: expected a Uint8Array or Int32Array");
    napi_typedarray_type t;
    size_t n, no;
    void* data;
    napi_value ab;
    size_t off;
    check(env, napi_get_typedarray_info(env, a[0], &t, &n, &data, &ab, &off), "typedarray_info");
    need(t == napi_uint8_array || t == napi_int32_array, "toFloat.in: expected a Uint8Array or Int32Array");
    float* o = f32(env, a[1], &no, "toFloat", "out");
    needLen(no, n, "toFloat", "out");
    const uint8_t* in8 = t == napi_uint8_array ? static_cast<const uint8_t*>(data) : nullptr;
    const int32_t* in32 = t == napi_int32_array ? static_cast<const int32_t*>(data) : nullptr;
    return submitted(env, submitTask([in8, in32, o, n] { toFloat(in8, in32, o, n); }));
  });
}

// fill(out, value)
napi_value Fill(napi_env env, napi_callback_info info) {
  return guard(env, "fill", [&] {
    auto a = args(env, info, 2, 2, "fill");
    size_t no;
    float* o = f32(env, a[0], &no, "fill", "out");
    const float value = float(num(env, a[1], "fill", "value"));
    return submitted(env, submitTask([o, no, value] { fill(o, no, value); }));
  });
}

// reduce(op, x, out, outer, red, inner)
napi_value Reduce(napi_env env, napi_callback_info info) {
  return guard(env, "reduce", [&] {
    auto a = args(env, info, 6, 6, "reduce");
    size_t nx, no;
    const int op = int(num(env, a[0], "reduce", "op"));
    const float* x = f32(env, a[1], &nx, "reduce", "x");
    float* o = f32(env, a[2], &no, "reduce", "out");
    const long long outer = (long long)num(env, a[3], "reduce", "outer"), red = (long long)num(env, a[4], "reduce", "red"),
                    inner = (long long)num(env, a[5], "reduce", "inner");
    needLen(nx, size_t(outer * red * inner), "reduce", "x");
    needLen(no, size_t(outer * inner), "reduce", "out");
    return submitted(env, submitTask([op, x, o, outer, red, inner] { reduce(op, x, o, outer, red, inner); }));
  });
}

// batchNorm(x, out, P, mean, variance, offset|null, scale|null, eps)
napi_value BatchNorm(napi_env env, napi_callback_info info) {
  return guard(env, "batchNorm", [&] {
    auto a = args(env, info, 8, 8, "batchNorm");
    size_t nx, no, lm, lv, lo, ls;
    const float* x = f32(env, a[0], &nx, "batchNorm", "x");
    float* o = f32(env, a[1], &no, "batchNorm", "out");
    const size_t P = size_t(num(env, a[2], "batchNorm", "P"));
    const float* m = f32(env, a[3], &lm, "batchNorm", "mean");
    const float* v = f32(env, a[4], &lv, "batchNorm", "variance");
    const float* off = f32(env, a[5], &lo, "batchNorm", "offset", true);
    const float* sc = f32(env, a[6], &ls, "batchNorm", "scale", true);
    needLen(no, nx, "batchNorm", "out");
    auto ok = [&](size_t l) { return l == 1 || l == P; };
    need(ok(lm) && ok(lv) && (!off || ok(lo)) && (!sc || ok(ls)), "batchNorm: parameters must have 1 or P entries");
    const float eps = float(num(env, a[7], "batchNorm", "eps"));
    return submitted(env, submitTask([=] { batchNorm(x, o, nx, P, m, lm, v, lv, off, lo, sc, ls, eps); }));
  });
}

// batchNormGrad(x, dy, P, mean, variance, scale|null, eps, dx|null, dmean|null, dvar|null, dscale|null, doffset|null)
napi_value BatchNormGrad(napi_env env, napi_callback_info info) {
  return guard(env, "batchNormGrad", [&] {
    const char* fn = "batchNormGrad";
    auto a = args(env, info, 12, 12, fn);
    size_t nx, ndy, lm, lv, ls, l0, l1, l2, l3, l4;
    const float* x = f32(env, a[0], &nx, fn, "x");
    const float* dy = f32(env, a[1], &ndy, fn, "dy");
    const size_t P = size_t(num(env, a[2], fn, "P"));
    const float* m = f32(env, a[3], &lm, fn, "mean");
    const float* v = f32(env, a[4], &lv, fn, "variance");
    const float* sc = f32(env, a[5], &ls, fn, "scale", true);
    const float eps = float(num(env, a[6], fn, "eps"));
    float* dx = f32(env, a[7], &l0, fn, "dx", true);
    float* dm = f32(env, a[8], &l1, fn, "dmean", true);
    float* dv = f32(env, a[9], &l2, fn, "dvar", true);
    float* ds = f32(env, a[10], &l3, fn, "dscale", true);
    float* dof = f32(env, a[11], &l4, fn, "doffset", true);
    needLen(ndy, nx, fn, "dy");
    need(lm == P && lv == P && (!sc || ls == P), "batchNormGrad: mean, variance and scale must have P entries");
    if (dx) needLen(l0, nx, fn, "dx");
    if (dm) needLen(l1, P, fn, "dmean");
    if (dv) needLen(l2, P, fn, "dvar");
    if (ds) needLen(l3, P, fn, "dscale");
    if (dof) needLen(l4, P, fn, "doffset");
    return submitted(env, submitTask([=] { batchNormGrad(x, dy, nx, P, m, v, sc, eps, dx, dm, dv, ds, dof); }));
  });
}

// batchNormTrain(x, out, P, offset|null, scale|null, eps, mean, variance): mean and variance are outputs
napi_value BatchNormTrain(napi_env env, napi_callback_info info) {
  return guard(env, "batchNormTrain", [&] {
    const char* fn = "batchNormTrain";
    auto a = args(env, info, 8, 8, fn);
    size_t nx, no, lo, ls, lm, lv;
    const float* x = f32(env, a[0], &nx, fn, "x");
    float* o = f32(env, a[1], &no, fn, "out");
    const size_t P = size_t(num(env, a[2], fn, "P"));
    const float* off = f32(env, a[3], &lo, fn, "offset", true);
    const float* sc = f32(env, a[4], &ls, fn, "scale", true);
    const float eps = float(num(env, a[5], fn, "eps"));
    float* m = f32(env, a[6], &lm, fn, "mean");
    float* v = f32(env, a[7], &lv, fn, "variance");
    needLen(no, nx, fn, "out");
    need(P > 0 && nx > 0 && nx % P == 0, "batchNormTrain: P must divide the (non-zero) element count of x");
    need(lm == P && lv == P && (!off || lo == P) && (!sc || ls == P), "batchNormTrain: mean, variance, offset and scale must have P entries");
    return submitted(env, submitTask([=] { batchNormTrain(x, o, nx, P, off, sc, eps, m, v); }));
  });
}

// batchNormTrainGrad(x, dy, P, mean, variance, scale|null, eps, dmean|null, dvar|null, dx|null, dscale|null, doffset|null)
napi_value BatchNormTrainGrad(napi_env env, napi_callback_info info) {
  return guard(env, "batchNormTrainGrad", [&] {
    const char* fn = "batchNormTrainGrad";
    auto a = args(env, info, 12, 12, fn);
    size_t nx, ndy, lm, lv, ls, ldm, ldv, l0, l1, l2;
    const float* x = f32(env, a[0], &nx, fn, "x");
    const float* dy = f32(env, a[1], &ndy, fn, "dy");
    const size_t P = size_t(num(env, a[2], fn, "P"));
    const float* m = f32(env, a[3], &lm, fn, "mean");
    const float* v = f32(env, a[4], &lv, fn, "variance");
    const float* sc = f32(env, a[5], &ls, fn, "scale", true);
    const float eps = float(num(env, a[6], fn, "eps"));
    const float* dmIn = f32(env, a[7], &ldm, fn, "dmean", true);
    const float* dvIn = f32(env, a[8], &ldv, fn, "dvar", true);
    float* dx = f32(env, a[9], &l0, fn, "dx", true);
    float* ds = f32(env, a[10], &l1, fn, "dscale", true);
    float* dof = f32(env, a[11], &l2, fn, "doffset", true);
    needLen(ndy, nx, fn, "dy");
    need(P > 0 && nx > 0 && nx % P == 0, "batchNormTrainGrad: P must divide the (non-zero) element count of x");
    need(lm == P && lv == P && (!sc || ls == P) && (!dmIn || ldm == P) && (!dvIn || ldv == P),
         "batchNormTrainGrad: mean, variance, scale, dmean and dvar must have P entries");
    if (dx) needLen(l0, nx, fn, "dx");
    if (ds) needLen(l1, P, fn, "dscale");
    if (dof) needLen(l2, P, fn, "doffset");
    return submitted(env, submitTask([=] { batchNormTrainGrad(x, dy, nx, P, m, v, sc, eps, dmIn, dvIn, dx, ds, dof); }));
  });
}

// reluGrad(dy, x, out, alpha, leaky)
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  return guard(env, "reluGrad", [&] {
    auto a = args(env, info, 5, 5, "reluGrad");
    size_t ndy, nx, no;
    const float* dy = f32(env, a[0], &ndy, "reluGrad", "dy");
    const float* x = f32(env, a[1], &nx, "reluGrad", "x");
    float* o = f32(env, a[2], &no, "reluGrad", "out");
    needLen(nx, ndy, "reluGrad", "x");
    needLen(no, ndy, "reluGrad", "out");
    bool leaky = false;
    check(env, napi_get_value_bool(env, a[4], &leaky), "reluGrad.leaky");
    const float alpha = float(num(env, a[3], "reluGrad", "alpha"));
    return submitted(env, submitTask([=] { reluGrad(dy, x, o, ndy, alpha, leaky); }));
  });
}

// scaledProduct(a, b, out, scale): out = a * (b * scale)
napi_value ScaledProduct(napi_env env, napi_callback_info info) {
  return guard(env, "scaledProduct", [&] {
    auto a = args(env, info, 4, 4, "scaledProduct");
    size_t na, nb, no;
    const float* x = f32(env, a[0], &na, "scaledProduct", "a");
    const float* y = f32(env, a[1], &nb, "scaledProduct", "b");
    float* o = f32(env, a[2], &no, "scaledProduct", "out");
    needLen(nb, na, "scaledProduct", "b");
    needLen(no, na, "scaledProduct", "out");
    const float scale = float(num(env, a[3], "scaledProduct", "scale"));
    return submitted(env, submitTask([=] { scaledProduct(x, y, o, na, scale); }));
  });
}

// resizeNearest(p, x, y, rows, cols) / resizeNearestGrad(p, dy, dx, rows, cols); p = [N,H,W,C,OH,OW]
napi_value ResizeNearestAny(napi_env env, napi_callback_info info, bool grad) {
  const char* fn = grad ? "resizeNearestGrad" : "resizeNearest";
  return guard(env, fn, [&] {
    auto a = args(env, info, 5, 5, fn);
    size_t np, nin, nout, nr, nc;
    const int32_t* p = i32(env, a[0], &np, fn, "p");
    need(np >= 6, std::string(fn) + ".p: expected 6 entries");
    const float* in = f32(env, a[1], &nin, fn, grad ? "dy" : "x");
    float* out = f32(env, a[2], &nout, fn, grad ? "dx" : "y");
    const int32_t* rows = i32(env, a[3], &nr, fn, "rows");
    const int32_t* cols = i32(env, a[4], &nc, fn, "cols");
    const size_t small = size_t(p[0]) * p[1] * p[2] * p[3], big = size_t(p[0]) * p[4] * p[5] * p[3];
    needLen(nin, grad ? big : small, fn, grad ? "dy" : "x");
    needLen(nout, grad ? small : big, fn, grad ? "dx" : "y");
    need(nr >= size_t(p[4]) && nc >= size_t(p[5]), std::string(fn) + ": index tables too short");
    for (int i = 0; i < p[4]; i++) need(rows[i] >= 0 && rows[i] < p[1], std::string(fn) + ".rows: index out of range");
    for (int i = 0; i < p[5]; i++) need(cols[i] >= 0 && cols[i] < p[2], std::string(fn) + ".cols: index out of range");
    return submitted(env, submitTask([pv = copyInts(p, 6), rv = copyInts(rows, size_t(p[4])), cv = copyInts(cols, size_t(p[5])), in, out, grad] {
      if (grad) resizeNearestGrad(pv.data(), in, out, rv.data(), cv.data());
      else resizeNearest(pv.data(), in, out, rv.data(), cv.data());
    }));
  });
}
napi_value ResizeNearest(napi_env env, napi_callback_info info) { return ResizeNearestAny(env, info, false); }
napi_value ResizeNearestGradFn(napi_env env, napi_callback_info info) { return ResizeNearestAny(env, info, true); }

// pool(mode, p, x, y)
napi_value Pool(napi_env env, napi_callback_info info) {
  return guard(env, "pool", [&] {
    auto a = args(env, info, 4, 4, "pool");
    size_t np, nx, ny;
    const int mode = int(num(env, a[0], "pool", "mode"));
    const int32_t* p = i32(env, a[1], &np, "pool", "p");
    need(np >= 12, "pool.p: expected 12 entries");
    const float* x = f32(env, a[2], &nx, "pool", "x");
    float* y = f32(env, a[3], &ny, "pool", "y");
    needLen(nx, size_t(p[0]) * p[1] * p[2] * p[3], "pool", "x");
    needLen(ny, size_t(p[0]) * p[6] * p[7] * p[3], "pool", "y");
    return submitted(env, submitTask([mode, pv = copyInts(p, 12), x, y] { pool(mode, pv.data(), x, y); }));
  });
}

// maxPoolGrad(p, dy, x, dx)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  return guard(env, "maxPoolGrad", [&] {
    auto a = args(env, info, 4, 4, "maxPoolGrad");
    size_t np, ndy, nx, ndx;
    const int32_t* p = i32(env, a[0], &np, "maxPoolGrad", "p");
    need(np >= 12, "maxPoolGrad.p: expected 12 entries");
    const float* dy = f32(env, a[1], &ndy, "maxPoolGrad", "dy");
    const float* x = f32(env, a[2], &nx, "maxPoolGrad", "x");
    float* dx = f32(env, a[3], &ndx, "maxPoolGrad", "dx");
    needLen(ndy, size_t(p[0]) * p[6] * p[7] * p[3], "maxPoolGrad", "dy");
    needLen(nx, size_t(p[0]) * p[1] * p[2] * p[3], "maxPoolGrad", "x");
    needLen(ndx, nx, "maxPoolGrad", "dx");
    need(nx < size_t(2147483647), "maxPoolGrad.x: more than 2^31 - 1 elements");
    return submitted(env, submitTask([pv = copyInts(p, 12), dy, x, dx] { maxPoolGrad(pv.data(), dy, x, dx); }));
  });
}

// avgPoolGrad(p, dy, dx)
napi_value AvgPoolGrad(napi_env env, napi_callback_info info) {
  return guard(env, "avgPoolGrad", [&] {
    auto a = args(env, info, 3, 3, "avgPoolGrad");
    size_t np, ndy, ndx;
    const int32_t* p = i32(env, a[0], &np, "avgPoolGrad", "p");
    need(np >= 12, "avgPoolGrad.p: expected 12 entries");
    const float* dy = f32(env, a[1], &ndy, "avgPoolGrad", "dy");
    float* dx = f32(env, a[2], &ndx, "avgPoolGrad", "dx");
    needLen(ndy, size_t(p[0]) * p[6] * p[7] * p[3], "avgPoolGrad", "dy");
    needLen(ndx, size_t(p[0]) * p[1] * p[2] * p[3], "avgPoolGrad", "dx");
    return submitted(env, submitTask([pv = copyInts(p, 12), dy, dx] { avgPoolGrad(pv.data(), dy, dx); }));
  });
}

// setThreads(n): OpenMP threads used by oneDNN and the elementwise kernels.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  return guard(env, "setThreads", [&] {
    auto a = args(env, info, 1, 1, "setThreads");
    const int n = int(num(env, a[0], "setThreads", "n"));
    need(n >= 1, "setThreads.n: expected an integer >= 1");
    omp_set_num_threads(n);
    runOnExecutor([n] { omp_set_num_threads(n); });
    return undefined(env);
  });
}

// info(): { dnnlVersion, threads, cachedPrimitives, isa }
napi_value Info(napi_env env, napi_callback_info) {
  return guard(env, "info", [&] {
    napi_value o, v;
    check(env, napi_create_object(env, &o), "create_object");
    const dnnl_version_t* ver = dnnl_version();
    std::string vs = std::to_string(ver->major) + "." + std::to_string(ver->minor) + "." + std::to_string(ver->patch);
    check(env, napi_create_string_utf8(env, vs.c_str(), vs.size(), &v), "string");
    check(env, napi_set_named_property(env, o, "dnnlVersion", v), "set");
    int threads = 0;
    size_t cached = 0;
    runOnExecutor([&] { threads = omp_get_max_threads(); cached = convCacheSize() + gemmCacheSize(); });
    check(env, napi_create_int32(env, threads, &v), "int");
    check(env, napi_set_named_property(env, o, "threads", v), "set");
    check(env, napi_create_int32(env, int(cached), &v), "int");
    check(env, napi_set_named_property(env, o, "cachedPrimitives", v), "set");
    check(env, napi_create_int32(env, chunkHelpers(), &v), "int");
    check(env, napi_set_named_property(env, o, "chunkHelpers", v), "set");
    check(env, napi_create_double(env, double(chunkedConvCalls()), &v), "double");
    check(env, napi_set_named_property(env, o, "chunkedConvCalls", v), "set");
    check(env, napi_create_double(env, double(helperChunks()), &v), "double");
    check(env, napi_set_named_property(env, o, "helperChunks", v), "set");
    const char* isa = "unknown";
    switch (dnnl::get_effective_cpu_isa()) {
      case dnnl::cpu_isa::sse41: isa = "sse41"; break;
      case dnnl::cpu_isa::avx: isa = "avx"; break;
      case dnnl::cpu_isa::avx2: isa = "avx2"; break;
      case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
      case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512_core_vnni"; break;
      case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512_core_bf16"; break;
      case dnnl::cpu_isa::avx512_core_amx: isa = "avx512_core_amx"; break;
      default: break;
    }
    check(env, napi_create_string_utf8(env, isa, NAPI_AUTO_LENGTH, &v), "string");
    check(env, napi_set_named_property(env, o, "isa", v), "set");
    return o;
  });
}

napi_value ClearCache(napi_env env, napi_callback_info) {
  return guard(env, "clearCache", [&] {
    runOnExecutor([] { convCacheClear(); gemmCacheClear(); });
    return undefined(env);
  });
}

// setAsync(on, threads): queue kernels on a worker thread (see executor.h)
napi_value SetAsync(napi_env env, napi_callback_info info) {
  return guard(env, "setAsync", [&] {
    auto a = args(env, info, 2, 2, "setAsync");
    bool on = false;
    check(env, napi_get_value_bool(env, a[0], &on), "setAsync.on");
    const int n = int(num(env, a[1], "setAsync", "threads"));
    need(n >= 1, "setAsync.threads: expected an integer >= 1");
    setAsyncMode(on, n);
    // Async: the big convolutions are shared between the worker and n helpers (chunk-pool.h),
    // so that they use the JavaScript thread's core while it waits.
    // LENSFORGE_NATIVE_CHUNKS=0 turns this off (A/B measurements).
    const char* chunksEnv = std::getenv("LENSFORGE_NATIVE_CHUNKS");
    const bool chunks = !(chunksEnv && std::string(chunksEnv) == "0");
    setChunkHelpers(on && chunks ? n : 0);
    if (!on) omp_set_num_threads(n);
    return undefined(env);
  });
}

// wait(seq): blocks until task seq has run; throws the first error of any queued task.
napi_value Wait(napi_env env, napi_callback_info info) {
  return guard(env, "wait", [&] {
    auto a = args(env, info, 1, 1, "wait");
    const std::string err = waitSeq(uint64_t(num(env, a[0], "wait", "seq")));
    if (!err.empty()) throw ArgError("a queued kernel failed: " + err);
    return undefined(env);
  });
}

// completed(): highest finished sequence number.
napi_value Completed(napi_env env, napi_callback_info) {
  return guard(env, "completed", [&] { return submitted(env, completedSeq()); });
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"matmul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"compare", nullptr, Compare, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"stridedCopy", nullptr, StridedCopy, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"toFloat", nullptr, ToFloat, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"fill", nullptr, Fill, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormGrad", nullptr, BatchNormGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormTrain", nullptr, BatchNormTrain, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormTrainGrad", nullptr, BatchNormTrainGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"resizeNearest", nullptr, ResizeNearest, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"resizeNearestGrad", nullptr, ResizeNearestGradFn, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"pool", nullptr, Pool, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"avgPoolGrad", nullptr, AvgPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setAsync", nullptr, SetAsync, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"wait", nullptr, Wait, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"completed", nullptr, Completed, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"scaledProduct", nullptr, ScaledProduct, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"clearCache", nullptr, ClearCache, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace lf

NAPI_MODULE(NODE_GYP_MODULE_NAME, lf::Init)
