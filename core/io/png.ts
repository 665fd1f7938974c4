import { deflateSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-write.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encode 8-bit RGB pixels (row-major, `width*height*3` bytes) as a PNG. */
export function encodePngRgb(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`png: expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Viridis-like colour map (5 anchor colours, linear interpolation), t in [0, 1]. */
export function viridis(t: number): [number, number, number] {
  const a = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (a.length - 1);
  const i = Math.min(a.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(a[i][c] + f * (a[i + 1][c] - a[i][c]))) as [number, number, number];
}

export interface ImageGridOptions {
  /** Number of columns; rows follow. */
  cols: number;
  /** Pixel magnification of each image. */
  scale?: number;
  /** Gap between tiles in pixels (after scaling). */
  gap?: number;
  /** 'per-image' stretches each tile to its own min/max; 'global' uses one range. */
  stretch?: 'per-image' | 'global';
  /** asinh stretch softening (in units of the tile's range); 0 = linear. */
  asinh?: number;
  colormap?: 'gray' | 'viridis';
  /** Flip vertically so row 0 (most negative y) is at the bottom, as astronomers display images. */
  originLower?: boolean;
}

/** Render single-channel images (each `h*w`, row-major) as a tiled PNG. */
export function imageGridPng(images: ArrayLike<number>[], h: number, w: number, opts: ImageGridOptions): Buffer {
  const scale = opts.scale ?? 2, gap = opts.gap ?? 2, cols = Math.max(1, opts.cols);
  const rows = Math.max(1, Math.ceil(images.length / cols));
  const W = cols * w * scale + (cols + 1) * gap, H = rows * h * scale + (rows + 1) * gap;
  const rgb = new Uint8Array(W * H * 3).fill(255);
  let gmin = Infinity, gmax = -Infinity;
  for (const im of images) for (let i = 0; i < im.length; i++) { const v = im[i]; if (v < gmin) gmin = v; if (v > gmax) gmax = v; }
  images.forEach((im, idx) => {
    let lo = gmin, hi = gmax;
    if ((opts.stretch ?? 'per-image') === 'per-image') {
      lo = Infinity; hi = -Infinity;
      for (let i = 0; i < im.length; i++) { const v = im[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    const range = hi - lo || 1;
    const soft = opts.asinh ?? 0;
    const r = Math.floor(idx / cols), c = idx % cols;
    const x0 = gap + c * (w * scale + gap), y0 = gap + r * (h * scale + gap);
    for (let y = 0; y < h; y++) {
      const srcRow = opts.originLower ? h - 1 - y : y;
      for (let x = 0; x < w; x++) {
        let t = (im[srcRow * w + x] - lo) / range;
        if (soft > 0) t = Math.asinh(t / soft) / Math.asinh(1 / soft);
        const g = Math.round(255 * Math.min(1, Math.max(0, t)));
        const col: [number, number, number] = opts.colormap === 'viridis' ? viridis(t) : [g, g, g];
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
          const p = ((y0 + y * scale + dy) * W + (x0 + x * scale + dx)) * 3;
          rgb[p] = col[0]; rgb[p + 1] = col[1]; rgb[p + 2] = col[2];
        }
      }
    }
  });
  return encodePngRgb(rgb, W, H);
}

export function writeImageGridPng(path: string, images: ArrayLike<number>[], h: number, w: number, opts: ImageGridOptions): void {
  writeFileAtomic(path, imageGridPng(images, h, w, opts));
}
