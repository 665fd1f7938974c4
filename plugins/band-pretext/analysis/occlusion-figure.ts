/**
 * PNG figure of occlusion maps in the style of Liang et al. 2021, Fig. 2: for each example a
 * row of three panels — the single-band image (grey, asinh-stretched by the caller or as
 * given), the occlusion map (viridis; bright = high probability of the correct band) and the
 * map overlaid on the image — with member galaxies as blue dots and stars as red circles.
 */
import { encodePngRgb, viridis, writeFileAtomic } from '../../../core/index.js';
import type { OcclusionResult } from './occlusion-map.js';

/** A marker in image pixel coordinates (x = column, y = row). */
export interface FigureMarker { x: number; y: number; kind: 'member' | 'star' }

export interface OcclusionExample {
  /** One band, height x width values. */
  image: Float32Array;
  result: OcclusionResult;
  markers?: FigureMarker[];
}

function range(a: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < a.length; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i]; }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** Render the figure; `scale` magnifies each pixel (default 4). Returns PNG bytes. */
export function occlusionFigurePng(examples: OcclusionExample[], scale = 4): Buffer {
  if (examples.length === 0) throw new Error('examples: expected at least one occlusion example, got none');
  const { height: h, width: w } = examples[0].result;
  const gap = 4, pw = w * scale, ph = h * scale;
  const W = 3 * pw + 4 * gap, H = examples.length * ph + (examples.length + 1) * gap;
  const rgb = new Uint8Array(W * H * 3).fill(255);
  const put = (x: number, y: number, c: readonly number[]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const o = (y * W + x) * 3;
    rgb[o] = c[0]; rgb[o + 1] = c[1]; rgb[o + 2] = c[2];
  };
  examples.forEach((ex, row) => {
    if (ex.result.height !== h || ex.result.width !== w || ex.image.length !== h * w) {
      throw new Error(`examples[${row}]: expected a ${h}x${w} image and map, got ${ex.image.length} pixels and a ${ex.result.height}x${ex.result.width} map`);
    }
    const [ilo, ihi] = range(ex.image), [mlo, mhi] = range(ex.result.pixelMap);
    const top = gap + row * (ph + gap);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const g = Math.round(255 * (ex.image[y * w + x] - ilo) / (ihi - ilo));
      const m = viridis((ex.result.pixelMap[y * w + x] - mlo) / (mhi - mlo));
      const ov = m.map((v) => Math.round(0.45 * g + 0.55 * v));
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
        const yy = top + y * scale + dy;
        put(gap + x * scale + dx, yy, [g, g, g]);
        put(2 * gap + pw + x * scale + dx, yy, m);
        put(3 * gap + 2 * pw + x * scale + dx, yy, ov);
      }
    }
    for (const mk of ex.markers ?? []) {
      if (mk.x < -0.5 || mk.y < -0.5 || mk.x > w - 0.5 || mk.y > h - 0.5) continue;
      for (let panel = 0; panel < 2; panel++) {
        const cx = Math.round((panel === 0 ? gap : 2 * gap + pw) + (mk.x + 0.5) * scale);
        const cy = Math.round(top + (mk.y + 0.5) * scale);
        const r = mk.kind === 'star' ? Math.max(3, scale + 1) : Math.max(1, Math.floor(scale / 3));
        for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
          const d2 = dx * dx + dy * dy;
          if (mk.kind === 'member' ? d2 <= r * r : d2 <= r * r && d2 >= (r - 1) * (r - 1)) put(cx + dx, cy + dy, mk.kind === 'member' ? [40, 90, 255] : [230, 30, 30]);
        }
      }
    }
  });
  return encodePngRgb(rgb, W, H);
}

/** Write {@link occlusionFigurePng} to `path` atomically. */
export function writeOcclusionFigure(path: string, examples: OcclusionExample[], scale = 4): void {
  writeFileAtomic(path, occlusionFigurePng(examples, scale));
}
