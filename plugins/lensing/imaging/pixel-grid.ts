/**
 * Pixel grids in lenstronomy's `data_configure_simple(numPix, deltaPix, inverse=False)`
 * convention: pixel (row i, column j) has its centre at
 * x = (j - (N-1)/2) deltaPix, y = (i - (N-1)/2) deltaPix; row 0 has the most negative y and x
 * grows with the column index (no RA flip). Images are row-major (`image[i * N + j]`).
 *
 * Supersampling by s: each pixel is sampled at the s x s sub-pixel centres at offsets
 * (-1/2 + (k + 1/2)/s) deltaPix, k = 0..s-1, i.e. the regular grid of N s x N s points with
 * spacing deltaPix/s; a pixel's value is the mean of its s x s samples.
 */

/** x (or y) coordinate of pixel index `j` on an N-pixel axis [arcsec]. */
export function pixelCentre(j: number, numPix: number, deltaPix: number): number {
  return (j - (numPix - 1) / 2) * deltaPix;
}

/** Coordinates of a (possibly supersampled) grid, row-major. */
export interface GridCoordinates {
  /** x of every sample [arcsec], length (N s)^2. */
  x: Float64Array;
  /** y of every sample [arcsec], length (N s)^2. */
  y: Float64Array;
  /** Samples per side, N s. */
  size: number;
}

/**
 * Sample coordinates of an N x N pixel grid supersampled s times per axis (s = 1: pixel centres).
 * @param numPix pixels per side N
 * @param deltaPix pixel size [arcsec]
 * @param supersampling sub-samples per pixel and axis s (default 1)
 */
export function gridCoordinates(numPix: number, deltaPix: number, supersampling = 1): GridCoordinates {
  const s = supersampling;
  const size = numPix * s;
  const axis = new Float64Array(size);
  for (let j = 0; j < numPix; j++) {
    for (let k = 0; k < s; k++) axis[j * s + k] = (j - (numPix - 1) / 2 + (-0.5 + (k + 0.5) / s)) * deltaPix;
  }
  const x = new Float64Array(size * size), y = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const yi = axis[i];
    const row = i * size;
    for (let j = 0; j < size; j++) { x[row + j] = axis[j]; y[row + j] = yi; }
  }
  return { x, y, size };
}

/**
 * Averages s x s blocks of a supersampled row-major image and multiplies by `scale`:
 * `out[i N + j] = scale * mean(hi[block(i, j)])`. With s = 1 this is `out = scale * hi`.
 * @param hi image of (N s)^2 samples
 * @param numPix N
 * @param s supersampling factor
 * @param out N^2 output (may not alias `hi` unless s = 1)
 * @param scale factor applied to the mean (e.g. deltaPix^2 to turn surface brightness into flux)
 */
export function downsampleMean(hi: Float64Array, numPix: number, s: number, out: Float64Array, scale = 1): void {
  const n2 = numPix * numPix;
  if (s === 1) {
    for (let i = 0; i < n2; i++) out[i] = hi[i] * scale;
    return;
  }
  const size = numPix * s;
  const f = scale / (s * s);
  for (let i = 0; i < numPix; i++) {
    const o = i * numPix;
    for (let j = 0; j < numPix; j++) out[o + j] = 0;
    for (let a = 0; a < s; a++) {
      const row = (i * s + a) * size;
      for (let j = 0; j < numPix; j++) {
        const base = row + j * s;
        let acc = 0;
        for (let b = 0; b < s; b++) acc += hi[base + b];
        out[o + j] += acc;
      }
    }
    for (let j = 0; j < numPix; j++) out[o + j] *= f;
  }
}
