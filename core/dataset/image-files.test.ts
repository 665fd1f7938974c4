import 'reflect-metadata';
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fitsFile } from '../testing/fits-writer.js';
import { openByteSource } from '../io/byte-source.js';
import { selectHdu, walkHdus } from '../io/fits-header.js';
import { readImagePlanes } from '../io/fits-read.js';
import { encodeNpy } from '../io/npy.js';
import { loadH5wasm } from '../io/hdf5-read.js';
import { ImageFileSet } from './image-file-set.js';
import { ImageFilesOptions } from './image-files-options.js';
import { applyNanPolicy, cropPad, normalizeImage } from './image-preprocess.js';
import { splitByFraction } from './image-splits.js';
import { buildSimulator, createRegistry } from './build-simulator.js';
import { loadExperiment } from '../experiment/load-config.js';
import { runExperiment } from '../experiment/runner.js';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { inspectData } from '../cli/commands/data-inspect.js';
import type { Simulator } from '../contracts/simulator.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-img-'));
const opts = (o: Record<string, unknown>) => ImageFilesOptions.parse(o);
const set = (o: Record<string, unknown>, base?: string) => new ImageFileSet(opts({ split: { by: 'none' }, ...o }), base);
const arr = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? NaN : +v.toPrecision(7)));
/** Decode the first image HDU of a file written by the test. */
function decode(buf: Buffer, which?: number | string) {
  const dir = tmp(), f = join(dir, 'x.fits');
  writeFileSync(f, buf);
  const src = openByteSource(f);
  try { return readImagePlanes(src, selectHdu(src, walkHdus(src), which)); } finally { src.close(); }
}

describe('io/images: FITS decoding', () => {
  it('reads every BITPIX with BSCALE/BZERO (values by hand)', () => {
    const cases: Array<[8 | 16 | 32 | 64 | -32 | -64, Array<number | bigint>, Record<string, number>, number[]]> = [
      [8, [0, 12, 255, 1], { BZERO: -128 }, [-128, -116, 127, -127]],
      [16, [-3, 0, 7, 32767], { BSCALE: 0.5, BZERO: 100 }, [98.5, 100, 103.5, 16483.5]],
      [32, [-2000000000, 5, 123456, 0], { BSCALE: 0.001 }, [-2000000, 0.005, 123.456, 0]],
      [64, [-9223372036854775808n, 0n, 1n, 4n], { BSCALE: 1, BZERO: 9223372036854775808 }, [0, 9223372036854775808, 9223372036854775809, 9223372036854775812]],
      [-32, [1.5, -2.25, 3e20, 0], {}, [1.5, -2.25, 3e20, 0]],
      [-64, [1e-300, -7.125, 2, 0], { BSCALE: 2, BZERO: 1 }, [1, -13.25, 5, 1]],
    ];
    for (const [bitpix, values, cards, want] of cases) {
      const r = decode(fitsFile([{ bitpix, shape: [2, 2], values, cards }]));
      expect(r.info.dims).to.deep.equal([2, 2]);
      expect(arr(r.data), `BITPIX ${bitpix}`).to.deep.equal(arr(Float32Array.from(want)));
      expect(r.info.dtype).to.match(new RegExp(`BITPIX ${bitpix}`));
    }
  });

  it('BLANK pixels become NaN, then the NaN policy applies', () => {
    const f = join(tmp(), 'b.fits');
    writeFileSync(f, fitsFile([{ bitpix: 16, shape: [2, 3], values: [1, -32768, 3, 4, 5, -32768], cards: { BLANK: -32768, BZERO: 10 } }]));
    const raw = decode(fitsFile([{ bitpix: 16, shape: [2, 3], values: [1, -32768, 3, 4, 5, -32768], cards: { BLANK: -32768, BZERO: 10 } }]));
    expect(arr(raw.data)).to.deep.equal([11, NaN, 13, 14, 15, NaN]);
    expect(() => set({ path: f }).sample(0)).to.throw(/b\.fits: HDU 0 \(primary\): 2 of 6 pixels are NaN.*data\.nan/);
    expect(Array.from(set({ path: f, nan: 'zero' }).sample(0).image)).to.deep.equal([11, 0, 13, 14, 15, 0]);
    expect(Array.from(set({ path: f, nan: 'median' }).sample(0).image)).to.deep.equal([11, 13.5, 13, 14, 15, 13.5]);
  });

  it('chooses extensions by number and by EXTNAME, and takes bands from extensions', () => {
    const dir = tmp(), f = join(dir, 'ext.fits');
    writeFileSync(f, fitsFile([
      { shape: [] },
      { shape: [2, 2], values: [1, 2, 3, 4], cards: { EXTNAME: 'SCI' } },
      { bitpix: 16, shape: [2, 2], values: [10, 20, 30, 40], cards: { EXTNAME: 'WHT' } },
    ]));
    expect(Array.from(set({ path: f }).sample(0).image)).to.deep.equal([1, 2, 3, 4]); // first HDU with an image
    expect(Array.from(set({ path: f, hdu: 2 }).sample(0).image)).to.deep.equal([10, 20, 30, 40]);
    expect(Array.from(set({ path: f, hdu: 'wht' }).sample(0).image)).to.deep.equal([10, 20, 30, 40]);
    const b = set({ path: f, bands: ['WHT', 1] });
    expect(b.imageShape).to.deep.equal([2, 2, 2]);
    expect(Array.from(b.sample(0).image)).to.deep.equal([10, 1, 20, 2, 30, 3, 40, 4]);
    expect(() => set({ path: f, hdu: 'ERR' })).to.throw(/ext\.fits: no HDU with EXTNAME 'ERR'; HDUs: 0 \(PRIMARY\), 1 'SCI'/);
    expect(() => set({ path: f, hdu: 0 })).to.throw(/HDU 0 \(primary\): NAXIS = 0/);
  });

  it('reads .fits.gz like the uncompressed file', () => {
    const dir = tmp();
    const buf = fitsFile([{ bitpix: -64, shape: [3, 2], values: [1, 2, 3, 4, 5, 6] }]);
    writeFileSync(join(dir, 'a.fits.gz'), gzipSync(buf));
    const s = set({ path: dir });
    expect(s.entries.map((e) => e.id)).to.deep.equal(['a']);
    expect(Array.from(s.sample(0).image)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    writeFileSync(join(dir, 'bad.fits.gz'), Buffer.from('not gzip'));
    expect(() => set({ path: join(dir, 'bad.fits.gz') })).to.throw(/bad\.fits\.gz: not a readable gzip file/);
  });

  it('reads cubes as N images or as the channels of one image', () => {
    const dir = tmp(), f = join(dir, 'cube.fits');
    writeFileSync(f, fitsFile([{ bitpix: 32, shape: [3, 2, 2], values: Array.from({ length: 12 }, (_, i) => i) }]));
    const s = set({ path: f });
    expect(s.entries.length).to.equal(3);
    expect(s.imageShape).to.deep.equal([2, 2, 1]);
    expect(Array.from(s.sample(2).image)).to.deep.equal([8, 9, 10, 11]);
    const c = set({ path: f, cube: 'channels' });
    expect(c.entries.length).to.equal(1);
    expect(Array.from(c.sample(0).image)).to.deep.equal([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('reads per-band files by a filename pattern, channels in the pattern order', () => {
    const dir = tmp();
    for (const id of ['obj1', 'obj2']) {
      ['g', 'r', 'i'].forEach((b, k) => writeFileSync(join(dir, `${id}_${b}.fits`), fitsFile([{ shape: [1, 2], values: [k + (id === 'obj2' ? 10 : 0), 100] }])));
    }
    const s = set({ path: dir, pattern: '*_{r,g,i}.fits' });
    expect(s.entries.map((e) => e.id)).to.deep.equal(['obj1', 'obj2']);
    expect(s.imageShape).to.deep.equal([1, 2, 3]);
    expect(Array.from(s.sample(1).image)).to.deep.equal([11, 10, 12, 100, 100, 100]);
    const odd = tmp(); // an object id that looks like a band name
    for (const b of ['g', 'r']) writeFileSync(join(odd, `g_${b}.fits`), fitsFile([{ shape: [1, 1], values: [b === 'g' ? 1 : 2] }]));
    const o = set({ path: odd, pattern: '*_{g,r}.fits' });
    expect([o.entries.map((e) => e.id), Array.from(o.sample(0).image)]).to.deep.equal([['g'], [1, 2]]);
    expect(() => set({ path: dir, pattern: '*_{g,r,z}.fits' })).to.throw(/object "obj1" has no file for band\(s\) z \(pattern "\*_\{g,r,z\}\.fits"/);
  });

  it('refuses tile-compressed images, random groups, NAXIS > 3 and absurd sizes, naming file and HDU', () => {
    const dir = tmp();
    const tile = join(dir, 'tile.fits');
    writeFileSync(tile, fitsFile([{ shape: [] }, { type: 'BINTABLE', raw: new Uint8Array(8), cards: { ZIMAGE: true, ZCMPTYPE: 'RICE_1', ZBITPIX: 16, ZNAXIS: 2 } }]));
    expect(() => set({ path: tile })).to.throw(/tile\.fits: HDU 1: a tile-compressed image \(ZIMAGE = T, ZCMPTYPE 'RICE_1'.*funpack/);
    const four = join(dir, 'four.fits');
    writeFileSync(four, fitsFile([{ shape: [2, 3, 2, 2], values: new Array(24).fill(0) }]));
    expect(() => set({ path: four })).to.throw(/four\.fits: HDU 0 \(primary\): NAXIS = 4 \(NAXIS1 = 2, NAXIS2 = 2, NAXIS3 = 3, NAXIS4 = 2\): more than 3 axes/);
    const deg = join(dir, 'deg.fits');
    writeFileSync(deg, fitsFile([{ shape: [1, 1, 2, 2], values: [1, 2, 3, 4] }]));
    expect(Array.from(set({ path: deg }).sample(0).image)).to.deep.equal([1, 2, 3, 4]); // degenerate axes dropped
    const big = join(dir, 'big.fits');
    const cards = ['SIMPLE  =                    T', 'BITPIX  =                  -64', 'NAXIS   =                    2', 'NAXIS1  =               200000', 'NAXIS2  =               200000', 'END'].map((c) => c.padEnd(80)).join('');
    writeFileSync(big, Buffer.from(cards.padEnd(2880, ' '), 'latin1'));
    expect(() => set({ path: big })).to.throw(/big\.fits: HDU 0 \(primary\): NAXIS1 = 200000, NAXIS2 = 200000 × 8 bytes = 320000000000 bytes exceeds the limit/);
    const groups = join(dir, 'groups.fits');
    writeFileSync(groups, fitsFile([{ shape: [2, 0], values: [], cards: { GROUPS: true, PCOUNT: 0, GCOUNT: 1 } }]));
    expect(() => set({ path: groups })).to.throw(/groups\.fits: HDU 0 \(primary\).*(random-groups|NAXIS)/);
  });
});

describe('io/images: .npy and HDF5', () => {
  it('reads float32 (little-endian) and int16 (big-endian) stacks; refuses Fortran order', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f.npy'), encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]));
    const s = set({ path: join(dir, 'f.npy') });
    expect(s.entries.length).to.equal(2);
    expect(Array.from(s.sample(1).image)).to.deep.equal([5, 6, 7, 8]);
    const npyWith = (descr: string, body: Buffer, shape: string, fortran = 'False') => {
      let h = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
      const total = Math.ceil((10 + h.length + 1) / 64) * 64;
      h = h.padEnd(total - 11, ' ') + '\n';
      const head = Buffer.alloc(10); head.write('\x93NUMPY', 0, 'latin1'); head[6] = 1; head.writeUInt16LE(h.length, 8);
      return Buffer.concat([head, Buffer.from(h, 'latin1'), body]);
    };
    const be = Buffer.alloc(2 * 2 * 2 * 2);
    [-300, 1, 2, 3, 4, 5, 6, 7].forEach((v, i) => be.writeInt16BE(v, 2 * i));
    writeFileSync(join(dir, 'i.npy'), npyWith('>i2', be, '(1, 2, 2, 2)'));
    const t = set({ path: join(dir, 'i.npy') });
    expect(t.imageShape).to.deep.equal([2, 2, 2]);
    expect(Array.from(t.sample(0).image)).to.deep.equal([-300, 1, 2, 3, 4, 5, 6, 7]);
    const cf = set({ path: join(dir, 'i.npy'), channelsFirst: true });
    expect(Array.from(cf.sample(0).image)).to.deep.equal([-300, 4, 1, 5, 2, 6, 3, 7]);
    writeFileSync(join(dir, 'fo.npy'), npyWith('<f4', Buffer.alloc(16), '(1, 2, 2)', 'True'));
    expect(() => set({ path: join(dir, 'fo.npy') })).to.throw(/fo\.npy: fortran_order = True is not read/);
  });

  it('reads an HDF5 dataset through h5wasm, by rows', async () => {
    const h5 = await loadH5wasm();
    const dir = tmp(), f = join(dir, 'd.h5');
    const w = new (h5 as unknown as { File: new (p: string, m: string) => { create_dataset(o: unknown): unknown; close(): void } }).File(f, 'w');
    w.create_dataset({ name: 'cutouts', data: Float32Array.from({ length: 3 * 2 * 2 }, (_, i) => i / 2), shape: [3, 2, 2], dtype: '<f4' });
    w.close();
    const s = set({ path: f, dataset: 'cutouts' });
    expect(s.entries.length).to.equal(3);
    expect(Array.from(s.sample(2).image)).to.deep.equal([4, 4.5, 5, 5.5]);
    expect(() => set({ path: f, dataset: '/images' })).to.throw(/d\.h5: no dataset at "\/images" \(data\.dataset\); top-level entries: cutouts/);
    s.close();
  });
});

describe('io/images: labels and splits', () => {
  const folder = (n: number) => {
    const dir = tmp();
    mkdirSync(join(dir, 'img'));
    for (let i = 0; i < n; i++) writeFileSync(join(dir, 'img', `c${String(i).padStart(2, '0')}.fits`), fitsFile([{ shape: [2, 2], values: [i, i, i, i] }]));
    return dir;
  };

  it('joins a CSV by id, file and row; a missing row or a non-numeric value is a clear error', () => {
    const dir = folder(3);
    writeFileSync(join(dir, 'l.csv'), 'id,file,theta_E,name\nc02,c02.fits,1.5,x\nc00,c00.fits,0.5,y\n"c01",c01.fits,1.0,z\n');
    const s = set({ path: join(dir, 'img'), labels: { file: join(dir, 'l.csv'), columns: ['theta_E'] } });
    expect(s.labelNames).to.deep.equal(['theta_E']);
    expect([0, 1, 2].map((i) => s.sample(i).labels.theta_E)).to.deep.equal([0.5, 1.0, 1.5]);
    const byFile = set({ path: join(dir, 'img'), labels: { file: 'l.csv', by: 'file', columns: ['theta_E'] } }, dir);
    expect(byFile.sample(2).labels).to.deep.equal({ theta_E: 1.5 });
    const byRow = set({ path: join(dir, 'img'), labels: { file: 'l.csv', by: 'row', columns: ['theta_E'] } }, dir);
    expect(byRow.sample(0).labels.theta_E).to.equal(1.5);
    writeFileSync(join(dir, 'm.csv'), 'id,theta_E\nc00,1\nc02,2\n');
    expect(() => set({ path: join(dir, 'img'), labels: { file: 'm.csv' } }, dir)).to.throw(/m\.csv: no row with id = "c01" \(column "id"\) for image .*c01\.fits; every image needs a row/);
    expect(() => set({ path: join(dir, 'img'), labels: { file: 'l.csv' } }, dir)).to.throw(/l\.csv, line 3, column "file": expected a number, got "c00\.fits"/);
    writeFileSync(join(dir, 'n.csv'), 'id,theta_E\nc00,1\nc01,oops\nc02,2\n');
    expect(() => set({ path: join(dir, 'img'), labels: { file: 'n.csv' } }, dir)).to.throw(/n\.csv, line 3, column "theta_E": expected a number, got "oops"/);
  });

  it('reads labels from a FITS binary table (id as text, TSCAL/TZERO on integers)', () => {
    const dir = folder(2);
    const row = (id: string, theta: number, n: number) => { const b = Buffer.alloc(8 + 4 + 2); b.write(id.padEnd(8, ' '), 0, 'latin1'); b.writeFloatBE(theta, 8); b.writeInt16BE(n, 12); return b; };
    const raw = Buffer.concat([row('c01', 1.25, 3), row('c00', 0.75, -1)]);
    writeFileSync(join(dir, 'cat.fits'), fitsFile([{ shape: [] }, { type: 'BINTABLE', raw, tableRows: 2, cards: { TFIELDS: 3, TTYPE1: 'id', TFORM1: '8A', TTYPE2: 'theta_E', TFORM2: 'E', TTYPE3: 'n', TFORM3: 'I', TSCAL3: 2, TZERO3: 10, EXTNAME: 'CAT' } }]));
    const s = set({ path: 'img', labels: { file: 'cat.fits', hdu: 'CAT' } }, dir);
    expect(s.labelNames).to.deep.equal(['theta_E', 'n']);
    expect([s.sample(0).labels, s.sample(1).labels]).to.deep.equal([{ theta_E: 0.75, n: 8 }, { theta_E: 1.25, n: 16 }]);
    expect(() => set({ path: 'img', labels: { file: 'cat.fits', columns: ['id'], by: 'row' } }, dir)).to.throw(/cat\.fits: HDU 1 \(EXTNAME 'CAT'\), row 1, column "id": expected a number, got "c01"/);
  });

  it('option errors name the field', async () => {
    const { validateExperiment } = await import('../experiment/load-config.js');
    const reg = await createRegistry();
    const bad = { data: { use: 'io/images', path: 'x', nan: 'drop', split: { by: 'halves' }, labels: { file: 'l.csv', by: 'name' } }, model: { method: { use: 'simsiam/simsiam' } } };
    let msg = '';
    try { validateExperiment(bad, reg); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.match(/3 configuration errors/);
    expect(msg).to.match(/data\.nan: expected one of "error"\|"zero"\|"median", got "drop"/);
    expect(msg).to.match(/data\.split\.by: .*'fraction' \| 'column' \| 'paths' \| 'none', got "halves"/);
    expect(msg).to.match(/data\.labels\.by: expected one of "id"\|"file"\|"row", got "name"/);
  });

  it('splits by fraction: seeded, disjoint and complete', () => {
    const a = splitByFraction(100, { train: 0.7, eval: 0.2, test: 0.1 }, 5);
    const b = splitByFraction(100, { train: 0.7, eval: 0.2, test: 0.1 }, 5);
    const c = splitByFraction(100, { train: 0.7, eval: 0.2, test: 0.1 }, 6);
    expect([...a.values()].map((v) => v.length)).to.deep.equal([70, 20, 10]);
    expect([...a.values()].flat().sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    expect(a).to.deep.equal(b);
    expect(a.get('eval')).to.not.deep.equal(c.get('eval'));
    expect(() => splitByFraction(10, { train: 0.8, eval: 0.3 }, 1)).to.throw(/fractions sum to 1\.1/);
    const dir = folder(10);
    const s = new ImageFileSet(opts({ path: join(dir, 'img'), split: { by: 'fraction', fractions: { train: 0.6, eval: 0.2, test: 0.2 }, seed: 1 } }));
    expect(s.size).to.equal(6);
    const seen = new Set<number>();
    for (const [split, n] of [['train', 6], ['eval', 2], ['test', 2]] as const) for (let i = 0; i < n; i++) seen.add(s.sample(i, split).image[0]);
    expect(seen.size).to.equal(10);
    expect(s.sample(0, 'downstream-test').image).to.deep.equal(s.sample(0, 'test').image);
    expect(() => s.sample(2, 'eval')).to.throw(/split "eval" holds 2 images; image 2 was asked for/);
    expect(() => s.sample(0, 'holdout')).to.throw(/no split "holdout"; the data hold train \(6\), eval \(2\), test \(2\).*data\.splitAliases/);
  });

  it('splits by a CSV column and by separate paths', () => {
    const dir = folder(4);
    writeFileSync(join(dir, 'l.csv'), 'id,split,y\nc00,train,0\nc01,eval,1\nc02,train,2\nc03,test,3\n');
    const s = set({ path: 'img', labels: { file: 'l.csv' }, split: { by: 'column', column: 'split' } }, dir);
    expect(s.labelNames).to.deep.equal(['y']);
    expect(s.size).to.equal(2);
    expect([s.sample(1).labels.y, s.sample(0, 'eval').labels.y, s.sample(0, 'test').labels.y]).to.deep.equal([2, 1, 3]);
    const other = folder(3);
    const p = set({ path: 'img', split: { by: 'paths', paths: { eval: join(other, 'img') } } }, dir);
    expect([p.size, p.splits.get('eval')!.length]).to.deep.equal([4, 3]);
    expect(p.sample(2, 'eval').image[0]).to.equal(2);
    const none = set({ path: 'img' }, dir);
    expect(() => none.sample(0, 'eval')).to.throw(/no split "eval"; the data hold train \(4\)/);
  });
});

describe('io/images: bounded memory', () => {
  it('keeps decoded files in an LRU bounded by data.cacheMB', () => {
    const dir = tmp();
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${String(i).padStart(2, '0')}.fits`), fitsFile([{ bitpix: -64, shape: [16, 16], values: new Array(256).fill(i) }]));
    const s = set({ path: dir, cacheMB: 4096 / 2 ** 20 }); // 4 kB: four decoded 16x16 float32 images
    for (let i = 0; i < 20; i++) expect(s.sample(i).image[0]).to.equal(i);
    expect(s.cacheBytes).to.equal(4096);
    const all = set({ path: dir });
    for (let i = 0; i < 20; i++) all.sample(i);
    expect(all.cacheBytes).to.equal(20 * 1024);
  });
});

describe('io/images: preprocessing', () => {
  it('crops and pads about the centre', () => {
    const img = Float32Array.from({ length: 16 }, (_, i) => i); // 4x4x1
    expect(Array.from(cropPad(img, 4, 4, 1, 2, 2))).to.deep.equal([5, 6, 9, 10]);
    expect(Array.from(cropPad(Float32Array.from([1, 2, 3, 4]), 2, 2, 1, 4, 3))).to.deep.equal([0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0]);
    const dir = tmp();
    writeFileSync(join(dir, 'a.fits'), fitsFile([{ shape: [4, 4], values: Array.from(img) }]));
    writeFileSync(join(dir, 'b.fits'), fitsFile([{ shape: [2, 2], values: [1, 2, 3, 4] }]));
    expect(() => set({ path: dir }).sample(1)).to.throw(/b\.fits: HDU 0 \(primary\): image of 2x2x1, but the first image .* is 4x4x1; set data\.size/);
    const s = set({ path: dir, size: 2 });
    expect(Array.from(s.sample(0).image)).to.deep.equal([5, 6, 9, 10]);
    expect(Array.from(s.sample(1).image)).to.deep.equal([1, 2, 3, 4]);
  });

  it('normalises: max, asinh, z-score, percentile clip (values by hand)', () => {
    const n = (mode: 'max' | 'asinh' | 'zscore' | 'percentile', v: number[], extra: Partial<{ softening: number; percentiles: [number, number]; perChannel: boolean }> = {}, c = 1) => {
      const a = Float32Array.from(v);
      normalizeImage(a, c, { mode, softening: 1, percentiles: [0, 100], perChannel: false, ...extra });
      return arr(a);
    };
    expect(n('max', [1, 2, 4])).to.deep.equal([0.25, 0.5, 1]);
    expect(n('max', [-1, -2])).to.deep.equal([-1, -2]);
    expect(n('asinh', [0, 2, -2], { softening: 2 })).to.deep.equal(arr(Float32Array.from([0, Math.asinh(1), -Math.asinh(1)])));
    expect(n('zscore', [1, 3])).to.deep.equal([-1, 1]);
    expect(n('percentile', [0, 1, 2, 3, 4, 100], { percentiles: [20, 80] })).to.deep.equal(arr(Float32Array.from([0, 0, 1 / 3, 2 / 3, 1, 1])));
    expect(n('max', [1, 10, 2, 20], { perChannel: true }, 2)).to.deep.equal([0.5, 0.5, 1, 1]);
    const img = Float32Array.from([1, NaN, 3, Infinity]);
    expect(applyNanPolicy(img, 1, 'median', 'x')).to.equal(2);
    expect(Array.from(img)).to.deep.equal([1, 2, 3, 2]);
  });
});

/** Ring cutouts (radius = label) as FITS files in `dir/cutouts` with `dir/labels.csv`. */
function ringCutouts(dir: string, n: number, size = 16): void {
  mkdirSync(join(dir, 'cutouts'), { recursive: true });
  const rows = ['id,theta_E,snr'];
  for (let i = 0; i < n; i++) {
    const radius = 2 + (4 * ((i * 7919) % n)) / n;
    const vals: number[] = [];
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - (size - 1) / 2, y - (size - 1) / 2) - radius;
      vals.push(Math.round(1000 * Math.exp(-d * d)) + ((x * 31 + y * 17 + i) % 13));
    }
    const id = `lens${String(i).padStart(3, '0')}`;
    writeFileSync(join(dir, 'cutouts', `${id}.fits`), fitsFile([{ bitpix: 16, shape: [size, size], values: vals, cards: { BSCALE: 0.01, BZERO: 0 } }]));
    rows.push(`${id},${radius.toFixed(4)},${(10 + i).toFixed(1)}`);
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
}

describe('io/images: in experiments', function () {
  this.timeout(240000);

  it('resolves paths against the config file (buildSimulator), not the working directory', async () => {
    const dir = tmp();
    ringCutouts(dir, 4, 8);
    const reg = await createRegistry();
    const sim = await buildSimulator({ plugins: [], baseDir: dir, spec: { use: 'io/images', path: 'cutouts', labels: { file: 'labels.csv' }, split: { by: 'none' } }, seed: 1 }, reg);
    expect([sim.size, sim.labelNames.join()]).to.deep.equal([4, 'theta_E,snr']);
    await buildSimulator({ plugins: [], baseDir: process.cwd(), spec: { use: 'io/images', path: 'cutouts' }, seed: 1 }, reg).then(
      () => expect.fail('a cwd-relative path should not be found'),
      (e: Error) => expect(e.message + String((e as Error & { cause?: Error }).cause?.message)).to.match(/data\.path: .*cutouts does not exist/),
    );
  });

  it('trains SimSiam on FITS cutouts with CSV labels, evaluating on the eval split and fine-tuning on train/test', async () => {
    const dir = tmp();
    ringCutouts(dir, 60);
    writeFileSync(join(dir, 'exp.yaml'), [
      'name: fits-e2e', 'seed: 2', 'backend: wasm',
      'data:', '  use: io/images', '  path: cutouts', '  labels: { file: labels.csv, by: id, columns: [theta_E, snr] }',
      '  split: { by: fraction, fractions: { train: 0.6, eval: 0.2, test: 0.2 }, seed: 3 }', '  normalize: max',
      'augment: { use: simsiam/default, crop: { scale: [0.6, 1] } }',
      'model:', '  encoder: { use: encoders/small-cnn, width: 4 }',
      '  method: { use: simsiam/simsiam, projector: { hidden: 16, out: 16 }, predictor: { bottleneck: 4 }, evaluation: { size: 12 }, downstream: { target: theta_E, trainSize: 36, testSize: 12, epochs: 1, batchSize: 12 } }',
      'loss: simsiam/neg-cosine',
      'train: { epochs: 1, batchSize: 12, trainSize: 36 }',
      'evaluate: [{ use: simsiam/knn-r2, k: 3, folds: 3, labels: [theta_E] }]',
    ].join('\n'));
    const reg = await createRegistry();
    const loaded = await loadExperiment(join(dir, 'exp.yaml'), reg);
    const r = await runExperiment(loaded, { registry: reg, out: join(dir, 'run'), logger: new MemoryLogger(), progress: new SilentProgress() });
    for (const k of ['pretrain_loss', 'knn_r2_theta_E', 'downstream_r2_theta_E']) expect(r.metrics[k], k).to.be.a('number').and.satisfy(Number.isFinite);
    // the evaluation asked for more eval images than the split holds: a clear error
    const tooMany = await loadExperiment(join(dir, 'exp.yaml'), reg, ['model.method.evaluation.size=13']);
    await runExperiment(tooMany, { registry: reg, out: join(dir, 'run2'), logger: new MemoryLogger(), progress: new SilentProgress() }).then(
      () => expect.fail('expected an error'),
      (e: Error) => expect(e.message).to.match(/split "eval" holds 12 images; image 12 was asked for/),
    );
  });

  it('data inspect reports count, shape, dtypes, range, NaN pixels and labels, and writes a preview', async () => {
    const dir = tmp();
    ringCutouts(dir, 5, 8);
    writeFileSync(join(dir, 'cutouts', 'lens004.fits'), fitsFile([{ bitpix: 16, shape: [8, 8], values: new Array(64).fill(7).map((v, i) => (i < 3 ? -32768 : v)), cards: { BLANK: -32768 } }]));
    writeFileSync(join(dir, 'exp.yaml'), 'data: { use: io/images, path: cutouts, labels: { file: labels.csv }, nan: zero, split: { by: fraction, fractions: { train: 0.6, eval: 0.4 } } }\nmodel: { method: { use: simsiam/simsiam } }\n');
    const reg = await createRegistry();
    const png = join(dir, 'preview.png');
    const r = await inspectData(join(dir, 'exp.yaml'), reg, { png });
    expect(r.count).to.equal(5);
    expect(r.splits).to.deep.equal({ train: 3, eval: 2 });
    expect(r.shape).to.deep.equal([8, 8, 1]);
    expect(r.dtypes.some((d) => /int16 \(BITPIX 16, BSCALE\/BZERO\)/.test(d))).to.equal(true);
    expect(r.raw!.nanPixels).to.equal(3);
    expect(r.raw!.imagesWithNaN).to.equal(1);
    expect(r.labels).to.deep.equal(['theta_E', 'snr']);
    expect(existsSync(png)).to.equal(true);
    const p = await inspectData(join(dir, 'cutouts'), reg, { png: join(dir, 'p2.png') });
    expect(p.count).to.equal(5);
    expect(p.raw!.min).to.equal(0);
  });
});

export type { Simulator };

describe('io/dataset: paths relative to the config, other splits from other folders', function () {
  this.timeout(120000);
  it('serves eval from data.splits.eval and explains how when a split is missing', async () => {
    const { simulateDataset } = await import('./simulate.js');
    const { validateExperiment } = await import('../experiment/load-config.js');
    const dir = tmp();
    const reg = await createRegistry();
    for (const split of ['train', 'eval']) {
      const loaded = validateExperiment({ seed: 4, data: { use: 'lensing/strong-lens', numPix: 16, size: 10 }, model: { method: { use: 'simsiam/simsiam' } }, simulate: { count: 3, shardSize: 3, split, plotSamples: 0, workers: 1 } }, reg);
      await simulateDataset(loaded, { out: join(dir, `ds-${split}`), registry: reg, logger: new MemoryLogger(), progress: new SilentProgress(), workers: 1 });
    }
    mkdirSync(join(dir, 'cfg'));
    const sim: Simulator = await buildSimulator({ plugins: [], baseDir: join(dir, 'cfg'), spec: { use: 'io/dataset', path: '../ds-train', splits: { eval: '../ds-eval' } }, seed: 1 }, reg);
    const direct: Simulator = await buildSimulator({ plugins: [], baseDir: dir, spec: { use: 'io/dataset', path: 'ds-eval' }, seed: 1 }, reg);
    expect(Array.from(sim.sample(1, 'eval').image)).to.deep.equal(Array.from(direct.sample(1, 'eval').image));
    expect(Array.from(sim.sample(1, 'eval').image)).to.not.deep.equal(Array.from(sim.sample(1, 'train').image));
    expect(() => sim.sample(0, 'test')).to.throw(/holds split "train" only, not "test"; set data\.splits\.test: DIR/);
  });
});
