import { expect } from 'chai';
import { loadFixture, maxRelativeError } from '../testing/fixtures.js';
import { gammaFunction } from './gamma-function.js';
import { LightModel } from './light-model.js';
import { gridCoordinates } from '../imaging/pixel-grid.js';
import { SERSIC_LOOKUP_MIN_POINTS, SERSIC_MAX_R_FRAC, sersicBn, SersicProfile, sersicTotalFlux } from './sersic.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
describe('lensing/Sersic light profiles vs lenstronomy 1.14.2 (light_profiles.json)', () => {
  const light = loadFixture('light_profiles.json');
  const xs = Float64Array.from(light.points.x as number[]);
  const ys = Float64Array.from(light.points.y as number[]);

  for (const c of light.cases) {
    for (const type of ['SERSIC', 'SERSIC_ELLIPSE']) {
      it(`${c.name} ${type}: surface brightness at 50 points, total flux and b_n`, () => {
        const m = c[type];
        const model = LightModel.fromKwargs(catalog, [{ type, ...m.kwargs }]);
        const exact = Array.from(xs, (x, i) => model.surfaceBrightness(x, ys[i]));
        const { err, at } = maxRelativeError(exact, m.surface_brightness, 1e-30);
        expect(err, `worst at ${at}`).to.be.lessThan(1e-6);
        const fast = new Float64Array(xs.length);
        model.addSurfaceBrightness(xs, ys, fast);
        expect(maxRelativeError(fast, exact, 1e-30).err).to.be.lessThan(1e-12);
        expect(model.totalFlux()[0]).to.be.closeTo(m.total_flux, 1e-6 * m.total_flux);
        expect(sersicBn(m.kwargs.n_sersic)).to.be.closeTo(c.derived.b_n, 1e-9);
      });
    }
  }

  it('the tabulated kernel (>= 4096 points) stays within 3e-8 of the peak brightness for n in [0.2, 10]', () => {
    const g = gridCoordinates(80, 0.06, 1);
    const n = g.x.length;
    expect(n).to.be.at.least(SERSIC_LOOKUP_MIN_POINTS);
    for (const nSersic of [0.2, 0.5, 1, 2.5, 4, 8, 10]) {
      for (const R_sersic of [0.04, 0.4, 3]) {
        const s = new SersicProfile({ amp: 2, R_sersic, n_sersic: nSersic, e1: 0.2, e2: -0.1, center_x: 0.013, center_y: -0.021 });
        const out = new Float64Array(n);
        s.addSurfaceBrightness(g.x, g.y, out, n);
        const peak = 2 * Math.exp(sersicBn(nSersic));
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i] - s.surfaceBrightness(g.x[i], g.y[i])) / peak);
        expect(worst, `n=${nSersic} R=${R_sersic}`).to.be.lessThan(3e-8);
      }
    }
  });

  it('amp is the surface brightness at R_sersic (circularised radius)', () => {
    const s = new SersicProfile({ amp: 7, R_sersic: 0.8, n_sersic: 2.5, e1: 0.2, e2: -0.1 });
    // a point at elliptical radius R_sersic
    const p = new SersicProfile({ amp: 1, R_sersic: 1, n_sersic: 1, e1: 0.2, e2: -0.1 });
    let x = 0.8, lo = 0, hi = 5;
    for (let k = 0; k < 200; k++) { x = (lo + hi) / 2; if (p.ellipticalRadius(x, 0.3 * x) < 0.8) lo = x; else hi = x; }
    expect(s.surfaceBrightness(x, 0.3 * x)).to.be.closeTo(7, 1e-9);
  });

  it('total flux integrates the elliptical profile (independent of q)', () => {
    const s = new SersicProfile({ amp: 3, R_sersic: 0.3, n_sersic: 1.5, e1: 0.25, e2: 0.1 });
    const h = 0.005, L = 6;
    let sum = 0;
    for (let x = -L + h / 2; x < L; x += h) for (let y = -L + h / 2; y < L; y += h) sum += s.surfaceBrightness(x, y);
    expect(sum * h * h).to.be.closeTo(s.totalFlux(), 2e-3 * s.totalFlux());
    expect(s.totalFlux()).to.be.closeTo(sersicTotalFlux(3, 0.3, 1.5), 1e-12);
  });

  it('is zero beyond max_R_frac and floored at R = 1e-4', () => {
    const s = new SersicProfile({ amp: 1, R_sersic: 0.001, n_sersic: 4 }, 'SERSIC');
    expect(s.surfaceBrightness(0.001 * SERSIC_MAX_R_FRAC * 1.01, 0)).to.equal(0);
    const out = new Float64Array(1);
    s.addSurfaceBrightness(Float64Array.of(0.0011 * SERSIC_MAX_R_FRAC), Float64Array.of(0), out, 1);
    expect(out[0]).to.equal(0);
    expect(s.surfaceBrightness(0, 0)).to.equal(s.surfaceBrightness(1e-4, 0));
    s.addSurfaceBrightness(Float64Array.of(0), Float64Array.of(0), out, 1);
    expect(out[0]).to.be.closeTo(s.surfaceBrightness(0, 0), 1e-12 * out[0]);
  });

  it('b_n is the linear approximation, floored at 1e-5', () => {
    expect(sersicBn(4)).to.be.closeTo(7.6697, 1e-12);
    expect(sersicBn(0.1)).to.equal(1e-5);
    for (const c of light.cases) expect(Math.abs(c.derived.b_n - c.derived.b_n_exact)).to.be.greaterThan(1e-3);
  });

  it('gammaFunction matches scipy.special.gamma', () => {
    // reference: scipy 1.17.1 scipy.special.gamma
    const ref: [number, number][] = [
      [0.5, 1.7724538509055159], [1, 1], [1.5, 0.8862269254527579], [2, 1], [3.3, 2.6834373819557684],
      [6.6178, 355.9938027442623], [0.3, 2.991568987687591], [10.5, 1133278.3889487856], [20, 1.21645100408832e17],
    ];
    for (const [x, g] of ref) expect(gammaFunction(x)).to.be.closeTo(g, 1e-13 * g);
  });
});
