import {
  component, ComponentFactory, ConfigError, inject, TOKENS, z, type Rng, type Sample, type Simulator,
} from '../../../core/index.js';
import { ProfileCatalog } from '../profiles/profile-catalog.js';
import { LensPopulation, type LensScene } from '../population/lens-population.js';
import { LENS_PARAM_NAMES } from '../population/lens-prior.js';
import { PopulationSchema } from '../population/population-options.js';
import { strongLensEstimate } from '../imaging/render-memory.js';

/** Options of `lensing/strong-lens`: the population (geometry, prior, sources, PSFs, noise, normalize) and the size. */
export const StrongLensOptions = PopulationSchema.extend({
  size: z.number().int().min(1).default(100000).describe('number of samples per split (paper: 100,000 pairs)'),
});
type Options = z.output<typeof StrongLensOptions>;

/** True when `x` looks like a scene made by `lensing/strong-lens`. */
export function isLensScene(x: unknown): x is LensScene {
  const s = x as LensScene;
  return !!s && typeof s === 'object' && !!s.lens && typeof s.lens.theta_E === 'number' && !!s.nuisance && Array.isArray(s.nuisance.sources);
}

/**
 * Strong-lens images of the LenSiam population (Chang et al. 2023, section 2.1): EPL + external
 * shear lenses with Sersic lens light, analytic / procedural / user-stamp sources (10% mergers),
 * PSFs drawn from a list, background + Poisson noise, each image normalised to a maximum of 1.
 *
 * - imageShape `[numPix, numPix, 1]`; row 0 at the most negative y (lenstronomy layout).
 * - labels: theta_E, gamma, e1, e2, center_x, center_y, gamma1, gamma2 (the lens model only).
 * - `sample(i, split)` is a pure function of (component seed, split, i): the lens comes from
 *   `rng.derive(split:i).derive('lens')`, the nuisances from `.derive('nuisance')`, the noise from
 *   `.derive('noise')`. `sample.scene` holds `{ lens, nuisance }`.
 * - Profiles are built through `ProfileCatalog.fromRegistry` (the registered `mass-profile` /
 *   `light-profile` components of the injected factory's registry, built by that factory), so the
 *   EPL, SHEAR and light profiles are whichever components the registry holds for those types.
 * - `renderView(sample, rng)` renders the SAME lens with a fresh source, lens light, PSF and
 *   noise (the LenSiam lens augmentation, section 2.2); the labels do not change.
 */
@component({
  kind: 'simulator',
  name: 'lensing/strong-lens',
  description: 'LenSiam strong-lens images (EPL+shear, Sersic/procedural/stamp sources, PSFs, noise); renderView re-renders the same lens',
  options: StrongLensOptions,
  estimateBytes: strongLensEstimate,
})
export class StrongLensSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames: readonly string[] = LENS_PARAM_NAMES;
  readonly size: number;
  /** The population behind the images (drawing and rendering). */
  readonly population: LensPopulation;

  constructor(
    @inject(TOKENS.Options) opts: Options,
    @inject(TOKENS.Rng) private readonly rng: Rng,
    @inject(TOKENS.ComponentPath) path: string,
    @inject(TOKENS.Factory) factory: ComponentFactory,
  ) {
    const { size, ...pop } = opts;
    try {
      this.population = new LensPopulation(pop, { catalog: ProfileCatalog.fromRegistry(factory.registry, factory) });
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(e.issues.map((i) => ({ ...i, path: `${path}.${i.path}` })));
      throw e;
    }
    this.imageShape = [opts.numPix, opts.numPix, 1];
    this.size = size;
  }

  sample(index: number, split = 'train'): Sample {
    if (!(Number.isInteger(index) && index >= 0)) throw new Error(`lensing/strong-lens sample index: expected a non-negative integer, got ${index}`);
    const r = this.rng.derive(`${split}:${index}`);
    const lens = this.population.drawLens(r.derive('lens'));
    const nuisance = this.population.drawNuisance(lens, r.derive('nuisance'));
    const scene: LensScene = { lens, nuisance };
    const image = this.population.render(scene, r.derive('noise'));
    return { image, labels: { ...lens }, scene };
  }

  renderView(sample: Sample, rng: Rng): Float32Array {
    if (!isLensScene(sample.scene)) {
      throw new Error('lensing/strong-lens renderView: sample.scene is not a lensing/strong-lens scene (expected { lens: { theta_E, ... }, nuisance }); re-render only samples made by this simulator');
    }
    const lens = sample.scene.lens;
    const nuisance = this.population.drawNuisance(lens, rng.derive('nuisance'));
    return this.population.render({ lens, nuisance }, rng.derive('noise'));
  }
}
