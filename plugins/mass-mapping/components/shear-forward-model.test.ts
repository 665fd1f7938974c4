import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/index.js';
import { withBackend } from '../../../core/index.js';
import { kaiserSquiresForward } from '../numerics/index.js';
import { circularHoleMask } from '../forward/hole-mask.js';
import { ShearForwardModel, ShearForwardOptions } from './shear-forward-model.js';

const n = 32;
const kappa = Float32Array.from({ length: n * n }, (_, i) => 0.03 * Math.sin((2 * Math.PI * (i % n)) / n) * Math.cos((4 * Math.PI * Math.floor(i / n)) / n));
const make = (o: Record<string, unknown> = {}) => new ShearForwardModel(ShearForwardOptions.parse(o), Rng.fromSeed(3));

describe('mass-mapping: shear forward model', () => {
  it('uses σ = σ_e / sqrt(n_gal · A_pix) with the documented defaults', () => {
    expect(make().sigma).to.be.closeTo(0.37 / Math.sqrt(30), 1e-12);
    expect(make({ nGal: 10, pixelArcmin: 0.5 }).sigma).to.be.closeTo(0.37 / Math.sqrt(10 * 0.25), 1e-12);
  });

  it('observed shear = KS forward shear + noise of that std; a new draw per call', () => {
    const fm = make();
    const n = 64;
    const kappa = Float32Array.from({ length: n * n }, (_, i) => 0.03 * Math.sin((2 * Math.PI * (i % n)) / n));
    const clean = kaiserSquiresForward(kappa, n);
    const rng = Rng.fromSeed(11);
    const a = fm.observe(kappa, n, rng), b = fm.observe(kappa, n, rng);
    let s = 0, s2 = 0, diff = 0;
    for (let i = 0; i < n * n; i++) {
      for (const r of [a.gamma1[i] - clean.gamma1[i], a.gamma2[i] - clean.gamma2[i]]) { s += r; s2 += r * r; }
      diff += Math.abs(a.gamma1[i] - b.gamma1[i]);
    }
    const m = s / (2 * n * n);
    expect(Math.sqrt(s2 / (2 * n * n) - m * m)).to.be.closeTo(fm.sigma, 0.03 * fm.sigma);
    expect(Math.abs(m)).to.be.lessThan(4 * fm.sigma / Math.sqrt(2 * n * n));
    expect(diff).to.be.greaterThan(0);
    // the same stream state gives the same observation
    const c = fm.observe(kappa, n, Rng.fromSeed(11));
    expect(Array.from(c.gamma1)).to.deep.equal(Array.from(a.gamma1));
  });

  it('view() turns a κ batch into [B, n, n, 2] shear; a mask adds a channel and zeroes masked pixels', () => withBackend('cpu', () => {
    const images = tf.tensor4d(Float32Array.from([...kappa, ...kappa]), [2, n, n, 1]);
    const out = make().view({ images, samples: [], simulator: undefined as never }, Rng.fromSeed(1));
    expect(out.shape).to.deep.equal([2, n, n, 2]);
    const masked = make({ maskHoles: 2, maskHoleRadius: 5 });
    const mo = masked.view({ images, samples: [], simulator: undefined as never }, Rng.fromSeed(1));
    expect(mo.shape).to.deep.equal([2, n, n, 3]);
    const v = mo.dataSync(), mask = masked.mask(n)!;
    const holes = mask.reduce((k, x) => k + (x ? 0 : 1), 0);
    expect(holes).to.be.greaterThan(0);
    for (let i = 0; i < n * n; i++) {
      expect(v[i * 3 + 2]).to.equal(mask[i]);
      if (!mask[i]) expect([v[i * 3], v[i * 3 + 1]]).to.deep.equal([0, 0]);
    }
    tf.dispose([images, out, mo]);
  }));

  it('hole masks: disc area and errors', () => {
    const m = circularHoleMask(64, 1, 6, Rng.fromSeed(2));
    const zeros = m.reduce((k, x) => k + (x ? 0 : 1), 0);
    expect(zeros).to.be.closeTo(Math.PI * 36, 12);
    expect(() => circularHoleMask(64, -1, 6, Rng.fromSeed(2))).to.throw('maskHoles: expected an integer >= 0, got -1');
    expect(() => make().observe(kappa, 31, Rng.fromSeed(1))).to.throw('kappa: expected 961 pixels (31x31), got 1024');
  });
});
