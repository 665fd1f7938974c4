import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ComponentFactory, makePair, Registry, Rng, stackSamples, type Batch, type Sample, type Simulator } from '../../../core/index.js';
import { withBackend } from '../../../core/index.js';
import { lensingPlugin } from '../plugin.js';
import { LensPairAugmenter } from './lens-pair-augmenter.js';
import type { StrongLensSimulator } from './strong-lens-simulator.js';

const N = 16;
const registry = new Registry();
registry.loadPlugin(lensingPlugin);
const factory = new ComponentFactory(registry, Rng.fromSeed(3));
const sim = factory.create<StrongLensSimulator>('simulator', { use: 'lensing/strong-lens', numPix: N, deltaPix: 0.3 }, 'data');
const aug = (opts: Record<string, unknown> = {}) => factory.create<LensPairAugmenter>('augmenter', { use: 'lensing/lens-pair', ...opts }, 'augment');

/** Labels that throw when read: the augmenter must never look at them. */
function sealedLabels(): Record<string, number> {
  return new Proxy({}, { get: () => { throw new Error('labels were read'); }, ownKeys: () => { throw new Error('labels were read'); } });
}

/** A simulator that stores views but cannot re-render (like io/dataset). */
const diskSim: Simulator = { imageShape: [N, N, 1], labelNames: ['theta_E'], size: 10, sample: () => { throw new Error('unused'); } };
const img = (v: number) => new Float32Array(N * N).fill(v);

function batchOf(samples: Sample[], simulator: Simulator): Batch {
  return { images: stackSamples(samples, [N, N, 1]), samples, simulator };
}

describe('lensing/components/lens-pair-augmenter', () => {
  it('re-renders each lens twice with independent nuisances (live simulator)', () => withBackend('cpu', () => {
    const samples = [0, 1, 2].map((i) => sim.sample(i));
    const batch = batchOf(samples, sim);
    const rng = Rng.fromSeed(9);
    const [a, b] = aug().pair(batch, rng);
    expect(a.shape).to.deep.equal([3, N, N, 1]);
    const av = a.dataSync(), bv = b.dataSync();
    for (let i = 0; i < 3; i++) {
      const ai = av.slice(i * N * N, (i + 1) * N * N), bi = bv.slice(i * N * N, (i + 1) * N * N);
      // exactly the simulator's renderView of this sample with the per-sample streams
      expect(Array.from(ai)).to.deep.equal(Array.from(sim.renderView(samples[i], rng.derive(`a:${i}`))));
      expect(Array.from(bi)).to.deep.equal(Array.from(sim.renderView(samples[i], rng.derive(`b:${i}`))));
      expect(Array.from(ai)).to.not.deep.equal(Array.from(bi));
      expect(Array.from(ai)).to.not.deep.equal(Array.from(samples[i].image));
    }
    // makePair (what SimSiam calls) uses pair(); view() makes one new rendering
    const [c] = makePair(aug(), batch, Rng.fromSeed(9));
    expect(Array.from(c.dataSync())).to.deep.equal(Array.from(av));
    const v = aug().view(batch, Rng.fromSeed(4));
    expect(Array.from(v.dataSync().slice(0, N * N))).to.deep.equal(Array.from(sim.renderView(samples[0], Rng.fromSeed(4).derive('view:0'))));
    tf.dispose([a, b, c, v, batch.images]);
  }));

  it('labels travel with the samples but are never read', () => withBackend('cpu', () => {
    const live = [0, 1].map((i) => ({ ...sim.sample(i), labels: sealedLabels() }));
    const stored: Sample[] = [{ image: img(1), views: [img(1), img(2)], labels: sealedLabels() }];
    const out = [...aug().pair(batchOf(live, sim), Rng.fromSeed(1)), ...aug().pair(batchOf(stored, diskSim), Rng.fromSeed(1)), aug().view(batchOf(live, sim), Rng.fromSeed(2))];
    expect(out.length).to.equal(5);
    tf.dispose(out);
  }));

  it('uses the stored views of a dataset on disk: views 0 and 1, or two distinct random ones', () => withBackend('cpu', () => {
    const two: Sample[] = [{ image: img(1), views: [img(1), img(2)], labels: {} }, { image: img(3), views: [img(3), img(4)], labels: {} }];
    const [a, b] = aug().pair(batchOf(two, diskSim), Rng.fromSeed(1));
    expect(Array.from(a.dataSync()).filter((_, k) => k % (N * N) === 0)).to.deep.equal([1, 3]);
    expect(Array.from(b.dataSync()).filter((_, k) => k % (N * N) === 0)).to.deep.equal([2, 4]);
    const four: Sample[] = [{ image: img(0), views: [img(0), img(1), img(2), img(3)], labels: {} }];
    const picks = new Set<string>();
    for (let s = 0; s < 30; s++) {
      const [x, y] = aug().pair(batchOf(four, diskSim), Rng.fromSeed(s));
      const p = [x.dataSync()[0], y.dataSync()[0]];
      expect(p[0]).to.not.equal(p[1]);
      picks.add(p.join(','));
      tf.dispose([x, y]);
    }
    expect(picks.size).to.be.greaterThan(6);
    // view() of a stored sample is one of its views
    const v = aug().view(batchOf(four, diskSim), Rng.fromSeed(5));
    expect([0, 1, 2, 3]).to.include(v.dataSync()[0]);
    // with a live simulator, useStoredViews: false re-renders even when views are stored
    const s0 = { ...sim.sample(0), views: [img(7), img(8)] };
    const [r] = aug({ useStoredViews: false }).pair(batchOf([s0], sim), Rng.fromSeed(1));
    expect(Array.from(r.dataSync())).to.deep.equal(Array.from(sim.renderView(s0, Rng.fromSeed(1).derive('a:0'))));
    tf.dispose([a, b, v, r]);
  }));

  it('explains why it cannot make a view', () => withBackend('cpu', () => {
    const one: Sample[] = [{ image: img(1), views: [img(1)], labels: {} }];
    expect(() => aug().pair(batchOf(one, diskSim), Rng.fromSeed(1)))
      .to.throw(/augment: lensing\/lens-pair cannot make a new view of sample 0: .* has no renderView and the sample has fewer than 2 stored views; use data: lensing\/strong-lens, or a dataset written by `lensforge simulate` with simulate\.views >= 2/);
    const noScene: Sample[] = [{ image: img(1), labels: {} }];
    expect(() => aug().view(batchOf(noScene, sim), Rng.fromSeed(1))).to.throw(/cannot re-render sample 0: it has no scene/);
    const stored: Sample[] = [{ image: img(1), views: [img(1), img(2)], labels: {} }];
    expect(() => aug({ useStoredViews: false }).pair(batchOf(stored, sim), Rng.fromSeed(1))).to.throw(/set augment\.useStoredViews: true/);
  }));
});
