/**
 * Native nearest-neighbour resizing (ResizeNearestNeighbor and its gradient), NHWC float32 —
 * the 2x upsampling of the U-Net decoder. The source row/column of every output pixel is
 * computed here with TF.js's own rules (alignCorners, halfPixelCenters, Math.round/floor as in
 * @tensorflow/tfjs-backend-cpu), then the addon copies or scatter-adds whole pixels.
 *
 * The gradient is the exact adjoint of the forward mapping. It deliberately differs from
 * tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad, which (a) offsets dy by the batch stride of
 * the *input* image, so every batch element after the first reads the wrong rows of dy, and
 * (b) ignores halfPixelCenters; both backends agree for batch 1 without halfPixelCenters.
 */
import { f32, ints, output, sizeOf, type NativeImpl } from './kernel-util.js';

/** Source index of each of the `outSize` output positions along one axis of length `inSize`. */
export function nearestSourceIndex(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const ratio = effIn / effOut;
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    let src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    if (halfPixelCenters) src = Math.max(0, src);
    idx[i] = src;
  }
  return idx;
}

/** ResizeNearestNeighbor: inputs {images}; attrs {alignCorners, halfPixelCenters, size: [h, w]}. */
export const resizeNearestNeighbor: NativeImpl = (inputs, backend, attrs) => {
  const { images } = inputs;
  const xv = f32(backend, images);
  const size = attrs.size as [number, number];
  if (!xv || images.shape.length !== 4 || !Array.isArray(size)) return null;
  const [N, H, W, C] = images.shape;
  const [OH, OW] = size;
  const ac = Boolean(attrs.alignCorners), hpc = Boolean(attrs.halfPixelCenters);
  const outShape = [N, OH, OW, C];
  const y = backend.allocF32(sizeOf(outShape));
  if (y.length > 0) {
    backend.addon.resizeNearest(ints(N, H, W, C, OH, OW), xv, y, nearestSourceIndex(H, OH, ac, hpc), nearestSourceIndex(W, OW, ac, hpc));
  }
  return output(backend, outShape, y);
};

/** ResizeNearestNeighborGrad: inputs {images, dy}; attrs {alignCorners, halfPixelCenters}. */
export const resizeNearestNeighborGrad: NativeImpl = (inputs, backend, attrs) => {
  const { images, dy } = inputs;
  const dyv = f32(backend, dy);
  if (!dyv || images.shape.length !== 4 || dy.shape.length !== 4) return null;
  const [N, H, W, C] = images.shape;
  const [, OH, OW] = dy.shape;
  if (dy.shape[0] !== N || dy.shape[3] !== C) return null;
  const ac = Boolean(attrs.alignCorners), hpc = Boolean(attrs.halfPixelCenters);
  const dx = backend.allocF32(N * H * W * C);
  if (dx.length > 0) {
    backend.addon.resizeNearestGrad(ints(N, H, W, C, OH, OW), dyv, dx, nearestSourceIndex(H, OH, ac, hpc), nearestSourceIndex(W, OW, ac, hpc));
  }
  return output(backend, images.shape.slice(), dx);
};

/** Kernel name → native implementation, for resizing. */
export const RESIZE_KERNELS: Record<string, NativeImpl> = {
  ResizeNearestNeighbor: resizeNearestNeighbor,
  ResizeNearestNeighborGrad: resizeNearestNeighborGrad,
};
