import { expect } from 'chai';
import { SersicProfile } from '../profiles/sersic.js';
import { coreSersicAmpForFlux, coreSersicUnitFlux, sersicAmpForFlux } from './light-flux.js';

describe('lensing/population/light-flux', () => {
  it('SERSIC amp for a total flux gives that lenstronomy total flux', () => {
    const amp = sersicAmpForFlux(25, 0.3, 1.5);
    expect(new SersicProfile({ amp, R_sersic: 0.3, n_sersic: 1.5, e1: 0.2, e2: -0.1 }).totalFlux()).to.be.closeTo(25, 1e-12);
  });

  it('CORE_SERSIC unit flux matches scipy quad of lenstronomy\'s formula', () => {
    // 2 pi int_0^{1000 R_sersic} I(R) R dR with amp = 1, b_n = 1.9992 n - 0.3271, R floored at 1e-4,
    // integrated with scipy.integrate.quad (scipy 1.10.1) during development
    const cases: Array<[number, number, number, number, number, number]> = [
      [0.3, 0.03, 4, 0.3, 3, 1.9630420998474698],
      [0.2, 0.02, 2, 0.0, 3, 0.6431968873133205],
      [0.25, 0.05, 3, 0.5, 2, 1.1410844159357372],
      [0.2, 0.01, 8, 1.5, 3, 1.3246593027514093],
    ];
    for (const [R_sersic, Rb, n_sersic, gamma, alpha, want] of cases) {
      expect(coreSersicUnitFlux({ R_sersic, Rb, n_sersic, gamma, alpha })).to.be.closeTo(want, 1e-5 * want);
      expect(coreSersicAmpForFlux(10, { R_sersic, Rb, n_sersic, gamma, alpha }) * want).to.be.closeTo(10, 1e-4);
    }
  });
});
