import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, writeNpy } from '../../../core/index.js';
import { blobKappa } from '../catalog/synthetic-catalog.js';
import { addShapeNoise, kaiserSquiresForward, kaiserSquiresInverse } from '../numerics/index.js';
import { dataDrivenPrior, priorFromNpy } from './wiener-prior.js';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('mass-mapping map: Wiener priors', () => {
  it('data-driven prior: for a noiseless pure-E shear it is the ring average of the E-mode power (same total, n² Σκ_E²)', () => {
    const n = 24;
    const shear = kaiserSquiresForward(blobKappa(n, [{ x: 5, y: 7, amplitude: 0.2, sigma: 2 }, { x: 16, y: 18, amplitude: 0.1, sigma: 3 }]), n);
    const s = dataDrivenPrior(shear, n);
    const { kappaE } = kaiserSquiresInverse(shear.gamma1, shear.gamma2, n);
    expect(sum(s) / (n * n * sum(kappaE.map((v) => v * v)))).to.be.closeTo(1, 1e-9);
    expect(s[0]).to.equal(0);
    expect(s[1], 'isotropic: the four |k| = 1 modes share one value').to.equal(s[n]);
  });

  it('data-driven prior: for pure shape noise the E-minus-B power is a small fraction of the noise power', () => {
    const n = 32;
    const noise = addShapeNoise({ gamma1: new Float64Array(n * n), gamma2: new Float64Array(n * n) }, 0.05, Rng.fromSeed(4));
    const s = dataDrivenPrior(noise, n);
    const { kappaE } = kaiserSquiresInverse(noise.gamma1, noise.gamma2, n);
    expect(sum(s) / (n * n * sum(kappaE.map((v) => v * v)))).to.be.lessThan(0.2);
  });

  it('--prior FILE.npy: the mean mode power of the maps; a shape other than the grid is refused naming the file and shapes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-prior-'));
    const f = join(dir, 'maps.npy');
    const m = blobKappa(8, [{ x: 2, y: 3, amplitude: 1, sigma: 1 }]);
    writeNpy(f, Float32Array.from([...m, ...m.map((v) => 2 * v)]), [2, 8, 8]);
    const p = priorFromNpy(f, 8);
    expect(p[0]).to.be.closeTo(((1 + 4) / 2) * sum(m) ** 2, 1e-3 * sum(m) ** 2);
    expect(() => priorFromNpy(f, 16)).to.throw(`--prior ${f}: expected κ maps of shape [M, 16, 16] or [16, 16] (the map grid), got [2, 8, 8]`);
  });
});
