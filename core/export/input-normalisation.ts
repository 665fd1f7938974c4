/**
 * How images are prepared before a run's networks see them, described from the run's `data`
 * spec: for `io/images` its preprocessing options (NaN policy, crop / pad size, per-image
 * normalisation); for a simulator, that images go in exactly as the simulator produces them.
 */
export interface InputNormalisation {
  /** The data component of the run. */
  component: string;
  /** Per-image normalisation (`io/images` normalize; `none` for simulators). */
  normalize: string;
  /** io/images: options that shape the values (nan, size, asinhSoftening, percentiles, normalizePerChannel). */
  options?: Record<string, unknown>;
  /** In words, for the model card. */
  description: string;
}

/** The io/images options that change pixel values or the image size (copied to `embed` / `predict` of a plain path). */
export const PREPROCESS_KEYS = ['nan', 'size', 'normalize', 'asinhSoftening', 'percentiles', 'normalizePerChannel'] as const;

export function inputNormalisation(component: string, options: Record<string, unknown>): InputNormalisation {
  if (component === 'io/images') {
    const o: Record<string, unknown> = {};
    for (const k of PREPROCESS_KEYS) if (options[k] !== undefined) o[k] = options[k];
    const mode = String(options.normalize ?? 'none');
    const what: Record<string, string> = {
      none: 'no per-image normalisation',
      max: 'each image divided by its maximum (LenSiam)',
      asinh: `asinh(x / ${String(options.asinhSoftening ?? 1)}) per pixel`,
      zscore: 'each image minus its mean, divided by its standard deviation',
      percentile: `each image clipped to its [${String(options.percentiles ?? [0.5, 99.5])}] percentiles and scaled to [0, 1]`,
    };
    const size = options.size === undefined ? '' : `, centre-cropped / zero-padded to ${String(options.size)}`;
    return {
      component, normalize: mode, options: o,
      description: `io/images: NaN pixels ${String(options.nan ?? 'error')}${size}; ${what[mode] ?? mode}${options.normalizePerChannel ? ' (per channel)' : ''}`,
    };
  }
  return { component, normalize: 'none', description: `images exactly as the simulator ${component} produces them (float32, H x W x C); lensforge applies no normalisation before the network` };
}
