/**
 * The LenSiam lens population (Chang et al. 2023, section 2): draws lens mass models (the
 * labels) and, independently, everything else about an observation (source galaxies, lens light,
 * PSF, noise), and renders images with the lenstronomy-exact numerics of this plugin
 * (`Renderer`: ray shooting, supersampling, PSF, noise, normalisation to a maximum of 1).
 *
 * A positive LenSiam pair is two `render` calls of one lens with two nuisances.
 */
import { ConfigError, type ConfigIssue, type Rng } from '../../../core/index.js';
import { Renderer, type Scene } from '../imaging/renderer.js';
import type { LightProfile } from '../profiles/light-profile.js';
import type { ProfileCatalog } from '../profiles/profile-catalog.js';
import { drawLens, lensMassProfiles, type LensParams } from './lens-prior.js';
import { drawNuisance, type Nuisance, type SourceDescriptor } from './nuisance.js';
import { PopulationSchema, type PopulationOptions } from './population-options.js';
import { renderGalaxyStamp } from './procedural-galaxy.js';
import { buildPsfChoices, type PsfChoice } from './psf-bank.js';
import { SourceBank } from './source-bank.js';

/** One simulated system: the lens (labels) and the nuisances of one view. */
export interface LensScene {
  lens: LensParams;
  nuisance: Nuisance;
}

/** Renderers kept per population (one per PSF, least recently used dropped). */
const RENDERER_CACHE = 8;

/** Turns zod issues into ConfigIssues under `path`. */
function zodIssues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }, path: string): ConfigIssue[] {
  return error.issues.map((i) => ({ path: [path, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** Draws and renders lens systems; see the file comment. Not re-entrant (renderer scratch). */
export class LensPopulation {
  readonly options: PopulationOptions;
  readonly psfs: readonly PsfChoice[];
  readonly bank: SourceBank | null;
  private readonly bankSums: number[];
  private readonly renderers = new Map<number, Renderer>();
  private readonly scratch: [Float64Array, Float64Array, Float64Array];
  /** The profiles by lenstronomy type (EPL, SHEAR, SERSIC_ELLIPSE, CORE_SERSIC, INTERPOL are used). */
  readonly catalog: ProfileCatalog;

  /**
   * @param options parsed options (`PopulationSchema` output)
   * @param resources the profile catalog (required; the simulator passes the registry's), and the
   *   loaded PSFs and source bank (default: loaded from the options' paths)
   */
  constructor(options: PopulationOptions, resources: { catalog: ProfileCatalog; psfs?: PsfChoice[]; bank?: SourceBank | null }) {
    this.options = options;
    this.catalog = resources.catalog;
    const issues: ConfigIssue[] = [];
    let psfs = resources.psfs;
    if (!psfs) {
      try { psfs = buildPsfChoices(options.psfs, options.deltaPix); } catch (e) { if (e instanceof ConfigError) issues.push(...e.issues); else throw e; }
    }
    let bank = resources.bank;
    if (bank === undefined) {
      bank = null;
      if (options.sources.bank.paths.length > 0) {
        try { bank = SourceBank.load(options.sources.bank.paths); } catch (e) { if (e instanceof ConfigError) issues.push(...e.issues); else throw e; }
      }
    }
    options.psfs.kernels.forEach((k, i) => {
      if (k.supersampling !== 1 && k.supersampling !== options.supersampling) {
        issues.push({ path: `psfs.kernels[${i}].supersampling`, message: `expected 1 or the render supersampling ${options.supersampling}, got ${k.supersampling}` });
      }
    });
    if (options.sources.mix.bank > 0 && !bank && issues.length === 0) issues.push({ path: 'sources.bank.paths', message: 'expected stamp files because sources.mix.bank > 0' });
    if (issues.length) throw new ConfigError(issues);
    this.psfs = psfs!;
    this.bank = bank;
    this.bankSums = bank ? bank.stamps.map((s) => s.sum) : [];
    const n2 = options.sources.procedural.stampSize ** 2;
    this.scratch = [new Float64Array(n2), new Float64Array(n2), new Float64Array(n2)];
  }

  /**
   * Validates user options (every bad field with its path, prefixed by `path`) and builds a
   * population, loading stamp and kernel files.
   * @param catalog the profiles (e.g. `ProfileCatalog.fromRegistry(registry)`)
   * @throws ConfigError listing every problem
   */
  static fromOptions(input: unknown, catalog: ProfileCatalog, path = ''): LensPopulation {
    const r = PopulationSchema.safeParse(input ?? {});
    if (!r.success) throw new ConfigError(zodIssues(r.error, path));
    try {
      return new LensPopulation(r.data, { catalog });
    } catch (e) {
      if (e instanceof ConfigError && path) throw new ConfigError(e.issues.map((i) => ({ ...i, path: `${path}.${i.path}` })));
      throw e;
    }
  }

  /** Image side [pixels]. */
  get numPix(): number { return this.options.numPix; }

  /** Draws a lens (the eight labels) from the prior. */
  drawLens(rng: Rng): LensParams {
    return drawLens(this.options.prior.lens, rng);
  }

  /** Draws the nuisances of one view of `lens` (source(s), lens light, PSF, noise). */
  drawNuisance(lens: LensParams, rng: Rng): Nuisance {
    return drawNuisance(lens, this.options, { psfCount: this.psfs.length, bankSums: this.bankSums }, rng);
  }

  /** A full scene: lens from `rng.derive('lens')`, nuisances from `rng.derive('nuisance')`. */
  drawScene(rng: Rng): LensScene {
    const lens = this.drawLens(rng.derive('lens'));
    return { lens, nuisance: this.drawNuisance(lens, rng.derive('nuisance')) };
  }

  /** Light profile of one source descriptor (procedural galaxies are drawn onto a stamp here). */
  sourceProfile(s: SourceDescriptor): LightProfile {
    switch (s.kind) {
      case 'analytic':
        if (s.type === 'SERSIC_ELLIPSE') return this.catalog.createLight('SERSIC_ELLIPSE', { amp: s.amp, R_sersic: s.R_sersic, n_sersic: s.n_sersic, e1: s.e1, e2: s.e2, center_x: s.center_x, center_y: s.center_y });
        return this.catalog.createLight('CORE_SERSIC', { amp: s.amp, R_sersic: s.R_sersic, Rb: s.Rb, n_sersic: s.n_sersic, gamma: s.gamma, alpha: s.alpha, e1: s.e1, e2: s.e2, center_x: s.center_x, center_y: s.center_y });
      case 'procedural': {
        const p = this.options.sources.procedural;
        const st = renderGalaxyStamp(s.galaxy, p.stampSize, p.extent, this.scratch);
        return this.catalog.createLight('INTERPOL', { image: st.image, rows: st.rows, cols: st.cols, amp: 1, center_x: s.center_x, center_y: s.center_y, phi_G: s.galaxy.positionAngle, scale: st.scale });
      }
      case 'bank': {
        if (!this.bank || s.index >= this.bank.size) throw new Error(`scene source: bank stamp ${s.index} is not loaded (bank holds ${this.bank?.size ?? 0} stamps)`);
        const st = this.bank.stamps[s.index];
        return this.catalog.createLight('INTERPOL', { image: st.image, rows: st.rows, cols: st.cols, amp: s.amp, center_x: s.center_x, center_y: s.center_y, phi_G: s.phi_G, scale: s.scale });
      }
    }
  }

  /** The profile objects of a scene (for `Renderer.render` / `renderParts`). */
  sceneProfiles(scene: LensScene): Scene {
    const ll = scene.nuisance.lensLight;
    return {
      lens: lensMassProfiles(scene.lens, this.catalog),
      source: scene.nuisance.sources.map((s) => this.sourceProfile(s)),
      lensLight: [this.catalog.createLight('SERSIC_ELLIPSE', { amp: ll.amp, R_sersic: ll.R_sersic, n_sersic: ll.n_sersic, e1: ll.e1, e2: ll.e2, center_x: ll.center_x, center_y: ll.center_y })],
    };
  }

  /** The (cached) renderer of PSF `index`. */
  renderer(index: number): Renderer {
    if (!(Number.isInteger(index) && index >= 0 && index < this.psfs.length)) {
      throw new Error(`scene.nuisance.psf: expected an integer in [0, ${this.psfs.length - 1}], got ${index}`);
    }
    let r = this.renderers.get(index);
    if (r) { this.renderers.delete(index); this.renderers.set(index, r); return r; }
    const o = this.options;
    r = new Renderer({ numPix: o.numPix, deltaPix: o.deltaPix, supersampling: o.supersampling, psf: this.psfs[index].psf });
    this.renderers.set(index, r);
    if (this.renderers.size > RENDERER_CACHE) this.renderers.delete(this.renderers.keys().next().value as number);
    return r;
  }

  /**
   * Renders one image of a scene.
   * @param scene lens + nuisances
   * @param rng noise stream (used only when the nuisance has noise)
   * @param out optional numPix^2 output buffer
   * @returns numPix^2 float32 values, row-major, row 0 at the most negative y; divided by its
   *   maximum when `normalize` is on
   */
  render(scene: LensScene, rng: Rng, out?: Float32Array): Float32Array {
    const n = scene.nuisance;
    return this.renderer(n.psf).render(this.sceneProfiles(scene), { noise: n.noise, rng, normalize: this.options.normalize, out });
  }
}
