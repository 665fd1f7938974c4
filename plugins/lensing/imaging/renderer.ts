/**
 * Image formation for one lens plane, matching lenstronomy 1.14.2's `ImageModel.image` with
 * kwargs_numerics {supersampling_factor: s, supersampling_convolution: False}:
 *
 * 1. sample the (N s)^2 sub-pixel grid (see `pixel-grid.ts`);
 * 2. ray-shoot it through the mass profiles, beta = theta - sum alpha(theta);
 * 3. evaluate the source light at beta and the lens light at theta (surface brightness is
 *    conserved, no magnification factor);
 * 4. average each pixel's s x s samples and multiply by deltaPix^2 (flux per pixel);
 * 5. convolve with the PSF on the pixel grid (a PIXEL kernel supersampled s times is applied on
 *    the sub-pixel grid before step 4 instead);
 * 6. optionally add noise N(0, bg^2) + N(0, |image|/t) and normalise to a maximum of 1.
 *
 * A `Renderer` holds the grid and every scratch buffer for one geometry, so rendering many
 * images allocates only the returned arrays. Not re-entrant: use one Renderer per worker.
 *
 * Kernels: by default the buffers live in a WebAssembly SIMD kernel instance (`wasm-kernel.ts`)
 * that runs the EPL/SIE deflection, shear, SERSIC / SERSIC_ELLIPSE / CORE_SERSIC / INTERPOL light, down-sampling, the
 * Gaussian PSF, the bulk of the noise and the normalisation; any other profile (or PSF) runs its
 * own TypeScript kernel on the same buffers. `kernel: 'js'` (or `LENSFORGE_RENDER_WASM=0`) runs
 * everything in TypeScript; the two agree to ~1e-9 relative and draw identical noise.
 */
import { allocationProblem, type Rng } from '../../../core/index.js';
import { renderBytes } from './render-memory.js';
import type { LightProfile } from '../profiles/light-profile.js';
import type { MassProfile } from '../profiles/mass-profile.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { ShearProfile } from '../profiles/shear.js';
import { EplProfile } from '../profiles/epl.js';
import { SersicProfile } from '../profiles/sersic.js';
import { CoreSersicProfile } from '../profiles/core-sersic.js';
import { InterpolatedProfile } from '../profiles/interpolated.js';
import { SieProfile } from '../profiles/sie.js';
import { GaussianPsf } from './gaussian-psf.js';
import { addNoiseInPlace, type NoiseSpec } from './noise.js';
import { downsampleMean, gridCoordinates } from './pixel-grid.js';
import { PixelPsf } from './pixel-psf.js';
import { KN, WN, ZigguratNormal } from './ziggurat-normal.js';
import { RenderWasm, renderKernelModule, renderWasmAllowed, type RenderKernelChoice } from './wasm-kernel.js';

/** The physical content of one image. */
export interface Scene {
  /** Mass profiles of the single lens plane (may be empty: no lensing). */
  lens: readonly MassProfile[];
  /** Source light, evaluated at the ray-shot positions. */
  source: readonly LightProfile[];
  /** Lens light, evaluated at the image positions. */
  lensLight: readonly LightProfile[];
}

/** PSF given to a renderer: nothing, a ready PSF object, or a FWHM description. */
export type RendererPsf = null | GaussianPsf | PixelPsf | { type: 'NONE' } | { type: 'GAUSSIAN'; fwhm: number; truncation?: number };

/** Geometry and PSF of a renderer. */
export interface RendererOptions {
  /** Pixels per side N. */
  numPix: number;
  /** Pixel size [arcsec]. */
  deltaPix: number;
  /** Sub-samples per pixel and axis s (default 1). */
  supersampling?: number;
  /** PSF (default none). */
  psf?: RendererPsf;
  /**
   * Kernels: 'auto' (default) the WebAssembly ones when available and not turned off by
   * LENSFORGE_RENDER_WASM=0, 'wasm' require them, 'js' TypeScript only.
   */
  kernel?: RenderKernelChoice;
}

/** Per-call options of {@link Renderer.render}. */
export interface RenderOptions {
  /** Noise to add (default none). */
  noise?: NoiseSpec | null;
  /**
   * Noise stream; required when `noise` is set. Each render draws four 32-bit words from it to
   * seed the ziggurat sampler, so the noise is a function of the stream's state at that call.
   */
  rng?: Rng;
  /** Divide by the maximum pixel value after noise (default false). */
  normalize?: boolean;
  /** Output buffer of N^2 floats to fill instead of allocating. */
  out?: Float32Array;
}

/** Separate outputs of {@link Renderer.renderParts} (all N^2, row-major, flux per pixel). */
export interface RenderedParts {
  /** Final image: convolved, plus noise and normalisation when requested. */
  image: Float32Array;
  /** Convolved source + lens light, no noise. */
  noiseless: Float32Array;
  /** Source + lens light before PSF convolution. */
  unconvolved: Float32Array;
  /** Convolved lensed source only. */
  source: Float32Array;
  /** Convolved lens light only. */
  lensLight: Float32Array;
  /** The factor the image was divided by when normalising (1 otherwise). */
  normalization: number;
}

/** Renders lensed images of one geometry; see the file comment for the steps. */
export class Renderer {
  readonly numPix: number;
  readonly deltaPix: number;
  readonly supersampling: number;
  /** PSF applied on the pixel grid (after down-sampling), if any. */
  readonly psf: GaussianPsf | PixelPsf | null;
  /** PIXEL PSF applied on the sub-pixel grid (before down-sampling), if any. */
  readonly hiResPsf: PixelPsf | null;
  /** Sub-pixel sample coordinates [arcsec]. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  private readonly nSub: number;
  private readonly bx: Float64Array;
  private readonly by: Float64Array;
  private readonly sb: Float64Array;
  private readonly img: Float64Array;
  private normal: ZigguratNormal | null = null;
  /** The WebAssembly kernel instance holding the buffers, or null (TypeScript kernels). */
  private readonly wasm: RenderWasm | null;
  private readonly sersicPrm = new Float64Array(16);

  /** @throws SpecValidationError for a bad geometry or a PSF that does not fit it */
  constructor(options: RendererOptions) {
    const { numPix, deltaPix } = options;
    const s = options.supersampling ?? 1;
    const errors: string[] = [];
    if (!(Number.isInteger(numPix) && numPix >= 1 && numPix <= 4096)) errors.push(`numPix: expected an integer in [1, 4096], got ${numPix}`);
    if (!(typeof deltaPix === 'number' && deltaPix > 0 && deltaPix <= 10)) errors.push(`deltaPix: expected a number in (0, 10], got ${deltaPix}`);
    if (!(Number.isInteger(s) && s >= 1 && s <= 16)) errors.push(`supersampling: expected an integer in [1, 16], got ${s}`);
    if (!errors.length) {
      const big = allocationProblem({ bytes: renderBytes(numPix, s), what: 'the render grids (5 float64 arrays of (numPix x supersampling)^2 sub-pixels)', fields: [`numPix ${numPix}`, `supersampling ${s}`] });
      if (big) errors.push(`numPix: ${big}`);
    }
    let psf: GaussianPsf | PixelPsf | null = null;
    let hiResPsf: PixelPsf | null = null;
    const p = options.psf ?? null;
    if (p instanceof GaussianPsf) {
      if (Math.abs(p.deltaPix - deltaPix) > 1e-9 * deltaPix) errors.push(`psf: GaussianPsf built for deltaPix ${p.deltaPix}, renderer uses ${deltaPix}`);
      psf = p;
    } else if (p instanceof PixelPsf) {
      if (p.supersampling !== 1 && p.supersampling !== s) errors.push(`psf.supersampling: expected 1 or the render supersampling ${s}, got ${p.supersampling}`);
      if (p.pixelScale !== undefined && Math.abs(p.pixelScale - deltaPix / p.supersampling) > 1e-6 * deltaPix) {
        errors.push(`psf.pixelScale: expected ${deltaPix / p.supersampling} (deltaPix / psf.supersampling), got ${p.pixelScale}`);
      }
      if (p.supersampling > 1) hiResPsf = p; else psf = p;
    } else if (p && p.type === 'GAUSSIAN') {
      psf = new GaussianPsf(p.fwhm, deltaPix, p.truncation ?? 5);
    }
    const kernel = options.kernel ?? 'auto';
    if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') errors.push(`kernel: expected 'auto', 'wasm' or 'js', got ${String(kernel)}`);
    if (kernel === 'wasm' && !renderKernelModule()) errors.push("kernel: 'wasm' asked for, but this runtime cannot compile the WebAssembly SIMD kernels");
    if (errors.length) throw new SpecValidationError('renderer options', errors);
    this.numPix = numPix;
    this.deltaPix = deltaPix;
    this.supersampling = s;
    this.psf = psf;
    this.hiResPsf = hiResPsf;
    const grid = gridCoordinates(numPix, deltaPix, s);
    this.nSub = grid.x.length;
    const useWasm = kernel === 'wasm' || (kernel === 'auto' && renderWasmAllowed());
    this.wasm = useWasm ? RenderWasm.create(this.nSub, numPix) : null;
    if (kernel === 'wasm' && !this.wasm) throw new SpecValidationError('renderer options', [`kernel: 'wasm' asked for, but no kernel memory for numPix ${numPix} x supersampling ${s}`]);
    if (this.wasm) {
      const w = this.wasm, n = this.nSub;
      // the padded tail (to the kernel block) holds copies of the last point: finite, never read back
      w.x.set(grid.x); w.y.set(grid.y);
      w.x.fill(grid.x[n - 1], n); w.y.fill(grid.y[n - 1], n);
      this.x = w.x.subarray(0, n);
      this.y = w.y.subarray(0, n);
      this.bx = w.bx.subarray(0, n);
      this.by = w.by.subarray(0, n);
      this.sb = w.sb.subarray(0, n);
      this.img = w.img;
      w.zigguratTables(KN, WN);
    } else {
      this.x = grid.x;
      this.y = grid.y;
      this.bx = new Float64Array(this.nSub);
      this.by = new Float64Array(this.nSub);
      this.sb = new Float64Array(this.nSub);
      this.img = new Float64Array(numPix * numPix);
    }
  }

  /** Which kernels this renderer runs: 'wasm' (WebAssembly SIMD, TypeScript for other profiles) or 'js'. */
  get kernel(): 'wasm' | 'js' { return this.wasm ? 'wasm' : 'js'; }

  /**
   * Ray-shoots the sub-pixel grid into (bx, by); returns the arrays holding beta. External shears
   * are linear in (x, y), so they are summed and folded into the pass that forms
   * beta = theta - alpha instead of getting a pass of their own.
   */
  private rayShoot(lens: readonly MassProfile[]): [Float64Array, Float64Array] {
    if (lens.length === 0) return [this.x, this.y];
    const { x, y, bx, by, nSub: n } = this;
    bx.fill(0);
    by.fill(0);
    // sum of shears: alpha = (g1 x + g2 y - c1, g2 x - g1 y - c2)
    let g1 = 0, g2 = 0, c1 = 0, c2 = 0;
    for (const p of lens) {
      if (p instanceof ShearProfile) {
        const s = p.params;
        g1 += s.gamma1; g2 += s.gamma2;
        c1 += s.gamma1 * s.ra_0 + s.gamma2 * s.dec_0;
        c2 += s.gamma2 * s.ra_0 - s.gamma1 * s.dec_0;
      } else if (!(this.wasm && isPowerLawKernel(p) && this.wasm.powerLaw(p.geometry))) {
        p.addDeflections(x, y, bx, by, n);
      }
    }
    if (this.wasm) { this.wasm.finishBeta(g1, g2, c1, c2); return [bx, by]; }
    const a11 = 1 - g1, a22 = 1 + g1;
    for (let i = 0; i < n; i++) {
      const xi = x[i], yi = y[i];
      bx[i] = a11 * xi - g2 * yi + c1 - bx[i];
      by[i] = a22 * yi - g2 * xi + c2 - by[i];
    }
    return [bx, by];
  }

  /** Sub-pixel surface brightness of the chosen components into `this.sb`. */
  private surfaceBrightness(scene: Scene, withSource: boolean, withLensLight: boolean): Float64Array {
    const sb = this.sb;
    sb.fill(0);
    if (withSource && scene.source.length > 0) {
      const [bx, by] = this.rayShoot(scene.lens);
      for (const p of scene.source) this.addLight(p, bx, by);
    }
    if (withLensLight) for (const p of scene.lensLight) this.addLight(p, this.x, this.y);
    return sb;
  }

  /** One light profile at (xs, ys) into sb: a WebAssembly kernel when one applies. */
  private addLight(p: LightProfile, xs: Float64Array, ys: Float64Array): void {
    const w = this.wasm;
    if (w && p instanceof SersicProfile && p.addSurfaceBrightness === SersicProfile.prototype.addSurfaceBrightness) {
      p.kernelParameters(this.sersicPrm);
      // xs/ys are views of the kernel's own x/y or bx/by: pass the padded arrays
      w.sersic(xs === this.x ? w.x : w.bx, ys === this.y ? w.y : w.by, this.sersicPrm);
    } else if (w && p instanceof CoreSersicProfile && p.addSurfaceBrightness === CoreSersicProfile.prototype.addSurfaceBrightness) {
      p.kernelParameters(this.sersicPrm);
      w.coreSersic(xs === this.x ? w.x : w.bx, ys === this.y ? w.y : w.by, this.sersicPrm);
    } else if (!(w && p instanceof InterpolatedProfile && p.addSurfaceBrightness === InterpolatedProfile.prototype.addSurfaceBrightness
      && (p.kernelParameters(this.sersicPrm), w.interpolated(xs === this.x ? w.x : w.bx, ys === this.y ? w.y : w.by, p.image, p.rows, p.cols, this.sersicPrm)))) {
      p.addSurfaceBrightness(xs, ys, this.sb, this.nSub);
    }
  }

  /** Sub-pixel surface brightness -> pixel flux (+ PSF) into `out`. */
  private toPixels(sb: Float64Array, out: Float64Array, convolve: boolean): Float64Array {
    const N = this.numPix, s = this.supersampling;
    if (convolve && this.hiResPsf) this.hiResPsf.convolve(sb, N * s, N * s);
    const w = this.wasm;
    if (w && out === w.img) {
      w.downsample(N, s, this.deltaPix * this.deltaPix);
      if (convolve && this.psf && !(this.psf instanceof GaussianPsf && w.convolveSeparable(this.psf.weights, N))) this.psf.convolve(out, N, N, out);
      return out;
    }
    downsampleMean(sb, N, s, out, this.deltaPix * this.deltaPix);
    if (convolve && this.psf) this.psf.convolve(out, N, N, out);
    return out;
  }

  private normalFor(rng: Rng): ZigguratNormal {
    if (!this.normal) this.normal = new ZigguratNormal(rng);
    else this.normal.reseed(rng);
    return this.normal;
  }

  /** Noise and normalisation on a Float64 image; returns the normalisation factor. */
  private finish(img: Float64Array, options: RenderOptions): number {
    if (options.noise) {
      if (!options.rng) throw new Error('render: options.rng is required when options.noise is set');
      const w = this.wasm;
      if (w && img === w.img) {
        const { background_rms: bg, exposure_time: et } = options.noise;
        const invT = et === null || et === Infinity ? 0 : 1 / et;
        const n = img.length;
        this.normalFor(options.rng).fillBulk(w.deviates, n, w.zigState, (from) => w.zigguratDraw(from, n));
        w.applyNoise(bg * bg, invT);
      } else {
        addNoiseInPlace(img, options.noise, this.normalFor(options.rng));
      }
    }
    let norm = 1;
    if (options.normalize) {
      let max = -Infinity;
      for (let i = 0; i < img.length; i++) if (img[i] > max) max = img[i];
      if (max > 0) { norm = max; const inv = 1 / max; for (let i = 0; i < img.length; i++) img[i] *= inv; }
    }
    return norm;
  }

  /**
   * Renders the full image (source + lens light, PSF, then optional noise and normalisation).
   * @returns N^2 float32 pixel values, row-major, row 0 at the most negative y
   */
  render(scene: Scene, options: RenderOptions = {}): Float32Array {
    const n2 = this.numPix * this.numPix;
    const out = options.out ?? new Float32Array(n2);
    if (out.length !== n2) throw new Error(`render: options.out must have numPix^2 = ${n2} elements, got ${out.length}`);
    const img = this.toPixels(this.surfaceBrightness(scene, true, true), this.img, true);
    if (this.wasm) {
      this.finish(img, { ...options, normalize: false });
      this.wasm.finishImage(options.normalize ?? false);
      out.set(this.wasm.out);
      return out;
    }
    this.finish(img, options);
    for (let i = 0; i < n2; i++) out[i] = img[i];
    return out;
  }

  /** Renders one component set without noise into a new Float64Array (N^2). */
  renderComponent(scene: Scene, which: 'all' | 'source' | 'lensLight', convolve = true): Float64Array {
    const sb = this.surfaceBrightness(scene, which !== 'lensLight', which !== 'source');
    return this.toPixels(sb, new Float64Array(this.numPix * this.numPix), convolve);
  }

  /** Renders the final image and its noiseless, unconvolved, source-only and lens-light-only parts. */
  renderParts(scene: Scene, options: Omit<RenderOptions, 'out'> = {}): RenderedParts {
    const source = this.renderComponent(scene, 'source', true);
    const lensLight = this.renderComponent(scene, 'lensLight', true);
    const unconvolved = this.renderComponent(scene, 'all', false);
    const noiseless = new Float64Array(source.length);
    for (let i = 0; i < noiseless.length; i++) noiseless[i] = source[i] + lensLight[i];
    const final = Float64Array.from(noiseless);
    const normalization = this.finish(final, options);
    return {
      image: Float32Array.from(final),
      noiseless: Float32Array.from(noiseless),
      unconvolved: Float32Array.from(unconvolved),
      source: Float32Array.from(source),
      lensLight: Float32Array.from(lensLight),
      normalization,
    };
  }
}

/** EPL or SIE with its own power-law render kernel (not a subclass that replaces it). */
function isPowerLawKernel(p: MassProfile): p is EplProfile | SieProfile {
  return (p instanceof EplProfile && p.addDeflections === EplProfile.prototype.addDeflections)
    || (p instanceof SieProfile && p.addDeflections === SieProfile.prototype.addDeflections);
}
