import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { BANDS, colourToFluxRatio, DEFAULT_MEMBER_COLOURS, DEFAULT_NOISE, N_BANDS } from '../sim/bands.js';
import { defaultClusterConfig } from '../sim/cluster-options.js';
import { OBJECT_KIND, type ClusterScene } from '../sim/cluster-scene.js';
import { ClusterSimulator, type ClusterSampleScene } from './cluster-simulator.js';
import { nfwEnclosed, nfwSigma, ProjectedNfwSampler } from '../sim/nfw-profile.js';
import { IDENTITY_OBSERVATION, renderNoiseless } from '../sim/render-bands.js';

function sim(over: Parameters<typeof defaultClusterConfig>[0] = {}, seed = 3): ClusterSimulator {
  return new ClusterSimulator(defaultClusterConfig(over), Rng.fromSeed(seed));
}

function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / xs.length; }

function corr(a: number[], b: number[]): number {
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

describe('band-pretext/clusters simulator', () => {
  it('is deterministic per (seed, split, index) and gives 5-band images with lambda and group labels', () => {
    const s = sim({ size: 24 });
    const a = s.sample(7, 'train'), b = s.sample(7, 'train'), c = s.sample(7, 'test');
    expect(s.imageShape).to.deep.equal([24, 24, 5]);
    expect(a.image.length).to.equal(24 * 24 * 5);
    expect(Array.from(a.image)).to.deep.equal(Array.from(b.image));
    expect(Array.from(a.image)).to.not.deep.equal(Array.from(c.image));
    expect(a.group).to.equal(7);
    expect(a.labels.lambda).to.be.within(20, 100);
    expect(Object.keys(a.labels)).to.deep.equal(['lambda', 'cluster', 'members', 'members_in_image']);
  });

  it('observations of one cluster share its group and richness but not the noise', () => {
    const s = sim({ size: 24, observationsPerCluster: 3 });
    const [o0, o1, o2, o3] = [0, 1, 2, 3].map((i) => s.sample(i));
    expect([o0.group, o1.group, o2.group, o3.group]).to.deep.equal([0, 0, 0, 1]);
    expect(o1.labels.lambda).to.equal(o0.labels.lambda);
    expect(o3.labels.lambda).to.not.equal(o0.labels.lambda);
    expect(Array.from(o1.image)).to.not.deep.equal(Array.from(o0.image));
    const view = s.renderView(o0, Rng.fromSeed(9));
    expect(view.length).to.equal(o0.image.length);
  });

  it('draws Poisson(lambda) members, so the member count grows with lambda', () => {
    const low = sim({ size: 32, lambdaRange: [20, 20] }), high = sim({ size: 32, lambdaRange: [80, 80] });
    const nLow = Array.from({ length: 150 }, (_, i) => low.scene(i).members);
    const nHigh = Array.from({ length: 150 }, (_, i) => high.scene(i).members);
    // mean of 150 Poisson draws: standard error sqrt(lambda/150) = 0.37 (lambda 20), 0.73 (lambda 80)
    expect(mean(nLow)).to.be.closeTo(20, 4 * 0.37);
    expect(mean(nHigh)).to.be.closeTo(80, 4 * 0.73);
    const wide = sim({ size: 32, lambdaRange: [20, 100] });
    const scenes: ClusterScene[] = Array.from({ length: 200 }, (_, i) => wide.scene(i));
    expect(corr(scenes.map((sc) => sc.lambda), scenes.map((sc) => sc.membersInImage))).to.be.greaterThan(0.9);
    // the BCG is one extra object at the centre
    expect(scenes[0].objects.filter((o) => o.kind === OBJECT_KIND.bcg)).to.have.length(1);
  });

  it('renders members with red-sequence colours: faint in u, bright in r/i/z, flux ratios as configured', () => {
    const s = sim({ size: 48, fieldDensity: 0, starDensity: 0, lambdaRange: [60, 60], rLambda100: 0.6 });
    const tot = new Float64Array(N_BANDS);
    for (let c = 0; c < 20; c++) {
      const img = renderNoiseless(s.scene(c), s.config, IDENTITY_OBSERVATION);
      for (let i = 0; i < img.length; i++) tot[i % N_BANDS] += img[i];
    }
    for (let b = 1; b < N_BANDS; b++) expect(tot[b], `${BANDS[b]} brighter than ${BANDS[b - 1]}`).to.be.greaterThan(tot[b - 1]);
    // ratios to r: 10^(-0.4 (m_b - m_r)); colour scatter 0.05 mag averages out over ~1200 members
    for (let b = 0; b < N_BANDS; b++) expect(tot[b] / tot[2]).to.be.closeTo(colourToFluxRatio(DEFAULT_MEMBER_COLOURS[b]), 0.03 * colourToFluxRatio(DEFAULT_MEMBER_COLOURS[b]));
  });

  it('conserves the flux of a point source (PSF core + wing normalised)', () => {
    const cfg = defaultClusterConfig({ size: 40 });
    const scene: ClusterScene = { lambda: 1, cluster: 0, members: 0, membersInImage: 0,
      objects: [{ kind: OBJECT_KIND.star, x: 19.3, y: 20.1, cxx: 0, cxy: 0, cyy: 0, flux: [1, 2, 3, 4, 5] }] };
    const img = renderNoiseless(scene, cfg);
    const tot = new Float64Array(N_BANDS);
    for (let i = 0; i < img.length; i++) tot[i % N_BANDS] += img[i];
    // the core is cut at 4 sigma and the wing at 3 sigma: the missing wing light is 0.1 * exp(-4.5) ~ 0.1 %
    [1, 2, 3, 4, 5].forEach((f, b) => expect(tot[b]).to.be.closeTo(f, 0.005 * f));
  });

  it('adds Gaussian background noise per band as configured (u and z noisiest by default)', () => {
    const check = (noise: [number, number, number, number, number]) => {
      const s = sim({ size: 64, noise, noiseJitter: 0 });
      const smp = s.sample(1);
      const { scene, observation } = smp.scene as ClusterSampleScene;
      const clean = renderNoiseless(scene, s.config, observation);
      for (let b = 0; b < N_BANDS; b++) {
        let ss = 0, n = 0;
        for (let i = b; i < clean.length; i += N_BANDS) { ss += (smp.image[i] - clean[i]) ** 2; n++; }
        // 4096 pixels: relative standard error of an rms ~ 1/sqrt(2 n) = 1.1 %
        expect(Math.sqrt(ss / n), `band ${BANDS[b]}`).to.be.closeTo(noise[b], 0.045 * noise[b]);
      }
    };
    check([...DEFAULT_NOISE]);
    check([0.5, 0.01, 0.2, 0.05, 0.3]);
    const order = [...DEFAULT_NOISE].map((v, b) => [v, b]).sort((x, y) => y[0] - x[0]).map((x) => BANDS[x[1]]);
    expect(order.slice(0, 2).sort()).to.deep.equal(['u', 'z']);
  });

  it('adds the sky level per pixel when not sky-subtracted', () => {
    const s = sim({ size: 16, skySubtracted: false, noise: [0, 0, 0, 0, 0], lambdaRange: [1, 1], fieldDensity: 0, starDensity: 0, bcgLuminosity: 1e-9 });
    const img = s.sample(0).image;
    // pixel (0, 0) far from the faint centre: sky * pixelScale^2 = [1.45, 1.91, 3.98, 7.59, 36.3] * 0.36
    expect(img[0]).to.be.closeTo(1.45 * 0.36, 1e-3);
    expect(img[4]).to.be.closeTo(36.3 * 0.36, 1e-2);
  });

  it('rejects a bad sample index with a message naming it', () => {
    expect(() => sim({ size: 16 }).sample(-1)).to.throw('sample index: expected an integer >= 0, got -1');
  });
});

describe('projected NFW profile', () => {
  it('g(X) equals the integral of X Sigma(X) (trapezoid, 20000 steps)', () => {
    for (const X of [0.3, 1, 2.5, 4]) {
      const n = 20000, h = X / n;
      let s = 0;
      for (let k = 1; k <= n; k++) { const a = (k - 1) * h, b = k * h; s += 0.5 * h * ((a > 0 ? a * nfwSigma(a) : 0) + b * nfwSigma(b)); }
      expect(nfwEnclosed(X)).to.be.closeTo(s, 2e-4 * Math.max(1, s));
    }
  });

  it('samples radii whose empirical CDF follows g(X)/g(c)', () => {
    const nfw = new ProjectedNfwSampler(4);
    const rng = Rng.fromSeed(11);
    const xs = Array.from({ length: 4000 }, () => nfw.sample(rng)).sort((a, b) => a - b);
    let d = 0;
    xs.forEach((x, i) => { d = Math.max(d, Math.abs((i + 1) / xs.length - nfw.cdfAt(x)), Math.abs(i / xs.length - nfw.cdfAt(x))); });
    // KS critical value at alpha = 0.001 for n = 4000: 1.95 / sqrt(4000) = 0.031
    expect(d).to.be.lessThan(0.031);
    expect(xs[xs.length - 1]).to.be.at.most(4);
  });

  it('rejects a non-positive concentration', () => {
    expect(() => new ProjectedNfwSampler(0)).to.throw('concentration: expected a finite number > 0, got 0');
  });
});
