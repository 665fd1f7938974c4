/**
 * Work-around for a forward-convolution bug of tfjs-backend-wasm 4.22.0 (found by the lensforge
 * kernel tests): Conv2D, FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2D with
 * pad 'same' hand XNNPACK its TensorFlow-SAME flag, and XNNPACK then computes wrong values
 * whenever TensorFlow's total padding (out−1)·s + K_eff − in is negative (clamped to 0) in a
 * dimension, e.g. a 1×3 filter with stride 3, or 3×1 with stride 2 on an even width; 1×1
 * filters are unaffected. Measured: 358 of 1,728 such conv/depthwise configurations were wrong
 * (relative error ≈ 1), and exactly those. The wrapper rewrites 'same' into the equivalent
 * explicit padding (tfjs's own padInfo) in those cases only, and calls the original kernel.
 */
import * as tf from '@tensorflow/tfjs';

/** Forward conv kernels on 'wasm' that get the wrapper, with whether they are depthwise. */
export const SAME_PADDING_KERNELS: Readonly<Record<string, boolean>> = {
  Conv2D: false,
  FusedConv2D: false,
  DepthwiseConv2dNative: true,
  FusedDepthwiseConv2D: true,
};

type Shape4 = [number, number, number, number];

/**
 * Returns the explicit NHWC padding equivalent to 'same' when XNNPACK would mis-handle it
 * (clamped negative total padding in some dimension), otherwise null.
 * Inputs: x shape [B,H,W,C], filter shape [KH,KW,·,·], strides, dilations, depthwise flag.
 */
export function explicitSamePadding(
  xShape: Shape4, filterShape: Shape4, strides: number | [number, number], dilations: number | [number, number] | undefined,
  depthwise: boolean,
): [[0, 0], [number, number], [number, number], [0, 0]] | null {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, 'same', undefined, depthwise);
  const clampedH = (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - info.inHeight < 0;
  const clampedW = (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - info.inWidth < 0;
  if (!clampedH && !clampedW) return null;
  const p = info.padInfo;
  return [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
}

/** Wraps a wasm forward conv kernel so that problematic 'same' padding is passed explicitly. */
export function wrapSamePadding(original: tf.KernelConfig, depthwise: boolean): tf.KernelFunc {
  const inner = original.kernelFunc;
  return (args) => {
    const attrs = args.attrs as Record<string, unknown> | undefined;
    const x = args.inputs.x;
    const filter = args.inputs.filter;
    if (attrs?.pad === 'same' && x?.shape.length === 4 && filter?.shape.length === 4
        && (attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC')) {
      const pad = explicitSamePadding(x.shape as Shape4, filter.shape as Shape4,
        attrs.strides as number | [number, number], attrs.dilations as number | [number, number] | undefined, depthwise);
      if (pad) return inner({ ...args, attrs: { ...attrs, pad } as unknown as tf.NamedAttrMap });
    }
    return inner(args);
  };
}
