/**
 * One labelled example. Images are float32, row-major, channels last (H x W x C).
 */
export interface Sample {
  /** The image (H*W*C values). */
  image: Float32Array;
  /** Extra precomputed views of the same object (e.g. lens pairs read from disk). */
  views?: Float32Array[];
  /** Physical labels (e.g. theta_E, e1, gamma). Never shown to self-supervised training. */
  labels: Record<string, number>;
  /** Simulator-specific latent state that physics-aware augmenters can re-render. */
  scene?: unknown;
  /** Group identity (e.g. a cluster id) that must not be split across train and test. */
  group?: number;
}
