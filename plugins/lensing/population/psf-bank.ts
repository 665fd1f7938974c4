/**
 * The PSFs a population draws from, uniformly per image (LenSiam draws from 23 TinyTim HST PSFs,
 * Chang et al. 2023 section 2.1): Gaussian PSFs by FWHM and PIXEL kernels read from .npy / FITS
 * files (one `[k, k]` kernel or a stack `[n, k, k]` per file, k odd).
 */
import { ConfigError, type ConfigIssue } from '../../../core/index.js';
import { PixelPsf } from '../imaging/pixel-psf.js';
import type { RendererPsf } from '../imaging/renderer.js';
import { readArrayFile } from './array-file.js';

/** One PSF the population may draw, as the renderer takes it, with a label for messages. */
export interface PsfChoice {
  psf: RendererPsf;
  /** e.g. `GAUSSIAN fwhm=0.1` or `PIXEL kernels.npy[3]`. */
  label: string;
}

/** Settings of {@link buildPsfChoices} (the parsed `psfs` options). */
export interface PsfBankOptions {
  fwhm: readonly number[];
  truncation: number;
  kernels: ReadonlyArray<{ path: string; supersampling: number; normalize: boolean }>;
}

/**
 * Builds the PSF list: Gaussians first (in the order given), then every kernel of every file.
 * No PSF at all means images are not convolved (a single `NONE` choice).
 * @param o the psfs options
 * @param deltaPix image pixel size [arcsec] (sets the kernels' pixel scale)
 * @param path config path for messages (default `psfs`)
 * @param baseDir directory relative kernel paths start from (default: the working directory)
 * @throws ConfigError listing every bad kernel file or kernel
 */
export function buildPsfChoices(o: PsfBankOptions, deltaPix: number, path = 'psfs', baseDir = process.cwd()): PsfChoice[] {
  const out: PsfChoice[] = o.fwhm.map((fwhm) => ({ psf: { type: 'GAUSSIAN', fwhm, truncation: o.truncation }, label: `GAUSSIAN fwhm=${fwhm}` }));
  const issues: ConfigIssue[] = [];
  o.kernels.forEach((k, i) => {
    const p = `${path}.kernels[${i}].path`;
    try {
      const a = readArrayFile(k.path, p, baseDir);
      let n: number, size: number;
      if (a.shape.length === 2 && a.shape[0] === a.shape[1]) { n = 1; size = a.shape[0]; }
      else if (a.shape.length === 3 && a.shape[1] === a.shape[2]) { n = a.shape[0]; size = a.shape[1]; }
      else throw new Error(`${p}: expected a square kernel [k, k] or a stack [n, k, k], got shape [${a.shape.join(', ')}]`);
      for (let j = 0; j < n; j++) {
        const kernel = a.data.subarray(j * size * size, (j + 1) * size * size);
        try {
          const psf = new PixelPsf(kernel, { supersampling: k.supersampling, normalize: k.normalize, pixelScale: deltaPix / k.supersampling });
          out.push({ psf, label: `PIXEL ${a.file}[${j}]` });
        } catch (e) {
          throw new Error(`${p}: kernel ${j} of ${a.file}: ${(e as Error).message.replace(/\n\s*/g, ' ')}`);
        }
      }
    } catch (e) {
      const msg = (e as Error).message;
      issues.push({ path: p, message: msg.startsWith(`${p}: `) ? msg.slice(p.length + 2) : msg });
    }
  });
  if (issues.length) throw new ConfigError(issues);
  if (out.length === 0) out.push({ psf: { type: 'NONE' }, label: 'NONE' });
  return out;
}
