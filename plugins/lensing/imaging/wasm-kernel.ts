/**
 * The renderer's WebAssembly SIMD kernels (`wasm/render-kernel.c`, built by
 * `npm run build:render-wasm`): power-law (EPL/SIE) deflection, shear + beta, Sersic, core-Sersic and INTERPOL light,
 * CORE_SERSIC, down-sampling, the separable 'nearest' Gaussian PSF, the bulk of the ziggurat noise and the
 * final normalisation. Each `Renderer` gets its own instance and memory, sized once for its
 * geometry (the memory never grows afterwards, so the Float64Array views stay valid), so
 * renderers do not share state.
 *
 * The TypeScript kernels stay the fallback: without WebAssembly SIMD, when the memory cannot be
 * had, or with `LENSFORGE_RENDER_WASM=0` in the environment (or `kernel: 'js'` on the renderer),
 * everything runs in TypeScript. Both agree to ~1e-9 relative (tested); the noise draws are
 * identical (same sfc32 words, same order, the ziggurat's rare wedge/tail draws are made by the
 * TypeScript sampler).
 */
import type { EplGeometry } from '../profiles/epl.js';
import { RENDER_KERNEL_WASM_BASE64 } from './wasm/render-kernel-bytes.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  power_law_deflect(n: number, xs: number, ys: number, ax: number, ay: number, prm: number, coef: number, K: number): void;
  finish_beta(n: number, xs: number, ys: number, bx: number, by: number, prm: number): void;
  sersic_add(n: number, xs: number, ys: number, out: number, prm: number): void;
  core_sersic_add(n: number, xs: number, ys: number, out: number, prm: number): void;
  interpol_add(n: number, xs: number, ys: number, out: number, padded: number, rows: number, cols: number, prm: number): void;
  downsample_mean(hi: number, N: number, s: number, out: number, scale: number): void;
  convolve_separable_nearest(image: number, rows: number, cols: number, w: number, r: number, out: number, tmp: number, pad: number): void;
  ziggurat_draw(g: number, from: number, n: number, st: number, kn: number, wn: number): number;
  apply_noise(img: number, g: number, n: number, varConst: number, varSlope: number): void;
  finish_image(img: number, n: number, normalize: number, out: number): number;
}

/** Points per kernel loop iteration: every sub-pixel array is padded to a multiple of this. */
export const WASM_KERNEL_BLOCK = 8;
/** Most series coefficients and PSF taps the scratch areas hold (more: TypeScript path). */
export const WASM_MAX_COEFFICIENTS = 4096;
export const WASM_MAX_PSF_TAPS = 1025;
/** Largest INTERPOL stamp (rows + 2) x (cols + 2) the stamp area holds, in doubles (more: TypeScript path). */
export const WASM_MAX_STAMP = 258 * 258;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when this runtime cannot compile it (no WebAssembly SIMD). */
export function renderKernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(RENDER_KERNEL_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the environment allows the WebAssembly kernels (`LENSFORGE_RENDER_WASM=0` turns them off). */
export function renderWasmAllowed(): boolean {
  return process.env.LENSFORGE_RENDER_WASM !== '0';
}

/** Kernel choice of a renderer. */
export type RenderKernelChoice = 'auto' | 'wasm' | 'js';

/**
 * One kernel instance with its buffers for one geometry: sub-pixel grid, deflected positions,
 * surface brightness (nSub padded to {@link WASM_KERNEL_BLOCK}), image, PSF scratch, parameters.
 */
export class RenderWasm {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  readonly sb: Float64Array;
  readonly img: Float64Array;
  readonly out: Float32Array;
  /** Padded number of sub-pixels (what the kernels loop over). */
  readonly nPad: number;
  private readonly k: KernelExports;
  private readonly prm: Float64Array;
  private readonly coef: Float64Array;
  private readonly psfW: Float64Array;
  private readonly tmp: Float64Array;
  private readonly stamp: Float64Array;
  private readonly pad: Float64Array;
  /** sfc32 state (4 words) + the word of a pending slow draw. */
  readonly zigState: Int32Array;
  private readonly kn: Int32Array;
  private readonly wn: Float64Array;
  private psfKey: Float64Array | null = null;

  private constructor(k: KernelExports, nSub: number, n2: number, numPix: number) {
    this.k = k;
    const nPad = Math.ceil(nSub / WASM_KERNEL_BLOCK) * WASM_KERNEL_BLOCK;
    this.nPad = nPad;
    let off = ((k.__heap_base.value as number) + 63) & ~63;
    const f64 = (len: number): Float64Array => {
      const v = new Float64Array(k.memory.buffer, off, len);
      off += ((len * 8 + 63) & ~63);
      return v;
    };
    const bytesNeeded = off + 8 * (5 * nPad + 3 * n2 + 64 + WASM_MAX_COEFFICIENTS + WASM_MAX_PSF_TAPS + numPix + 2 * WASM_MAX_PSF_TAPS + 128 + WASM_MAX_STAMP) + 4 * (n2 + 8 + 128) + 64 * 20;
    const have = k.memory.buffer.byteLength;
    if (bytesNeeded > have) k.memory.grow(Math.ceil((bytesNeeded - have) / 65536));
    this.x = f64(nPad); this.y = f64(nPad); this.bx = f64(nPad); this.by = f64(nPad); this.sb = f64(nPad);
    this.img = f64(n2); this.tmp = f64(n2);
    this.prm = f64(64); this.coef = f64(WASM_MAX_COEFFICIENTS); this.psfW = f64(WASM_MAX_PSF_TAPS);
    this.pad = f64(numPix + 2 * WASM_MAX_PSF_TAPS);
    this.wn = f64(128);
    this.stamp = f64(WASM_MAX_STAMP);
    const i32 = (len: number): Int32Array => { const v = new Int32Array(k.memory.buffer, off, len); off += ((len * 4 + 63) & ~63); return v; };
    this.zigState = i32(8); this.kn = i32(128);
    this.out = new Float32Array(k.memory.buffer, off, n2);
    off += n2 * 4;
    if (off > k.memory.buffer.byteLength) throw new Error(`RenderWasm: layout overran the memory (${off} > ${k.memory.buffer.byteLength})`);
  }

  /**
   * A kernel instance for `nSub` sub-pixels and an N x N image, or null when the module is not
   * available or the memory cannot be had.
   */
  static create(nSub: number, numPix: number): RenderWasm | null {
    const mod = renderKernelModule();
    if (!mod) return null;
    try {
      const inst = new WebAssembly.Instance(mod, {});
      return new RenderWasm(inst.exports as unknown as KernelExports, nSub, numPix * numPix, numPix);
    } catch {
      return null;
    }
  }

  /** Adds power-law deflections of geometry g at every (padded) point; false if it has too many terms. */
  powerLaw(g: EplGeometry): boolean {
    const K = g.coef.length - 1;
    if (K + 1 > WASM_MAX_COEFFICIENTS) return false;
    const p = this.prm;
    p[0] = g.centerX; p[1] = g.centerY; p[2] = g.cosPhi; p[3] = g.sinPhi; p[4] = g.q;
    p[5] = (2 / (1 + g.q)) * Math.pow(g.b, g.t); p[6] = -0.5 * g.t; p[7] = 1e-18;
    this.coef.set(g.coef);
    this.k.power_law_deflect(this.nPad, this.x.byteOffset, this.y.byteOffset, this.bx.byteOffset, this.by.byteOffset, p.byteOffset, this.coef.byteOffset, K);
    return true;
  }

  /** beta = theta - alpha with the summed shear (g1, g2, c1, c2) folded in, in (bx, by). */
  finishBeta(g1: number, g2: number, c1: number, c2: number): void {
    const p = this.prm;
    p[0] = g1; p[1] = g2; p[2] = c1; p[3] = c2;
    this.k.finish_beta(this.nPad, this.x.byteOffset, this.y.byteOffset, this.bx.byteOffset, this.by.byteOffset, p.byteOffset);
  }

  /**
   * Adds a Sersic profile at (xs, ys) (this instance's x/y or bx/by) to sb.
   * @param params the 10 kernel parameters (see `sersicKernelParameters`)
   */
  sersic(xs: Float64Array, ys: Float64Array, params: Float64Array): void {
    this.prm.set(params);
    this.k.sersic_add(this.nPad, xs.byteOffset, ys.byteOffset, this.sb.byteOffset, this.prm.byteOffset);
  }

  /** Adds a CORE_SERSIC profile at (xs, ys) to sb; params: the 13 of `CoreSersicProfile.kernelParameters`. */
  coreSersic(xs: Float64Array, ys: Float64Array, params: Float64Array): void {
    this.prm.set(params);
    this.k.core_sersic_add(this.nPad, xs.byteOffset, ys.byteOffset, this.sb.byteOffset, this.prm.byteOffset);
  }

  /**
   * Adds an INTERPOL profile (bilinear stamp) at (xs, ys) to sb; params: the 9 of
   * `InterpolatedProfile.kernelParameters`. False when the stamp is larger than the stamp area.
   */
  interpolated(xs: Float64Array, ys: Float64Array, image: ArrayLike<number>, rows: number, cols: number, params: Float64Array): boolean {
    const pc = cols + 2;
    if ((rows + 2) * pc > WASM_MAX_STAMP) return false;
    const st = this.stamp;
    st.fill(0, 0, (rows + 2) * pc);
    for (let i = 0; i < rows; i++) {
      const o = (i + 1) * pc + 1, src = i * cols;
      for (let j = 0; j < cols; j++) st[o + j] = image[src + j];
    }
    this.prm.set(params);
    this.k.interpol_add(this.nPad, xs.byteOffset, ys.byteOffset, this.sb.byteOffset, st.byteOffset, rows, cols, this.prm.byteOffset);
    return true;
  }

  /** img = scale * block means of sb. */
  downsample(numPix: number, s: number, scale: number): void {
    this.k.downsample_mean(this.sb.byteOffset, numPix, s, this.img.byteOffset, scale);
  }

  /** Convolves img in place with the symmetric 1-D kernel w along both axes (edges replicated); false if too wide. */
  convolveSeparable(w: Float64Array, numPix: number): boolean {
    const r = (w.length - 1) >> 1;
    if (w.length > WASM_MAX_PSF_TAPS) return false;
    if (this.psfKey !== w) { this.psfW.set(w); this.psfKey = w; }
    this.k.convolve_separable_nearest(this.img.byteOffset, numPix, numPix, this.psfW.byteOffset, r, this.img.byteOffset, this.tmp.byteOffset, this.pad.byteOffset);
    return true;
  }

  /** Copies the ziggurat tables in (once per instance). */
  zigguratTables(kn: Int32Array, wn: Float64Array): void {
    if (this.kn[127] === 0) { this.kn.set(kn); this.wn.set(wn); }
  }

  /** Scratch of numPix^2 doubles for the deviates (the PSF scratch, free by then). */
  get deviates(): Float64Array { return this.tmp; }

  /**
   * Draws the ziggurat fast path into `deviates` from index `from` (sfc32 state in zigState);
   * returns the index of the first draw that needs the slow path (its word in zigState[4]) or n.
   */
  zigguratDraw(from: number, n: number): number {
    return this.k.ziggurat_draw(this.tmp.byteOffset, from, n, this.zigState.byteOffset, this.kn.byteOffset, this.wn.byteOffset);
  }

  /** img[i] += sqrt(varConst + varSlope |img[i]|) deviates[i]. */
  applyNoise(varConst: number, varSlope: number): void {
    this.k.apply_noise(this.img.byteOffset, this.tmp.byteOffset, this.img.length, varConst, varSlope);
  }

  /** Normalises img to a maximum of 1 (when asked and the maximum is positive) into `out` (float32); returns the factor. */
  finishImage(normalize: boolean): number {
    return this.k.finish_image(this.img.byteOffset, this.img.length, normalize ? 1 : 0, this.out.byteOffset);
  }
}
