import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../contracts/simulator.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { digestOf, type FileDigest } from '../io/file-digest.js';
import { encodeFits, type FitsValue } from '../io/fits.js';
import { encodeNpy } from '../io/npy.js';
import type { Rng } from '../tensor/rng.js';
import { shardName, shardShape, toCsv, type ShardInfo } from './dataset-format.js';

/** FITS header keys for label names: the name itself when it fits in 8 characters, else Lnnn. */
export function fitsKeys(labelNames: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  labelNames.forEach((n, i) => {
    let k = n.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
    if (k.length > 8 || used.has(k)) k = `L${String(i).padStart(3, '0')}`;
    used.add(k);
    out[n] = k;
  });
  return out;
}

/**
 * Generate samples [start, start+count) and write them as one shard. Views beyond the first
 * are independent re-renders (`simulator.renderView`) with streams derived from the index,
 * so a shard's content never depends on which worker made it. The returned entry records the
 * size and sha256 of every file written (hashed from the bytes written, not read back).
 */
export function writeShard(dir: string, shard: number, start: number, count: number, views: number, split: string,
  sim: Simulator, viewRng: Rng, fits: boolean): ShardInfo {
  const [h, w, c] = sim.imageShape;
  const per = h * w * c;
  const images = new Float32Array(count * views * per);
  const rows: Array<{ index: number; labels: Record<string, number> }> = [];
  const keys = fits ? fitsKeys(sim.labelNames) : {};
  const files: Record<string, FileDigest> = {};
  const put = (name: string, data: string | Uint8Array) => { writeFileAtomic(join(dir, name), data); files[name] = digestOf(data); };
  if (fits) mkdirSync(join(dir, 'fits'), { recursive: true });
  for (let k = 0; k < count; k++) {
    const index = start + k;
    const s = sim.sample(index, split);
    for (let v = 0; v < views; v++) {
      let img: Float32Array;
      if (v === 0) img = s.image;
      else if (s.views && s.views.length > v) img = s.views[v];
      else if (sim.renderView) img = sim.renderView(s, viewRng.derive(`${split}:${index}:view${v}`));
      else throw new Error(`simulate.views: this simulator cannot render more than one view per sample; set views: 1`);
      if (img.length !== per) throw new Error(`simulator returned an image of ${img.length} values; expected ${per} (${h}x${w}x${c})`);
      images.set(img, (k * views + v) * per);
      if (fits) {
        const header: Record<string, FitsValue> = { INDEX: index, VIEW: v, SPLIT: split };
        for (const n of sim.labelNames) header[keys[n]] = s.labels[n];
        put(`fits/${String(index).padStart(8, '0')}_v${v}.fits`, encodeFits(img, c === 1 ? [h, w] : [h, w, c], header));
      }
    }
    rows.push({ index, labels: s.labels });
  }
  const name = shardName(shard);
  put(`images-${name}.npy`, encodeNpy(images, shardShape(count, views, sim.imageShape)));
  put(`params-${name}.json`, JSON.stringify(rows, null, 2) + '\n');
  put(`params-${name}.csv`, toCsv(sim.labelNames, rows));
  return { index: shard, start, count, images: `images-${name}.npy`, params: `params-${name}.json`, files };
}
