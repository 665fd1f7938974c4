import { expect } from 'chai';
import { loadFixture, maxRelativeError } from '../testing/fixtures.js';
import { CoreSersicProfile } from './core-sersic.js';
import { LightModel } from './light-model.js';
import { SersicProfile } from './sersic.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
describe('lensing/CORE_SERSIC vs lenstronomy 1.14.2 (light_profiles.json)', () => {
  const light = loadFixture('light_profiles.json');
  const xs = Float64Array.from(light.points.x as number[]);
  const ys = Float64Array.from(light.points.y as number[]);

  for (const c of light.cases) {
    it(`${c.name}: surface brightness at 50 points (exact and fast kernel)`, () => {
      const m = c.CORE_SERSIC;
      const model = LightModel.fromKwargs(catalog, [{ type: 'CORE_SERSIC', ...m.kwargs, alpha: m.alpha }]);
      const exact = Array.from(xs, (x, i) => model.surfaceBrightness(x, ys[i]));
      const { err, at } = maxRelativeError(exact, m.surface_brightness, 1e-30);
      expect(err, `worst at ${at}`).to.be.lessThan(1e-6);
      const fast = new Float64Array(xs.length);
      model.addSurfaceBrightness(xs, ys, fast);
      expect(maxRelativeError(fast, exact, 1e-30).err).to.be.lessThan(1e-11);
    });
  }

  it('reduces to SERSIC_ELLIPSE when Rb = 0 and gamma = 0', () => {
    const kw = { amp: 4, R_sersic: 0.7, n_sersic: 2.2, e1: 0.1, e2: -0.2, center_x: 0.1, center_y: 0 };
    const core = new CoreSersicProfile({ ...kw, Rb: 0, gamma: 0 });
    const sersic = new SersicProfile(kw);
    for (const [x, y] of [[0.3, 0.1], [1.5, -2], [-0.05, 0.02]]) {
      expect(core.surfaceBrightness(x, y)).to.be.closeTo(sersic.surfaceBrightness(x, y), 1e-12 * sersic.surfaceBrightness(x, y));
    }
  });

  it('has no total flux (lenstronomy does not define one)', () => {
    const model = LightModel.fromKwargs(catalog, [{ type: 'CORE_SERSIC', amp: 1, R_sersic: 1, Rb: 0.1, n_sersic: 2, gamma: 0.2 }]);
    expect(() => model.totalFlux()).to.throw('totalFlux: profile CORE_SERSIC does not define a total flux (only SERSIC and SERSIC_ELLIPSE do)');
  });
});
