import { expect } from 'chai';
import { ComponentFactory, ConfigError, Registry, Rng, type Sample } from '../../../core/index.js';
import { lensingPlugin } from '../plugin.js';
import type { LensScene } from '../population/lens-population.js';
import { LENS_PARAM_NAMES } from '../population/lens-prior.js';
import { StrongLensSimulator } from './strong-lens-simulator.js';

function build(options: Record<string, unknown> = {}, seed = 1): StrongLensSimulator {
  const registry = new Registry();
  registry.loadPlugin(lensingPlugin);
  return new ComponentFactory(registry, Rng.fromSeed(seed)).create<StrongLensSimulator>('simulator', { use: 'lensing/strong-lens', numPix: 24, deltaPix: 0.2, ...options }, 'data');
}

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('lensing/components/strong-lens-simulator', () => {
  const sim = build();

  it('declares its shape, labels and size', () => {
    expect(sim.imageShape).to.deep.equal([24, 24, 1]);
    expect(sim.labelNames).to.deep.equal([...LENS_PARAM_NAMES]);
    expect(sim.size).to.equal(100000);
    const s = sim.sample(0);
    expect(Object.keys(s.labels)).to.deep.equal([...LENS_PARAM_NAMES]);
    expect(s.image.length).to.equal(24 * 24);
    expect(Math.max(...s.image)).to.equal(1); // normalised (paper)
  });

  it('sample(i, split) is a pure function of (seed, split, i)', () => {
    const other = build();
    other.sample(7); // order of calls does not matter
    const a = sim.sample(5), b = other.sample(5);
    expect(same(a.image, b.image)).to.equal(true);
    expect(a.labels).to.deep.equal(b.labels);
    expect(a.scene).to.deep.equal(b.scene);
    expect(same(sim.sample(6).image, a.image)).to.equal(false);
    expect(sim.sample(5, 'eval').labels).to.not.deep.equal(a.labels);
    expect(build({}, 2).sample(5).labels).to.not.deep.equal(a.labels);
    expect(() => sim.sample(-1)).to.throw(/sample index: expected a non-negative integer, got -1/);
  });

  it('draws the lens and the nuisances from separate streams', () => {
    // other source/PSF/noise settings leave the labels of sample i unchanged
    const alt = build({ sources: { mix: { analytic: 1, procedural: 0 } }, psfs: { fwhm: [0.3] }, noise: null });
    for (const i of [0, 1, 2]) {
      expect(alt.sample(i).labels).to.deep.equal(sim.sample(i).labels);
      expect(same(alt.sample(i).image, sim.sample(i).image)).to.equal(false);
    }
  });

  it('renderView keeps the lens (and labels) and redraws source, lens light, PSF and noise', () => {
    const s = sim.sample(3);
    const scene = s.scene as LensScene;
    const rng = Rng.fromSeed(42);
    const view = sim.renderView(s, rng);
    expect(s.labels).to.deep.equal(sim.sample(3).labels);
    expect(same(view, s.image)).to.equal(false);
    expect(Math.max(...view)).to.equal(1);
    // the view is exactly: same lens + the nuisance drawn from rng.derive('nuisance') + noise from rng.derive('noise')
    const nuisance = sim.population.drawNuisance(scene.lens, rng.derive('nuisance'));
    expect(nuisance.sources).to.not.deep.equal(scene.nuisance.sources);
    expect(nuisance.lensLight).to.not.deep.equal(scene.nuisance.lensLight);
    expect(same(sim.population.render({ lens: scene.lens, nuisance }, rng.derive('noise')), view)).to.equal(true);
    // ... and the lens matters: the same nuisance behind another lens gives another image
    const other = { ...scene.lens, theta_E: scene.lens.theta_E + 0.2 };
    expect(same(sim.population.render({ lens: other, nuisance }, rng.derive('noise')), view)).to.equal(false);
    // independent streams give independent views
    expect(same(sim.renderView(s, Rng.fromSeed(43)), view)).to.equal(false);
    expect(same(sim.renderView(s, Rng.fromSeed(42)), view)).to.equal(true);
  });

  it('renderView refuses samples it did not make', () => {
    const foreign: Sample = { image: new Float32Array(576), labels: { theta_E: 1 } };
    expect(() => sim.renderView(foreign, Rng.fromSeed(1))).to.throw(/renderView: sample\.scene is not a lensing\/strong-lens scene/);
  });

  it('the registry reports every bad option with its config path', () => {
    const registry = new Registry();
    registry.loadPlugin(lensingPlugin);
    let err: unknown;
    try {
      registry.resolve('simulator', { use: 'lensing/strong-lens', numPix: 4, prior: { lens: { gamma: [1.0, 2.0] } }, noise: { background_rms: [-1, 0] }, colour: 'red' }, 'data');
    } catch (e) { err = e; }
    expect(err).to.be.instanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).to.match(/data\.numPix: .*got 4/);
    expect(msg).to.match(/data\.prior\.lens\.gamma\.0: .*got 1/);
    expect(msg).to.match(/data\.noise\.background_rms\.0: .*got -1/);
    expect(msg).to.match(/data: unknown option "colour"/);
  });

  it('file problems surface with the component path', () => {
    expect(() => build({ sources: { mix: { bank: 1 }, bank: { paths: ['/nonexistent/cosmos.fits'] } } }))
      .to.throw().that.satisfies((e: Error & { cause?: Error }) => /data\.sources\.bank\.paths\[0\]: file not found: \/nonexistent\/cosmos\.fits/.test(e.cause?.message ?? e.message));
  });
});
