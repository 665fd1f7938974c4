import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { EplProfile } from '../profiles/epl.js';
import { MassModel } from '../profiles/mass-model.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { SersicProfile } from '../profiles/sersic.js';
import { ShearProfile } from '../profiles/shear.js';
import { loadFixture } from '../testing/fixtures.js';
import { GaussianPsf } from './gaussian-psf.js';
import { downsampleMean } from './pixel-grid.js';
import { PixelPsf } from './pixel-psf.js';
import { renderSystemParts } from './render-system.js';
import { Renderer, type Scene } from './renderer.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
/** max |a - ref| / max |ref| */
function relToMax(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < ref.length; i++) { d = Math.max(d, Math.abs(a[i] - ref[i])); m = Math.max(m, Math.abs(ref[i])); }
  return d / m;
}

describe('lensing/Renderer vs lenstronomy 1.14.2 images (images.json)', () => {
  const images = loadFixture('images.json');
  const im = images.images[0];
  const specFor = (ss: number): object => ({
    numPix: im.num_pix, deltaPix: im.delta_pix, supersampling: ss,
    lens: im.lens_model_list.map((t: string, i: number) => ({ type: t, ...im.kwargs_lens[i] })),
    source: im.source_light_model_list.map((t: string, i: number) => ({ type: t, ...im.kwargs_source[i] })),
    lensLight: im.lens_light_model_list.map((t: string, i: number) => ({ type: t, ...im.kwargs_lens_light[i] })),
    psf: { type: 'GAUSSIAN', fwhm: images.psf['0.08'].fwhm_arcsec, truncation: images.psf['0.08'].truncation_sigmas },
  });

  for (const ss of [1, 3]) {
    it(`ss=${ss}: convolved and unconvolved images agree to 1e-5 of the maximum`, () => {
      const parts = renderSystemParts(specFor(ss), catalog);
      const conv = im.variants[`conv_ss${ss}`], unconv = im.variants[`unconv_ss${ss}`];
      expect(parts.noiseless.length).to.equal(64 * 64);
      expect(relToMax(parts.noiseless, conv.data)).to.be.lessThan(1e-5);
      expect(relToMax(parts.unconvolved, unconv.data)).to.be.lessThan(1e-5);
      expect(relToMax(parts.image, conv.data)).to.be.lessThan(1e-5);
      expect(parts.noiseless.reduce((a, b) => a + b, 0)).to.be.closeTo(conv.sum, 1e-5 * conv.sum);
      expect(Math.max(...parts.unconvolved)).to.be.closeTo(unconv.max, 1e-5 * unconv.max);
    });
  }

  it('ss=1: source-only and lens-light-only images agree to 1e-5 of the maximum', () => {
    const parts = renderSystemParts(specFor(1), catalog);
    expect(relToMax(parts.source, im.variants.source_only_conv_ss1.data)).to.be.lessThan(1e-5);
    expect(relToMax(parts.lensLight, im.variants.lens_light_only_conv_ss1.data)).to.be.lessThan(1e-5);
  });
});

describe('lensing/Renderer behaviour', () => {
  const scene: Scene = {
    lens: [
      new EplProfile({ theta_E: 1.1, gamma: 2.1, e1: 0.1, e2: -0.05, center_x: 0, center_y: 0 }),
      new ShearProfile({ gamma1: 0.02, gamma2: -0.01, ra_0: 0, dec_0: 0 }),
    ],
    source: [new SersicProfile({ amp: 20, R_sersic: 0.3, n_sersic: 1.5, e1: 0.1, e2: 0, center_x: 0.05, center_y: 0.02 })],
    lensLight: [new SersicProfile({ amp: 5, R_sersic: 1, n_sersic: 3, e1: 0.05, e2: 0 })],
  };

  it('PSF-free render equals the mean over sub-samples times deltaPix^2 of exact surface brightness', () => {
    const r = new Renderer({ numPix: 12, deltaPix: 0.1, supersampling: 2 });
    const img = r.render(scene);
    const hi = new Float64Array(r.x.length);
    r.x.forEach((x, i) => {
      const y = r.y[i];
      let ax = 0, ay = 0;
      for (const p of scene.lens) { const a = p.deflection(x, y); ax += a[0]; ay += a[1]; }
      hi[i] = scene.source[0].surfaceBrightness(x - ax, y - ay) + scene.lensLight[0].surfaceBrightness(x, y);
    });
    const want = new Float64Array(144);
    downsampleMean(hi, 12, 2, want, 0.01);
    want.forEach((v, i) => expect(img[i]).to.be.closeTo(v, 1e-6 * v));
  });

  it('normalises to a maximum of 1 and fills a caller buffer', () => {
    const r = new Renderer({ numPix: 16, deltaPix: 0.1, psf: { type: 'GAUSSIAN', fwhm: 0.15 } });
    const out = new Float32Array(256);
    const img = r.render(scene, { normalize: true, out });
    expect(img).to.equal(out);
    expect(Math.max(...img)).to.be.closeTo(1, 1e-7);
    expect(() => r.render(scene, { out: new Float32Array(10) })).to.throw('render: options.out must have numPix^2 = 256 elements, got 10');
  });

  it('noise needs an rng and is reproducible for a seed', () => {
    const r = new Renderer({ numPix: 16, deltaPix: 0.1 });
    const noise = { background_rms: 0.05, exposure_time: 500 };
    expect(() => r.render(scene, { noise })).to.throw('render: options.rng is required when options.noise is set');
    const a = r.render(scene, { noise, rng: Rng.fromSeed(1) });
    const b = r.render(scene, { noise, rng: Rng.fromSeed(1) });
    const clean = r.render(scene);
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    let d2 = 0, want = 0;
    for (let i = 0; i < 256; i++) { d2 += (a[i] - clean[i]) ** 2; want += 0.0025 + Math.abs(clean[i]) / 500; }
    expect(d2 / want).to.be.closeTo(1, 0.3);
    // each render re-seeds from the stream: consecutive renders differ, the sequence reproduces
    const rng = Rng.fromSeed(9);
    const first = r.render(scene, { noise, rng }), second = r.render(scene, { noise, rng });
    expect(Array.from(second)).to.not.deep.equal(Array.from(first));
    const again = Rng.fromSeed(9);
    expect(Array.from(r.render(scene, { noise, rng: again }))).to.deep.equal(Array.from(first));
    expect(Array.from(r.render(scene, { noise, rng: again }))).to.deep.equal(Array.from(second));
  });

  it('applies a pixel-scale PIXEL kernel after down-sampling and a supersampled one before', () => {
    const g = new GaussianPsf(0.2, 0.1, 3);
    const kernel = g.kernel2d();
    const viaPixel = new Renderer({ numPix: 20, deltaPix: 0.1, psf: new PixelPsf(kernel, { pixelScale: 0.1 }) }).render(scene);
    const raw = new Renderer({ numPix: 20, deltaPix: 0.1 }).renderComponent(scene, 'all', false);
    const manual = new PixelPsf(kernel).convolve(raw, 20, 20, new Float64Array(400));
    manual.forEach((v, i) => expect(viaPixel[i]).to.be.closeTo(v, 1e-6 * Math.abs(v) + 1e-12));

    // supersampled kernel (s = 2): convolve the 40x40 sub-pixel image, then average
    const gHi = new GaussianPsf(0.2, 0.05, 3);
    const hiPsf = new PixelPsf(gHi.kernel2d(), { supersampling: 2, pixelScale: 0.05 });
    const viaHi = new Renderer({ numPix: 20, deltaPix: 0.1, supersampling: 2, psf: hiPsf }).render(scene);
    const r2 = new Renderer({ numPix: 20, deltaPix: 0.1, supersampling: 2 });
    const hi = new Float64Array(1600);
    r2.x.forEach((x, i) => {
      const y = r2.y[i];
      let ax = 0, ay = 0;
      for (const p of scene.lens) { const a = p.deflection(x, y); ax += a[0]; ay += a[1]; }
      hi[i] = scene.source[0].surfaceBrightness(x - ax, y - ay) + scene.lensLight[0].surfaceBrightness(x, y);
    });
    const conv = new PixelPsf(gHi.kernel2d()).convolve(hi, 40, 40, new Float64Array(1600));
    const want = new Float64Array(400);
    downsampleMean(conv, 20, 2, want, 0.01);
    want.forEach((v, i) => expect(viaHi[i]).to.be.closeTo(v, 1e-6 * Math.abs(v) + 1e-12));
  });

  it('rejects a geometry or PSF that does not fit, listing every problem', () => {
    let err: SpecValidationError | undefined;
    try {
      new Renderer({ numPix: 0, deltaPix: 0.1, supersampling: 3, psf: new PixelPsf([1], { supersampling: 2, pixelScale: 0.07 }) });
    } catch (e) { err = e as SpecValidationError; }
    expect(err!.issues).to.deep.equal([
      'numPix: expected an integer in [1, 4096], got 0',
      'psf.supersampling: expected 1 or the render supersampling 3, got 2',
      'psf.pixelScale: expected 0.05 (deltaPix / psf.supersampling), got 0.07',
    ]);
    expect(() => new Renderer({ numPix: 10, deltaPix: 0.1, psf: new GaussianPsf(0.1, 0.05) })).to.throw(
      'psf: GaussianPsf built for deltaPix 0.05, renderer uses 0.1');
  });

  it('folds several external shears (with ra_0/dec_0) into the lens equation exactly', () => {
    const lens = [
      new ShearProfile({ gamma1: 0.03, gamma2: -0.02, ra_0: 0.3, dec_0: -0.1 }),
      new EplProfile({ theta_E: 0.9, gamma: 1.9, e1: -0.1, e2: 0.2, center_x: 0.1, center_y: 0 }),
      new ShearProfile({ gamma1: -0.01, gamma2: 0.04, ra_0: -0.2, dec_0: 0.5 }),
    ];
    const s2: Scene = { lens, source: scene.source, lensLight: [] };
    const r = new Renderer({ numPix: 14, deltaPix: 0.1 });
    const img = r.render(s2);
    const model = new MassModel(lens);
    r.x.forEach((x, i) => {
      const [bx, by] = model.rayShoot(x, r.y[i]);
      const want = scene.source[0].surfaceBrightness(bx, by) * 0.01;
      expect(img[i]).to.be.closeTo(want, 1e-6 * want + 1e-12);
    });
  });

  it('without lens profiles the source is seen unlensed', () => {
    const r = new Renderer({ numPix: 10, deltaPix: 0.1 });
    const img = r.render({ lens: [], source: scene.source, lensLight: [] });
    const want = scene.source[0].surfaceBrightness(r.x[37], r.y[37]) * 0.01;
    expect(img[37]).to.be.closeTo(want, 1e-6 * want);
  });
});
