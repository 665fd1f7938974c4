/**
 * A bank of user-supplied source galaxy stamps, e.g. the COSMOS 23.5 / 25.2 real galaxies used by
 * LenSiam (Chang et al. 2023, section 2.1; Mandelbaum et al. 2012), loaded from .npy arrays
 * (`[n, H, W]` or one `[H, W]` image) or FITS cubes (NAXIS3 = n). Stamps are surface brightness
 * (lenstronomy INTERPOL convention), row 0 at the most negative y; the population rescales each
 * one to the drawn total flux, so their absolute units do not matter.
 */
import { ConfigError, type ConfigIssue } from '../../../core/index.js';
import { readArrayFile } from './array-file.js';

/** One stamp of the bank. */
export interface BankStamp {
  /** Row-major surface brightness, rows * cols values. */
  image: Float64Array;
  rows: number;
  cols: number;
  /** Sum of the pixel values (> 0). */
  sum: number;
  /** `file[index]`, for messages. */
  origin: string;
}

/** Checks one array of stamps; returns the stamps or throws `PATH: ...`. */
function stampsOf(data: Float64Array, shape: readonly number[], path: string, origin: string): BankStamp[] {
  let n: number, rows: number, cols: number;
  if (shape.length === 3) [n, rows, cols] = shape;
  else if (shape.length === 2) { n = 1; [rows, cols] = shape; }
  else throw new Error(`${path}: expected an array of shape [n, H, W] or [H, W], got shape [${shape.join(', ')}]`);
  if (n < 1 || rows < 2 || cols < 2) throw new Error(`${path}: expected at least one stamp of at least 2 x 2 pixels, got shape [${shape.join(', ')}]`);
  const per = rows * cols;
  const out: BankStamp[] = [];
  for (let s = 0; s < n; s++) {
    const image = data.slice(s * per, (s + 1) * per);
    let sum = 0;
    for (let k = 0; k < per; k++) {
      const v = image[k];
      if (!Number.isFinite(v)) throw new Error(`${path}: stamp ${s} has a non-finite value (${v}) at pixel ${k}; expected finite surface brightness`);
      sum += v;
    }
    if (!(sum > 0)) throw new Error(`${path}: stamp ${s} has a non-positive total flux (sum = ${Number(sum.toPrecision(6))}); expected galaxy stamps with positive flux`);
    out.push({ image, rows, cols, sum, origin: `${origin}[${s}]` });
  }
  return out;
}

/** Galaxy stamps from files, drawn uniformly by index. */
export class SourceBank {
  constructor(readonly stamps: readonly BankStamp[]) {
    if (stamps.length === 0) throw new Error('SourceBank: expected at least one stamp');
  }

  /** Number of stamps. */
  get size(): number { return this.stamps.length; }

  /**
   * Loads every file, collecting one problem per bad file into one ConfigError.
   * @param files .npy / FITS paths, relative to `baseDir`
   * @param path config path of the list (default `sources.bank.paths`)
   * @param baseDir directory relative paths start from (default: the working directory)
   */
  static load(files: readonly string[], path = 'sources.bank.paths', baseDir = process.cwd()): SourceBank {
    const issues: ConfigIssue[] = [];
    const stamps: BankStamp[] = [];
    if (files.length === 0) issues.push({ path, message: 'expected at least one .npy or FITS file of stamps' });
    files.forEach((f, i) => {
      const p = `${path}[${i}]`;
      try {
        const a = readArrayFile(f, p, baseDir);
        stamps.push(...stampsOf(a.data, a.shape, p, a.file));
      } catch (e) {
        const msg = (e as Error).message;
        issues.push({ path: p, message: msg.startsWith(`${p}: `) ? msg.slice(p.length + 2) : msg });
      }
    });
    if (issues.length) throw new ConfigError(issues);
    return new SourceBank(stamps);
  }

  /**
   * A bank from an in-memory array (for tests and programmatic use).
   * @param data row-major values of shape `[n, H, W]` or `[H, W]`
   */
  static fromArray(data: ArrayLike<number>, shape: readonly number[], path = 'stamps'): SourceBank {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`${path}: shape [${shape.join(', ')}] holds ${n} values but the array has ${data.length}`);
    return new SourceBank(stampsOf(Float64Array.from(data), shape, path, path));
  }
}
