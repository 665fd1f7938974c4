import { encodePngRgb, viridis, writeFileAtomic } from '../../../core/index.js';

/** One tile of a panel: an n × n map and the value range mapped onto the colour scale. */
export interface PanelTile { map: ArrayLike<number>; lo: number; hi: number }

/**
 * Render rows of equally sized n × n tiles as an RGB PNG (viridis, values clipped to each tile's
 * [lo, hi]; row 0 of a map at the top; `scale`-fold pixel replication, `gap` white pixels between
 * tiles). Returns the PNG bytes.
 */
export function renderPanelPng(rows: PanelTile[][], n: number, scale = 2, gap = 4): Buffer {
  if (rows.length === 0 || rows.some((r) => r.length !== rows[0].length) || rows[0].length === 0) {
    throw new Error('rows: expected a non-empty grid of tiles with the same number of tiles in every row');
  }
  const cols = rows[0].length;
  const W = cols * n * scale + (cols + 1) * gap, H = rows.length * n * scale + (rows.length + 1) * gap;
  const rgb = new Uint8Array(W * H * 3).fill(255);
  rows.forEach((row, r) => row.forEach((tile, c) => {
    if (tile.map.length !== n * n) throw new Error(`rows[${r}][${c}].map: expected ${n * n} values, got ${tile.map.length}`);
    const span = tile.hi > tile.lo ? tile.hi - tile.lo : 1;
    const x0 = gap + c * (n * scale + gap), y0 = gap + r * (n * scale + gap);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const [R, G, B] = viridis((tile.map[i * n + j] - tile.lo) / span);
        for (let a = 0; a < scale; a++) {
          for (let b = 0; b < scale; b++) {
            const o = ((y0 + i * scale + a) * W + x0 + j * scale + b) * 3;
            rgb[o] = R; rgb[o + 1] = G; rgb[o + 2] = B;
          }
        }
      }
    }
  }));
  return encodePngRgb(rgb, W, H);
}

function range(m: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m.length; i++) { if (m[i] < lo) lo = m[i]; if (m[i] > hi) hi = m[i]; }
  return [lo, hi];
}

/** One held-out map's reconstructions for {@link writePosteriorPanel}. */
export interface PanelRow { truth: Float32Array; ks: Float32Array; mean: Float32Array; std: Float32Array }

/**
 * The mass-mapping figure (Whitney et al. 2024, "Result - sims"): one row per held-out map with
 * columns truth | smoothed Kaiser-Squires | posterior mean | posterior std | error (mean − truth).
 * Truth, KS and mean share the truth's colour range; std runs from 0 to its maximum; the error
 * is symmetric about 0. Written atomically to `path`.
 */
export function writePosteriorPanel(path: string, rows: PanelRow[], n: number): void {
  const tiles = rows.map((r) => {
    const [lo, hi] = range(r.truth);
    const err = Float32Array.from(r.mean, (v, i) => v - r.truth[i]);
    const [elo, ehi] = range(err);
    const e = Math.max(Math.abs(elo), Math.abs(ehi));
    return [
      { map: r.truth, lo, hi }, { map: r.ks, lo, hi }, { map: r.mean, lo, hi },
      { map: r.std, lo: 0, hi: range(r.std)[1] }, { map: err, lo: -e, hi: e },
    ];
  });
  writeFileAtomic(path, renderPanelPng(tiles, n, n <= 64 ? 3 : 1));
}
