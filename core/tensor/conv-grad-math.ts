/**
 * Gradients of a 2-D convolution (NHWC, dilation 1) written with ordinary tfjs ops, so that a
 * backend that is fast at forward convolutions (wasm/XNNPACK) also gets fast backward passes.
 * Used by the wasm kernels in `wasm-kernels.ts`; runs on any backend.
 *
 * Convention (TensorFlow's `Conv2D`): y[b,i,j,co] = Σ_{kh,kw,ci} x[b, i·sh+kh−top, j·sw+kw−left, ci]
 * · w[kh,kw,ci,co], with x read as zero outside its bounds. `top`/`left` are the leading pads of
 * the forward conv (tfjs `computeConv2DInfo(...).padInfo`); the output size is taken from dy, so
 * any padding mode and any dimRoundingMode reduce to (top, left, dy's shape).
 * Methods: the "fast" variant of lensforge/shared/notes/backend.md §2.4–2.5 ('im2col' filter
 * gradient, 'dilate' input gradient) and two faster defaults measured on wasm ('conv': the
 * filter gradient as one forward conv with batch and channels swapped; 'subpixel': the input
 * gradient without multiplications by inserted zeros). All are transposed-convolution identities
 * (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning", §4).
 */
import * as tf from '@tensorflow/tfjs';

/** Geometry shared by both gradients: strides [sh, sw] and leading pads of the forward conv. */
export interface ConvGeometry {
  strides: [number, number];
  /** Rows of zero padding before the first input row in the forward conv (may be 0). */
  top: number;
  /** Columns of zero padding before the first input column in the forward conv. */
  left: number;
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 * Inputs: x [B,H,W,C] and four signed amounts in pixels. Output: [B, H+top+bottom, W+left+right, C].
 */
export function padOrCrop2d(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  let y = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    y = tf.pad(y, [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]]);
  }
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const t0 = Math.max(-top, 0);
    const l0 = Math.max(-left, 0);
    const h = y.shape[1] - t0 - Math.max(-bottom, 0);
    const w = y.shape[2] - l0 - Math.max(-right, 0);
    if (h <= 0 || w <= 0) {
      throw new Error(`padOrCrop2d: cropping [${top}, ${bottom}, ${left}, ${right}] leaves an empty ${h}x${w} image from ${x.shape[1]}x${x.shape[2]}`);
    }
    y = tf.slice(y, [0, t0, l0, 0], [y.shape[0], h, w, y.shape[3]]);
  }
  return y;
}

/**
 * Inserts (sh−1) zero rows after every row and (sw−1) zero columns after every column.
 * Input [B,H,W,C]; output [B, H·sh, W·sw, C] (the trailing zeros are kept; callers crop them).
 */
export function zeroDilate2d(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape;
  const x6 = tf.reshape(x, [b, h, 1, w, 1, c]);
  const p6 = tf.pad(x6, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(p6, [b, h * sh, w * sw, c]);
}

/**
 * aᵀ·b for a [N,P] and b [N,Q] without a transposeA matmul (2–3× slower on wasm, notes §2.4):
 * transposes whichever operand is smaller. Returns [P,Q].
 */
export function matMulAtB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const [, p] = a.shape;
  const [, q] = b.shape;
  if (p <= q) return tf.matMul<tf.Tensor2D>(tf.transpose(a), b);
  return tf.transpose(tf.matMul<tf.Tensor2D>(tf.transpose(b), a));
}

/**
 * Sub-pixel filters for the input gradient, computed in JS (the filter is small; one pass):
 * F[jh,jw,co,(ph·sw+pw)·CI+ci] = W[ph+sh·(ah−1−jh), pw+sw·(aw−1−jw), ci, co], zero where the tap
 * index reaches K; ah = ceil(KH/sh), aw = ceil(KW/sw). Input W flat [KH,KW,CI,CO]; output flat
 * [ah,aw,CO,sh·sw·CI]. With strides 1 this is the flipped filter with CI and CO swapped.
 */
export function subpixelFilters(w: Float32Array, shape: [number, number, number, number], sh: number, sw: number): Float32Array {
  const [kh, kw, ci, co] = shape;
  const ah = Math.ceil(kh / sh);
  const aw = Math.ceil(kw / sw);
  const oc = sh * sw * ci;
  const out = new Float32Array(ah * aw * co * oc);
  for (let jh = 0; jh < ah; jh++) {
    for (let ph = 0; ph < sh; ph++) {
      const r = ph + sh * (ah - 1 - jh);
      if (r >= kh) continue;
      for (let jw = 0; jw < aw; jw++) {
        for (let pw = 0; pw < sw; pw++) {
          const c = pw + sw * (aw - 1 - jw);
          if (c >= kw) continue;
          const base = (jh * aw + jw) * co * oc + (ph * sw + pw) * ci;
          for (let i = 0; i < ci; i++) {
            const src = ((r * kw + c) * ci + i) * co;
            for (let o = 0; o < co; o++) out[base + o * oc + i] = w[src + o];
          }
        }
      }
    }
  }
  return out;
}

/** One-hot depthwise filter [KH,KW,CI,KH·KW]: channel m of input channel ci copies tap m = kh·KW+kw. */
function im2colFilter(kh: number, kw: number, ci: number): tf.Tensor4D {
  const m = kh * kw;
  const data = new Float32Array(kh * kw * ci * m);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const tap = a * kw + b;
      for (let c = 0; c < ci; c++) data[((tap * ci) + c) * m + tap] = 1;
    }
  }
  return tf.tensor4d(data, [kh, kw, ci, m]);
}

/** How the filter gradient is computed (see `conv2dFilterGradNHWC`). */
export type FilterGradMethod = 'conv' | 'im2col';
/** How the input gradient is computed (see `conv2dInputGradNHWC`). */
export type InputGradMethod = 'subpixel' | 'dilate';

/**
 * Filter gradient dL/dw of a conv2d (NHWC, dilation 1).
 * Inputs: x [B,H,W,CI] (forward input), dy [B,Ho,Wo,CO] (gradient of the forward output),
 * filterShape [KH,KW,CI,CO], geometry (strides and leading pads), method (default 'conv').
 * Output: [KH,KW,CI,CO] float32. Call inside tf.tidy (intermediates are not disposed here).
 * - 'conv' (default): dW[kh,kw,ci,co] = Σ_{b,i,j} xpad[b,i·sh+kh,j·sw+kw,ci]·dy[b,i,j,co] is itself a
 *   'valid' convolution once the batch is treated as the channel axis: images = input channels
 *   (xpad transposed to [CI,Hp,Wp,B]), filter = dy transposed to [Ho,Wo,B,CO] with dilation =
 *   stride, output [CI,KH,KW,CO]. One forward conv (fast XNNPACK path on wasm) + two 4-D
 *   transposes; measured 1.2–3× faster than 'im2col' on wasm (see report in wasm-kernels.ts).
 * - 'im2col' (notes/backend.md §2.5): patches by a depthwise conv with a one-hot filter, then one
 *   matmul (1×1 filters: a strided slice + one matmul).
 */
export function conv2dFilterGradNHWC(
  x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], geo: ConvGeometry,
  method: FilterGradMethod = 'conv',
): tf.Tensor4D {
  const [kh, kw, ci, co] = filterShape;
  const [b, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  const [sh, sw] = geo.strides;
  const needH = (ho - 1) * sh + kh;
  const needW = (wo - 1) * sw + kw;
  const xp = padOrCrop2d(x, geo.top, needH - h - geo.top, geo.left, needW - w - geo.left);
  if (method === 'conv') {
    const images = tf.transpose(xp, [3, 1, 2, 0]); // [CI, needH, needW, B]
    const kernel = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, B, CO]
    const g = tf.conv2d(images, kernel, 1, 'valid', 'NHWC', [sh, sw]); // [CI, KH, KW, CO]
    return tf.transpose(g, [1, 2, 0, 3]);
  }
  const n = b * ho * wo;
  const dy2 = tf.reshape<tf.Rank.R2>(dy, [n, co]);
  if (kh === 1 && kw === 1) {
    const xs = sh === 1 && sw === 1 ? xp : tf.stridedSlice(xp, [0, 0, 0, 0], [b, needH, needW, ci], [1, sh, sw, 1]);
    return tf.reshape(matMulAtB(tf.reshape<tf.Rank.R2>(xs, [n, ci]), dy2), [1, 1, ci, co]);
  }
  const m = kh * kw;
  const patches = tf.depthwiseConv2d(xp, im2colFilter(kh, kw, ci), [sh, sw], 'valid'); // [B,Ho,Wo,CI·M]
  const p2 = tf.reshape<tf.Rank.R2>(patches, [n, ci * m]);
  if (ci * m <= co) {
    const g = tf.matMul(tf.transpose(p2), dy2); // [CI·M, CO]
    return tf.transpose(tf.reshape(g, [ci, kh, kw, co]), [1, 2, 0, 3]);
  }
  const gt = tf.matMul(tf.transpose(dy2), p2); // [CO, CI·M]
  return tf.transpose(tf.reshape(gt, [co, ci, kh, kw]), [2, 3, 1, 0]);
}

/**
 * Input gradient dL/dx of a conv2d (NHWC, dilation 1), i.e. the transposed convolution.
 * Inputs: dy [B,Ho,Wo,CO], filter [KH,KW,CI,CO], inputShape [B,H,W,CI], geometry, method
 * (default 'subpixel'). Output: [B,H,W,CI] float32. Call inside tf.tidy.
 * - 'dilate' (notes/backend.md §2.5): dy zero-dilated by the stride, padded by (K−1−top, …),
 *   convolved (stride 1, 'valid') with the spatially flipped filter with in/out channels swapped.
 * - 'subpixel' (default): the same sum without the multiplications by inserted zeros. Writing
 *   y+top = s·q+p (phase p < s), only taps kh = p+s·a contribute, so every phase is an ordinary
 *   stride-1 conv of the undilated dy with a ceil(K/s)-tap sub-filter; all s_h·s_w phases run as
 *   ONE conv2d with s_h·s_w·CI output channels, then interleaved (pixel shuffle; Shi et al. 2016,
 *   "Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel CNN").
 *   Up to s² fewer FLOPs than 'dilate' (4× for the 4×4 stride-2 DCGAN layers); at stride 1 it
 *   is the 'dilate' conv. Reads the (small) filter with dataSync to build the sub-filters.
 * 1×1 filters always do the channel matmul first and dilate the (smaller) result.
 */
export function conv2dInputGradNHWC(
  dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], geo: ConvGeometry,
  method: InputGradMethod = 'subpixel',
): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const [b, h, w] = inputShape;
  const [, ho, wo] = dy.shape;
  const [sh, sw] = geo.strides;
  const padT = kh - 1 - geo.top;
  const padB = h + geo.top - ho * sh;
  const padL = kw - 1 - geo.left;
  const padR = w + geo.left - wo * sw;
  if (kh === 1 && kw === 1) {
    const wt = tf.transpose(tf.reshape(filter, [ci, co])); // [CO, CI]
    const r = tf.reshape<tf.Rank.R4>(tf.matMul(tf.reshape(dy, [b * ho * wo, co]), wt), [b, ho, wo, ci]);
    return padOrCrop2d(zeroDilate2d(r, sh, sw), padT, padB, padL, padR);
  }
  if (method === 'dilate') {
    const z = padOrCrop2d(zeroDilate2d(dy, sh, sw), padT, padB, padL, padR); // [B, H+KH−1, W+KW−1, CO]
    const wf = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [KH,KW,CO,CI]
    return tf.conv2d(z, wf, 1, 'valid');
  }
  const ah = Math.ceil(kh / sh);
  const aw = Math.ceil(kw / sw);
  // Sub-pixel rows q cover input rows q·sh−top … ; rows q < q0 = floor(top/sh) would be cropped
  // entirely, so they are not computed (at stride 1 nothing is computed and then cropped).
  const qh = Math.ceil((h + geo.top) / sh);
  const qw = Math.ceil((w + geo.left) / sw);
  const q0h = Math.floor(geo.top / sh);
  const q0w = Math.floor(geo.left / sw);
  const f = tf.tensor4d(subpixelFilters(filter.dataSync() as Float32Array, [kh, kw, ci, co], sh, sw), [ah, aw, co, sh * sw * ci]);
  const dyp = padOrCrop2d(dy, ah - 1 - q0h, qh - ho, aw - 1 - q0w, qw - wo); // [B, qh−q0h+ah−1, qw−q0w+aw−1, CO]
  const q = tf.conv2d(dyp, f, 1, 'valid'); // [B, qh−q0h, qw−q0w, sh·sw·CI]
  let z: tf.Tensor4D = q;
  if (sh > 1 || sw > 1) {
    // Interleave the phases: channel (ph·sw+pw)·CI+ci of pixel (i,j) goes to pixel (i·sh+ph, j·sw+pw).
    // Written with a 4-D transpose (wasm's DepthToSpace is ~7× slower than this).
    const [, nh, nw] = q.shape;
    const t = tf.transpose(tf.reshape(q, [b * nh, nw, sh, sw * ci]), [0, 2, 1, 3]);
    z = tf.reshape(t, [b, nh * sh, nw * sw, ci]);
  }
  return padOrCrop2d(z, q0h * sh - geo.top, h + geo.top - qh * sh, q0w * sw - geo.left, w + geo.left - qw * sw);
}
