import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { Sample } from '../contracts/sample.js';
import { openByteSource } from '../io/byte-source.js';
import { hduLabel, selectHdu, walkHdus, type FitsHdu } from '../io/fits-header.js';
import { imageInfo, readImagePlanes } from '../io/fits-read.js';
import { readNpyHeader, readNpyRows, type NpyStackInfo } from '../io/npy-stack.js';
import { openHdf5Stack, type Hdf5Stack } from '../io/hdf5-read.js';
import { applyNanPolicy, cropPad, normalizeImage } from './image-preprocess.js';
import { splitByFraction } from './image-splits.js';
import { columnIndex, numericCell, readLabelTable } from './label-table.js';
import { LruCache } from './lru-cache.js';
import type { ImageFilesConfig } from './image-files-options.js';

type Format = 'fits' | 'npy' | 'hdf5';

/** One image: where its pixels are. */
export interface ImageEntry {
  /** Object id: file name without extension, the `*` part of a band pattern, or `name:k` / `k` for planes and rows of stacks. */
  id: string;
  /** The file (the first band's for per-band files). */
  file: string;
  format: Format;
  /** FITS: one part per channel (per-band files or `bands` HDUs), or one cube part whose planes are the channels. */
  parts?: Array<{ file: string; hdu: number | string | undefined; plane: number }>;
  /** .npy / HDF5 row, FITS plane of a cube (images mode). */
  row: number;
  split: string;
  /** FITS: `row` is a plane of a cube of images. */
  cube?: boolean;
}

/** A decoded image before preprocessing, with where it came from. */
export interface RawImage { image: Float32Array; h: number; w: number; c: number; where: string; dtype: string }

const FITS_RE = /\.(fits|fit|fts)(\.gz)?$/i;
const NPY_RE = /\.npy$/i;
const H5_RE = /\.(h5|hdf5|he5)$/i;

function formatOf(file: string, forced: ImageFilesConfig['format']): Format | undefined {
  if (forced !== 'auto') return forced;
  return FITS_RE.test(file) ? 'fits' : NPY_RE.test(file) ? 'npy' : H5_RE.test(file) ? 'hdf5' : undefined;
}

function stem(file: string): string {
  return basename(file).replace(FITS_RE, '').replace(NPY_RE, '').replace(H5_RE, '');
}

/** A file-name pattern: `*` / `?` wildcards and at most one `{a,b,c}` band group. */
export function compilePattern(pattern: string): { re: RegExp; bands?: string[]; bandGroup?: number } {
  let re = '', bands: string[] | undefined, groups = 0, bandGroup: number | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') { re += '(.*?)'; groups++; }
    else if (c === '?') { re += '(.)'; groups++; }
    else if (c === '{') {
      const j = pattern.indexOf('}', i);
      if (j < 0 || bands) throw new LensforgeError(`data.pattern: "${pattern}": expected at most one closed {band,...} group`);
      bands = pattern.slice(i + 1, j).split(',').map((s) => s.trim());
      if (bands.some((b) => !b)) throw new LensforgeError(`data.pattern: "${pattern}": empty band name in {${pattern.slice(i + 1, j)}}`);
      bandGroup = ++groups;
      re += '(?<band>' + bands.map((b) => b.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')).join('|') + ')';
      i = j;
    } else re += /[.+^$()|[\]\\]/.test(c) ? '\\' + c : c;
  }
  return { re: new RegExp('^' + re + '$'), bands, bandGroup };
}

/**
 * Images read from FITS, .npy or HDF5 files, divided into named splits, with labels from a CSV;
 * decoded lazily through a byte-bounded LRU of files / row blocks. The `io/images` component
 * (image-files-simulator.ts) wraps it; `lensforge data inspect` uses it directly.
 */
export class ImageFileSet {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames: readonly string[];
  /** Images per split. */
  readonly splits: ReadonlyMap<string, readonly number[]>;
  readonly entries: readonly ImageEntry[];
  readonly root: string;
  private readonly labels: Array<Record<string, number>>;
  private readonly cache: LruCache<unknown>;
  private readonly o: ImageFilesConfig;
  private readonly srcShape: [number, number, number];
  private readonly maxBytes: number;
  private npyInfo = new Map<string, NpyStackInfo>();
  private h5 = new Map<string, Hdf5Stack>();
  private hduCache = new Map<string, FitsHdu[]>();

  constructor(opts: ImageFilesConfig, readonly baseDir: string = process.cwd()) {
    this.o = opts;
    this.maxBytes = opts.maxFileMB * 2 ** 20;
    this.cache = new LruCache(opts.cacheMB * 2 ** 20);
    this.root = resolve(baseDir, opts.path);
    const entries = this.enumerate(this.root, 'train', 'data.path');
    if (opts.split.by === 'paths') {
      for (const [name, p] of Object.entries(opts.split.paths)) entries.push(...this.enumerate(resolve(baseDir, p), name, `data.split.paths.${name}`));
    }
    this.entries = entries;
    const first = this.readRaw(entries[0]);
    this.srcShape = [first.h, first.w, first.c];
    const size = opts.size === undefined ? undefined : typeof opts.size === 'number' ? [opts.size, opts.size] : opts.size;
    this.imageShape = [size?.[0] ?? first.h, size?.[1] ?? first.w, first.c];
    const { names, rows, splitCol } = this.joinLabels();
    this.labelNames = names;
    this.labels = rows;
    this.splits = this.divide(splitCol);
  }

  /** Images in split "train" (what methods train on). */
  get size(): number { return this.splits.get('train')?.length ?? 0; }

  /** The split serving a method's request for `split` (directly or through data.splitAliases). */
  resolveSplit(split: string): string {
    if (this.splits.has(split)) return split;
    const alias = this.o.splitAliases[split];
    if (alias !== undefined && this.splits.has(alias)) return alias;
    const have = [...this.splits].map(([k, v]) => `${k} (${v.length})`).join(', ');
    throw new LensforgeError(`data (io/images ${this.root}): no split "${split}"${alias ? ` (alias of "${alias}")` : ''}; the data hold ${have}. ` +
      `Divide the images with data.split ({ by: fraction, fractions: { train: 0.8, eval: 0.1, test: 0.1 } }, { by: column }, or { by: paths, paths: { ${alias ?? split}: DIR } }), or map the name with data.splitAliases: { ${split}: train }`);
  }

  /** Entry index of image `index` of `split`. */
  entryIndex(index: number, split = 'train'): number {
    const name = this.resolveSplit(split);
    const idx = this.splits.get(name)!;
    if (!Number.isInteger(index) || index < 0 || index >= idx.length) {
      throw new LensforgeError(`data (io/images ${this.root}): split "${name}"${name !== split ? ` (serving "${split}")` : ''} holds ${idx.length} images; image ${index} was asked for. Ask the method for at most ${idx.length} (e.g. model.method.evaluation.size, downstream.trainSize / testSize, train.trainSize) or give the split more images`);
    }
    return idx[index];
  }

  sample(index: number, split = 'train'): Sample {
    const k = this.entryIndex(index, split);
    return { image: this.processed(k), labels: { ...this.labels[k] } };
  }

  /** The preprocessed image of entry `k`. */
  processed(k: number): Float32Array {
    const raw = this.readRaw(this.entries[k]);
    const [h, w, c] = this.imageShape;
    if (raw.c !== c || (this.o.size === undefined && (raw.h !== h || raw.w !== w))) {
      throw new LensforgeError(`${raw.where}: image of ${raw.h}x${raw.w}x${raw.c}, but the first image (${this.entries[0].file}) is ${this.srcShape.join('x')}; ` +
        (raw.c !== c ? 'every image needs the same number of channels' : 'set data.size: [H, W] to crop / pad every image to one size'));
    }
    const img = Float32Array.from(raw.image);
    applyNanPolicy(img, c, this.o.nan, raw.where);
    const out = cropPad(img, raw.h, raw.w, c, h, w);
    normalizeImage(out, c, { mode: this.o.normalize, softening: this.o.asinhSoftening, percentiles: this.o.percentiles, perChannel: this.o.normalizePerChannel });
    return out;
  }

  /** Bytes held by the cache of decoded files / row blocks (at most data.cacheMB, plus the newest entry). */
  get cacheBytes(): number { return this.cache.bytes; }

  get nanPolicy(): ImageFilesConfig['nan'] { return this.o.nan; }

  labelsOf(k: number): Record<string, number> { return this.labels[k]; }

  // ---- enumeration ----------------------------------------------------------------------

  private enumerate(path: string, split: string, option: string): ImageEntry[] {
    if (!existsSync(path)) throw new LensforgeError(`${option}: ${path} does not exist (relative paths start at the config file's folder)`);
    const isDir = statSync(path).isDirectory();
    let files: string[];
    let pat: ReturnType<typeof compilePattern> | undefined;
    if (isDir) {
      const names = readdirSync(path, { withFileTypes: true }).filter((d) => d.isFile() || (d.isSymbolicLink() && statSync(join(path, d.name)).isFile())).map((d) => d.name).sort();
      if (this.o.pattern) {
        pat = compilePattern(this.o.pattern);
        files = names.filter((f) => pat!.re.test(f));
      } else {
        const kinds = [FITS_RE, NPY_RE, H5_RE];
        const forced = this.o.format === 'auto' ? undefined : { fits: FITS_RE, npy: NPY_RE, hdf5: H5_RE }[this.o.format];
        files = forced ? names.filter((f) => forced.test(f)) : (kinds.map((re) => names.filter((f) => re.test(f))).find((l) => l.length) ?? []);
      }
      if (!files.length) throw new LensforgeError(`${option}: no ${this.o.pattern ? `files matching "${this.o.pattern}"` : 'FITS (.fits, .fit, .fts, .gz), .npy or HDF5 files'} in ${path}`);
      files = files.map((f) => join(path, f));
    } else files = [path];
    const fmt = formatOf(files[0], this.o.format);
    if (!fmt) throw new LensforgeError(`${option}: ${files[0]}: unknown file type; expected .fits/.fit/.fts(.gz), .npy or .h5/.hdf5, or set data.format`);
    for (const f of files) {
      if (formatOf(f, this.o.format) !== fmt) throw new LensforgeError(`${option}: ${f} is not ${fmt} like ${files[0]}; keep one format per folder or narrow data.pattern`);
    }
    if (pat?.bands) return this.perBand(files, pat as { re: RegExp; bands: string[]; bandGroup: number }, split, option);
    const out: ImageEntry[] = [];
    const many = files.length > 1;
    if (fmt === 'npy' || fmt === 'hdf5') {
      for (const f of files) {
        const n = fmt === 'npy' ? this.npyHeader(f).shape[0] : this.h5Stack(f).shape[0];
        for (let r = 0; r < n; r++) out.push({ id: many ? `${stem(f)}:${r}` : String(r), file: f, format: fmt, row: r, split });
      }
      return out;
    }
    if (this.o.bands) {
      for (const f of files) out.push({ id: stem(f), file: f, format: 'fits', row: 0, split, parts: this.o.bands.map((h) => ({ file: f, hdu: h, plane: 0 })) });
      return out;
    }
    // FITS, one HDU per file: a 2-D image, or a cube of images / of channels. The first file decides;
    // with 2-D images the others are assumed 2-D (checked when read) so a folder of 100,000 cutouts
    // is not opened at start; cubes of images are counted file by file.
    const firstPlanes = this.fitsPlanes(files[0]);
    const cubeImages = this.o.cube === 'images' && firstPlanes > 0;
    for (const f of files) {
      const n = cubeImages ? Math.max(1, this.fitsPlanes(f)) : 1;
      for (let r = 0; r < n; r++) {
        out.push({ id: cubeImages ? (many ? `${stem(f)}:${r}` : String(r)) : stem(f), file: f, format: 'fits', row: r, split, cube: cubeImages, parts: [{ file: f, hdu: this.o.hdu, plane: cubeImages ? r : this.o.cube === 'channels' ? -1 : 0 }] });
      }
    }
    return out;
  }

  private perBand(files: string[], pat: { re: RegExp; bands: string[]; bandGroup: number }, split: string, option: string): ImageEntry[] {
    const groups = new Map<string, Map<string, string>>();
    for (const f of files) {
      const m = pat.re.exec(basename(f))!;
      const band = m.groups!.band;
      // the object id: the wildcard parts of the name (the band group left out), joined by '_'
      const id = m.slice(1).filter((_x, i) => i + 1 !== pat.bandGroup).join('_') || basename(f).replace(band, '');
      const g = groups.get(id) ?? new Map<string, string>();
      g.set(band, f);
      groups.set(id, g);
    }
    const out: ImageEntry[] = [];
    for (const [id, g] of groups) {
      const missing = pat.bands.filter((b) => !g.has(b));
      if (missing.length) throw new LensforgeError(`${option}: object "${id}" has no file for band(s) ${missing.join(', ')} (pattern "${this.o.pattern}"; found ${[...g.values()].map((f) => basename(f)).join(', ')})`);
      const parts = pat.bands.map((b) => ({ file: g.get(b)!, hdu: this.o.hdu, plane: 0 }));
      out.push({ id, file: parts[0].file, format: 'fits', row: 0, split, parts });
    }
    return out;
  }

  /** NAXIS3 of a file's image HDU (0 for a 2-D image). */
  private fitsPlanes(file: string): number {
    const src = openByteSource(file, this.maxBytes);
    try {
      const hdus = this.hdus(file, src);
      const dims = imageInfo(src, selectHdu(src, hdus, this.o.hdu)).dims;
      return dims.length === 3 ? dims[0] : 0;
    } finally { src.close(); }
  }

  private hdus(file: string, src: ReturnType<typeof openByteSource>): FitsHdu[] {
    let h = this.hduCache.get(file);
    if (!h) {
      h = walkHdus(src);
      if (this.hduCache.size > 4096) this.hduCache.clear();
      this.hduCache.set(file, h);
    }
    return h;
  }

  private npyHeader(file: string): NpyStackInfo {
    let i = this.npyInfo.get(file);
    if (!i) {
      const src = openByteSource(file, this.maxBytes);
      try { i = readNpyHeader(src); } finally { src.close(); }
      if (i.shape.length < 2 || i.shape.length > 4) throw new LensforgeError(`${file}: shape (${i.shape.join(', ')}): expected [N, H, W] or [N, H, W, C] (a single [H, W] image is read as N = 1)`);
      if (i.shape.length === 2) i = { ...i, shape: [1, ...i.shape] };
      this.npyInfo.set(file, i);
    }
    return i;
  }

  private h5Stack(file: string): Hdf5Stack {
    let s = this.h5.get(file);
    if (!s) {
      s = openHdf5Stack(file, this.o.dataset);
      if (s.shape.length < 3 || s.shape.length > 4) throw new LensforgeError(`${file}: dataset "${this.o.dataset}" has shape (${s.shape.join(', ')}): expected [N, H, W] or [N, H, W, C]`);
      this.h5.set(file, s);
    }
    return s;
  }

  /** Close open HDF5 files. */
  close(): void { for (const s of this.h5.values()) s.close(); this.h5.clear(); }

  // ---- decoding -------------------------------------------------------------------------

  /** Decode entry `e` to H x W x C float32 (no preprocessing; NaN kept). */
  readRaw(e: ImageEntry): RawImage {
    if (e.format === 'npy' || e.format === 'hdf5') return this.readRow(e);
    const parts = e.parts!;
    const planes = parts.map((p) => this.fitsPlane(p.file, p.hdu, p.plane, e));
    const h = planes[0].h, w = planes[0].w;
    for (const p of planes) {
      if (p.h !== h || p.w !== w) throw new LensforgeError(`${p.where}: ${p.h}x${p.w} pixels, but ${planes[0].where} has ${h}x${w}; the bands of one object must have one size`);
    }
    const c = planes.reduce((a, p) => a + p.c, 0);
    const image = new Float32Array(h * w * c);
    let ch = 0;
    for (const p of planes) {
      for (let k = 0; k < p.c; k++, ch++) for (let i = 0; i < h * w; i++) image[i * c + ch] = p.data[k * h * w + i];
    }
    return { image, h, w, c, where: planes.length === 1 ? planes[0].where : `${planes[0].where} (+${planes.length - 1} band file(s)/HDU(s))`, dtype: planes[0].dtype };
  }

  /** One plane (or, plane = -1, all planes as channels, [C, H*W]) of a FITS HDU. */
  private fitsPlane(file: string, which: number | string | undefined, plane: number, e: ImageEntry): { data: Float32Array; h: number; w: number; c: number; where: string; dtype: string } {
    const key = `fits:${file}#${String(which)}`;
    type Decoded = { data: Float32Array; dims: number[]; where: string; dtype: string; planeWise: boolean };
    const whole = this.cache.get(key, () => {
      const src = openByteSource(file, this.maxBytes);
      try {
        const hdu = selectHdu(src, this.hdus(file, src), which);
        const info = imageInfo(src, hdu);
        const planeBytes = info.dims[info.dims.length - 1] * info.dims[info.dims.length - 2] * Math.abs(info.bitpix) / 8;
        const total = planeBytes * (info.dims.length === 3 ? info.dims[0] : 1);
        // a large cube (on disk, not gzipped) is read plane by plane instead of whole
        if (total > 64 * 2 ** 20 && src.size >= hdu.dataStart + hdu.dataBytes && !/\.gz$/i.test(file) && plane >= 0) {
          return { value: { data: new Float32Array(0), dims: info.dims, where: hduLabel(src, hdu), dtype: info.dtype, planeWise: true } as Decoded, bytes: 64 };
        }
        const { data } = readImagePlanes(src, hdu, 0, undefined, this.maxBytes);
        return { value: { data, dims: info.dims, where: hduLabel(src, hdu), dtype: info.dtype, planeWise: false } as Decoded, bytes: data.byteLength };
      } finally { src.close(); }
    }) as Decoded;
    const d = whole.dims;
    const h = d[d.length - 2], w = d[d.length - 1], n = d.length === 3 ? d[0] : 1;
    if (plane === -1) return { data: whole.data, h, w, c: n, where: whole.where, dtype: whole.dtype };
    if (d.length === 3 && e.parts!.length > 1) throw new LensforgeError(`${whole.where}: a cube (NAXIS3 = ${n}) where a 2-D band image was expected`);
    if (d.length === 2 && plane > 0) throw new LensforgeError(`${whole.where}: a 2-D image where plane ${plane} of a cube was expected`);
    if (d.length === 3 && e.parts!.length === 1 && !e.cube) {
      throw new LensforgeError(`${whole.where}: a cube (NAXIS3 = ${n}), but the first file of the folder is a 2-D image, so each file was taken as one image; keep one layout per folder`);
    }
    const per = h * w;
    if (whole.planeWise) {
      const src = openByteSource(file, this.maxBytes);
      try {
        const hdu = selectHdu(src, this.hdus(file, src), which);
        const data = this.cache.get(`${key}@${plane}`, () => { const r = readImagePlanes(src, hdu, plane, 1, this.maxBytes).data; return { value: r, bytes: r.byteLength }; }) as Float32Array;
        return { data, h, w, c: 1, where: `${whole.where}, plane ${plane}`, dtype: whole.dtype };
      } finally { src.close(); }
    }
    return { data: whole.data.subarray(plane * per, (plane + 1) * per), h, w, c: 1, where: d.length === 3 ? `${whole.where}, plane ${plane}` : whole.where, dtype: whole.dtype };
  }

  private readRow(e: ImageEntry): RawImage {
    let shape: number[], dtype: string;
    let rows: (start: number, count: number) => Float32Array;
    if (e.format === 'npy') {
      const info = this.npyHeader(e.file);
      shape = info.shape; dtype = info.descr;
      rows = (s, c) => { const src = openByteSource(e.file, this.maxBytes); try { return readNpyRows(src, info, s, c); } finally { src.close(); } };
    } else {
      const st = this.h5Stack(e.file);
      shape = st.shape; dtype = st.dtype;
      rows = (s, c) => st.rows(s, c);
    }
    const rowLen = shape.slice(1).reduce((a, b) => a * b, 1);
    const per = Math.max(1, Math.floor((4 * 2 ** 20) / (rowLen * 4)));
    const b = Math.floor(e.row / per);
    const block = this.cache.get(`${e.format}:${e.file}@${b}`, () => {
      const start = b * per, count = Math.min(per, shape[0] - start);
      const v = rows(start, count);
      return { value: v, bytes: v.byteLength };
    }) as Float32Array;
    const k = e.row - b * per;
    const raw = block.subarray(k * rowLen, (k + 1) * rowLen);
    let h: number, w: number, c: number;
    if (shape.length === 3) { [h, w] = [shape[1], shape[2]]; c = 1; }
    else if (this.o.channelsFirst) { [c, h, w] = [shape[1], shape[2], shape[3]]; }
    else { [h, w, c] = [shape[1], shape[2], shape[3]]; }
    let image = raw;
    if (shape.length === 4 && this.o.channelsFirst) {
      image = new Float32Array(rowLen);
      for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) image[i * c + ch] = raw[ch * h * w + i];
    }
    const where = e.format === 'npy' ? `${e.file}: row ${e.row}` : `${e.file}: ${this.o.dataset} row ${e.row}`;
    return { image, h, w, c, where, dtype };
  }

  // ---- labels and splits ----------------------------------------------------------------

  private joinLabels(): { names: string[]; rows: Array<Record<string, number>>; splitCol?: string[] } {
    const lo = this.o.labels;
    const n = this.entries.length;
    if (!lo) return { names: [], rows: Array.from({ length: n }, () => ({})) };
    const t = readLabelTable(resolve(this.baseDir, lo.file), lo.hdu);
    const keyName = lo.by === 'row' ? undefined : lo.key ?? lo.by;
    const keyCol = keyName === undefined ? -1 : columnIndex(t, keyName, 'data.labels.key');
    const splitName = this.o.split.by === 'column' ? this.o.split.column : undefined;
    const splitIdx = splitName === undefined ? -1 : columnIndex(t, splitName, 'data.split.column');
    const names = lo.columns ?? t.columns.filter((_, i) => i !== keyCol && i !== splitIdx);
    const cols = names.map((c) => columnIndex(t, c, 'data.labels.columns'));
    let pick: (e: ImageEntry, k: number) => { line: number; values: string[] };
    if (lo.by === 'row') {
      if (this.o.split.by === 'paths') throw new LensforgeError('data.labels.by: "row" cannot join the images of several paths (data.split.by: paths); join by id or file');
      if (t.rows.length < n) throw new LensforgeError(`${t.file}: ${t.rows.length} data rows for ${n} images (data.labels.by: row needs one row per image, in file order); image ${t.rows.length} (${this.entries[t.rows.length].file}) has no row`);
      pick = (_e, k) => t.rows[k];
    } else {
      const index = new Map<string, { line: number; values: string[] }>();
      for (const r of t.rows) {
        const key = r.values[keyCol];
        if (index.has(key)) throw new LensforgeError(`${t.file}, ${t.rowWord ?? 'line'} ${r.line}, column "${keyName}": "${key}" appears twice (also on ${t.rowWord ?? 'line'} ${index.get(key)!.line})`);
        index.set(key, r);
      }
      pick = (e) => {
        const cands = lo.by === 'file' ? [basename(e.file), stem(e.file)] : [e.id];
        for (const c of cands) { const r = index.get(c); if (r) return r; }
        throw new LensforgeError(`${t.file}: no row with ${keyName} = "${cands[0]}" (column "${keyName}") for image ${e.file}${e.format !== 'fits' || e.id !== stem(e.file) ? ` (id "${e.id}")` : ''}; every image needs a row in the labels CSV`);
      };
    }
    const rows: Array<Record<string, number>> = [];
    const splitCol: string[] = [];
    this.entries.forEach((e, k) => {
      const r = pick(e, k);
      const rec: Record<string, number> = {};
      names.forEach((nm, j) => { rec[nm] = numericCell(t, r, cols[j]); });
      rows.push(rec);
      if (splitIdx >= 0) splitCol.push(r.values[splitIdx]);
    });
    return { names, rows, splitCol: splitIdx >= 0 ? splitCol : undefined };
  }

  private divide(splitCol?: string[]): Map<string, number[]> {
    const s = this.o.split;
    const n = this.entries.length;
    let m: Map<string, number[]>;
    if (s.by === 'fraction') m = splitByFraction(n, s.fractions, s.seed);
    else if (s.by === 'none') m = new Map([['train', this.entries.map((_, i) => i)]]);
    else if (s.by === 'paths') {
      m = new Map();
      this.entries.forEach((e, i) => { const l = m.get(e.split) ?? []; l.push(i); m.set(e.split, l); });
    } else {
      if (!splitCol) throw new LensforgeError('data.split: { by: column } needs data.labels (the CSV holding the split column)');
      m = new Map();
      splitCol.forEach((v, i) => { const name = v.trim(); if (!name) return; const l = m.get(name) ?? []; l.push(i); m.set(name, l); });
    }
    if (this.o.limit !== undefined) for (const [k, v] of m) m.set(k, v.slice(0, this.o.limit));
    return m;
  }
}
