import * as tf from '@tensorflow/tfjs';

/**
 * [B, S, S, C] cluster images → [B·C, S, S, 1] single-band images, each stretched as the method
 * trains on them: asinh(x / softening) (`cluster-pool.ts`). Lets an exported model take the
 * data's raw images. Registered for tfjs serialisation (class `LensforgeBandSplit`).
 */
export class BandSplit extends tf.layers.Layer {
  static className = 'LensforgeBandSplit';
  readonly softening: number;
  constructor(args: { softening: number; name?: string }) {
    super({ name: args.name });
    if (!(args.softening > 0)) throw new Error(`BandSplit.softening: expected a number > 0, got ${args.softening}`);
    this.softening = args.softening;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const x = (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
    return [null, x[1], x[2], 1];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      return tf.reshape(tf.transpose(tf.asinh(tf.div(x, this.softening)), [0, 3, 1, 2]), [b * c, h, w, 1]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig(), softening: this.softening }; }
}
tf.serialization.registerClass(BandSplit);

/**
 * [B·C, D] per-band features → [B, D, C, 1], the richness head's input layout
 * (`featuresToHeadInput`). Registered for tfjs serialisation (class `LensforgeBandStack`).
 */
export class BandStack extends tf.layers.Layer {
  static className = 'LensforgeBandStack';
  readonly bands: number;
  constructor(args: { bands: number; name?: string }) {
    super({ name: args.name });
    if (!(Number.isInteger(args.bands) && args.bands >= 1)) throw new Error(`BandStack.bands: expected an integer >= 1, got ${args.bands}`);
    this.bands = args.bands;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const x = (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
    return [null, x[1], this.bands, 1];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const f = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const c = this.bands, d = f.shape[1];
      return tf.reshape(tf.transpose(tf.reshape(f, [f.shape[0] / c, c, d]), [0, 2, 1]), [f.shape[0] / c, d, c, 1]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig(), bands: this.bands }; }
}
tf.serialization.registerClass(BandStack);
