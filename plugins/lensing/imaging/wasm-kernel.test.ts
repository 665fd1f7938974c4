import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENDER_KERNEL_WASM_BASE64 } from './wasm/render-kernel-bytes.js';
import { Rng } from '../../../core/index.js';
import { CoreSersicProfile } from '../profiles/core-sersic.js';
import { EplProfile } from '../profiles/epl.js';
import { InterpolatedProfile } from '../profiles/interpolated.js';
import type { LightProfile } from '../profiles/light-profile.js';
import { SersicProfile } from '../profiles/sersic.js';
import { ShearProfile } from '../profiles/shear.js';
import { SieProfile } from '../profiles/sie.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { Renderer, type Scene } from './renderer.js';
import { RenderWasm } from './wasm-kernel.js';
import { KN, WN, ZigguratNormal } from './ziggurat-normal.js';

/** Largest |a - b| / (|b| + floor) over the pixels. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor));
  return worst;
}

function sersic(rng: Rng, round = false): SersicProfile {
  return new SersicProfile({
    amp: rng.uniform(1, 30), R_sersic: rng.uniform(0.05, 1.5), n_sersic: rng.uniform(0.3, 8),
    e1: round ? 0 : rng.uniform(-0.4, 0.4), e2: round ? 0 : rng.uniform(-0.4, 0.4),
    center_x: rng.uniform(-0.3, 0.3), center_y: rng.uniform(-0.3, 0.3),
  }, round ? 'SERSIC' : 'SERSIC_ELLIPSE');
}

/** A random scene: EPL or SIE (sometimes two lenses), shear, Sersic sources, sometimes a CORE_SERSIC. */
function randomScene(rng: Rng, k: number): Scene {
  const lens = [];
  const cx = rng.uniform(-0.1, 0.1), cy = rng.uniform(-0.1, 0.1);
  if (k % 3 === 2) lens.push(new SieProfile({ theta_E: rng.uniform(0.5, 1.5), e1: rng.uniform(-0.3, 0.3), e2: rng.uniform(-0.3, 0.3), center_x: cx, center_y: cy }));
  else lens.push(new EplProfile({ theta_E: rng.uniform(0.5, 1.8), gamma: rng.uniform(1.3, 2.7), e1: rng.uniform(-0.5, 0.5), e2: rng.uniform(-0.5, 0.5), center_x: cx, center_y: cy }));
  if (k % 4 === 1) lens.push(new EplProfile({ theta_E: 0.2, gamma: 2.1, e1: 0.1, e2: -0.05, center_x: 0.8, center_y: -0.4 }));
  lens.push(new ShearProfile({ gamma1: rng.uniform(-0.1, 0.1), gamma2: rng.uniform(-0.1, 0.1), ra_0: rng.uniform(-0.2, 0.2), dec_0: 0 }));
  const source: LightProfile[] = [sersic(rng, k % 5 === 3)];
  if (k % 2 === 1) source.push(new CoreSersicProfile({ amp: 5, R_sersic: 0.2, Rb: 0.05, n_sersic: 2, gamma: 0.5, alpha: 3, e1: 0.1, e2: 0, center_x: 0.05, center_y: 0 }));
  return { lens, source, lensLight: [sersic(rng)] };
}

describe('lensing/Renderer WebAssembly kernels', () => {
  it('render, source-only and lens-light-only images agree with the TypeScript kernels to 1e-6 relative on random scenes', () => {
    const rng = Rng.fromSeed(2024);
    let worst = 0, scenes = 0;
    for (const [numPix, ss] of [[37, 1], [64, 1], [23, 3], [30, 2]] as const) {
      const opts = { numPix, deltaPix: 0.07, supersampling: ss, psf: { type: 'GAUSSIAN' as const, fwhm: 0.15 } };
      const wasm = new Renderer({ ...opts, kernel: 'wasm' }), js = new Renderer({ ...opts, kernel: 'js' });
      expect(wasm.kernel).to.equal('wasm');
      expect(js.kernel).to.equal('js');
      for (let k = 0; k < 12; k++) {
        const scene = randomScene(rng, k);
        const a = wasm.render(scene), b = js.render(scene);
        let max = 0;
        for (const v of b) max = Math.max(max, Math.abs(v));
        expect(max).to.be.greaterThan(0);
        // per pixel relative, with a floor of 1e-9 of the maximum (float32 resolves 6e-8 of it);
        // below that the TypeScript Sersic table (good to 3e-8 of the PEAK) is the less accurate one
        worst = Math.max(worst, maxRel(a, b, 1e-9 * max));
        for (const which of ['source', 'lensLight'] as const) {
          const ca = wasm.renderComponent(scene, which, k % 2 === 0), cb = js.renderComponent(scene, which, k % 2 === 0);
          worst = Math.max(worst, maxRel(ca, cb, 1e-9 * max));
        }
        scenes++;
      }
    }
    expect(scenes).to.equal(48);
    expect(worst).to.be.lessThan(1e-6);
  });

  it('Sersic and CORE_SERSIC kernels are within 1e-7 relative of Math.exp/Math.pow at every sub-pixel, however faint', () => {
    const rng = Rng.fromSeed(3);
    const r = new Renderer({ numPix: 64, deltaPix: 0.07, kernel: 'wasm' });
    let worst = 0, count = 0;
    for (let k = 0; k < 20; k++) {
      const p: LightProfile = k % 4 === 3
        ? new CoreSersicProfile({ amp: 4, R_sersic: rng.uniform(0.1, 1), Rb: rng.uniform(0.01, 0.2), n_sersic: rng.uniform(1, 6), gamma: rng.uniform(0, 1), alpha: rng.uniform(1, 6), e1: 0.2, e2: -0.1, center_x: 0.1, center_y: 0 })
        : sersic(rng);
      const img = r.renderComponent({ lens: [], source: [], lensLight: [p] }, 'all', false);
      for (let i = 0; i < img.length; i++) {
        const exact = p.surfaceBrightness(r.x[i], r.y[i]) * 0.07 * 0.07;
        if (exact > 1e-300) { worst = Math.max(worst, Math.abs(img[i] - exact) / exact); count++; }
      }
    }
    expect(count).to.be.greaterThan(20 * 64 * 64 * 0.9);
    expect(worst).to.be.lessThan(1e-7);
  });

  it('INTERPOL kernel gives the TypeScript values exactly (edges and outside the stamp included), float32 and float64 stamps', () => {
    const rng = Rng.fromSeed(8);
    const opts = { numPix: 45, deltaPix: 0.05 };
    const wasm = new Renderer({ ...opts, kernel: 'wasm' }), js = new Renderer({ ...opts, kernel: 'js' });
    for (const [rows, cols, f32] of [[17, 23, false], [30, 30, true], [5, 9, false]] as const) {
      const image = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
      for (let i = 0; i < image.length; i++) image[i] = rng.uniform(0, 2);
      // the stamp (scale 0.06") is smaller than the image, so its edges and the outside are sampled
      const p = new InterpolatedProfile({ image, rows, cols, amp: 1.7, center_x: 0.1, center_y: -0.05, phi_G: 0.4, scale: 0.06 });
      // no lens: the same sample positions in both, so the values must be identical
      const scene: Scene = { lens: [], source: [p], lensLight: [] };
      const a = wasm.renderComponent(scene, 'source', false), b = js.renderComponent(scene, 'source', false);
      let zeros = 0, differ = 0;
      for (let i = 0; i < b.length; i++) { if (b[i] === 0) zeros++; if (a[i] !== b[i]) differ++; }
      expect(zeros, 'some pixels fall outside the stamp').to.be.greaterThan(0);
      expect(zeros, 'some pixels fall on it').to.be.lessThan(b.length);
      expect(differ).to.equal(0);
    }
  });

  it('Sersic kernel at the extremes (n 0.2 and 10, R_sersic at the 1e-4 floor, beyond max_R_frac) matches TypeScript to 1e-6', () => {
    const opts = { numPix: 41, deltaPix: 0.05 };
    const wasm = new Renderer({ ...opts, kernel: 'wasm' }), js = new Renderer({ ...opts, kernel: 'js' });
    const cases = [
      { amp: 3, R_sersic: 0.3, n_sersic: 0.2 }, { amp: 3, R_sersic: 0.3, n_sersic: 10 },
      { amp: 3, R_sersic: 1e-5, n_sersic: 1 }, { amp: 3, R_sersic: 1e-3, n_sersic: 4, center_x: 0.4 },
    ];
    for (const c of cases) {
      const scene: Scene = { lens: [], source: [], lensLight: [new SersicProfile({ ...c, e1: 0.2, e2: -0.1 })] };
      const a = wasm.render(scene), b = js.render(scene);
      let max = 0;
      for (const v of b) max = Math.max(max, v);
      expect(maxRel(a, b, 1e-12 * max), JSON.stringify(c)).to.be.lessThan(1e-6);
    }
  });

  it('noise: the same deviates in the same order (noisy normalised images agree to float32 rounding)', () => {
    const opts = { numPix: 50, deltaPix: 0.05, psf: { type: 'GAUSSIAN' as const, fwhm: 0.1 } };
    const wasm = new Renderer({ ...opts, kernel: 'wasm' }), js = new Renderer({ ...opts, kernel: 'js' });
    const scene = randomScene(Rng.fromSeed(5), 0);
    const noise = { background_rms: 0.05, exposure_time: 1000 };
    const ra = Rng.fromSeed(77), rb = Rng.fromSeed(77);
    for (let k = 0; k < 5; k++) {
      const a = wasm.render(scene, { noise, rng: ra, normalize: true });
      const b = js.render(scene, { noise, rng: rb, normalize: true });
      // a different deviate would move a pixel by ~0.05 / max; the kernels differ by ~1e-9
      let d = 0;
      for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
      expect(d).to.be.lessThan(1e-6);
      expect(Math.max(...a)).to.equal(1);
    }
    expect(ra.nextUint32()).to.equal(rb.nextUint32());
  });

  it('ziggurat bulk draws (WebAssembly fast path, TypeScript wedge/tail) are bit-identical to next()', () => {
    const n = 1 << 17;
    const w = RenderWasm.create(n, 363)!; // deviates scratch holds 363^2 >= n doubles
    expect(w).to.not.equal(null);
    w.zigguratTables(KN, WN);
    const bulk = new ZigguratNormal(Rng.fromSeed(9)), ref = new ZigguratNormal(Rng.fromSeed(9));
    const g = w.deviates;
    let slow = 0;
    bulk.fillBulk(g, n, w.zigState, (from) => { const i = w.zigguratDraw(from, n); if (i < n) slow++; return i; });
    for (let i = 0; i < n; i++) if (g[i] !== ref.next()) throw new Error(`deviate ${i}: bulk ${g[i]} != next()`);
    expect(bulk.next()).to.equal(ref.next());
    // ~1.2% of the 128-layer ziggurat's draws take the slow path
    expect(slow).to.be.within(0.005 * n, 0.03 * n);
  });

  it('rejects a bad kernel choice naming the field and the value; LENSFORGE_RENDER_WASM=0 selects TypeScript', () => {
    expect(() => new Renderer({ numPix: 8, deltaPix: 0.1, kernel: 'gpu' as never }))
      .to.throw(SpecValidationError, "kernel: expected 'auto', 'wasm' or 'js', got gpu");
    const before = process.env.LENSFORGE_RENDER_WASM;
    try {
      process.env.LENSFORGE_RENDER_WASM = '0';
      expect(new Renderer({ numPix: 8, deltaPix: 0.1 }).kernel).to.equal('js');
      delete process.env.LENSFORGE_RENDER_WASM;
      expect(new Renderer({ numPix: 8, deltaPix: 0.1 }).kernel).to.equal('wasm');
    } finally {
      if (before === undefined) delete process.env.LENSFORGE_RENDER_WASM; else process.env.LENSFORGE_RENDER_WASM = before;
    }
  });

  it('the embedded kernel bytes are the committed render-kernel.wasm (rebuild both with npm run build:render-wasm)', () => {
    const file = readFileSync(join(process.cwd(), 'plugins/lensing/imaging/wasm/render-kernel.wasm'));
    expect(Buffer.from(RENDER_KERNEL_WASM_BASE64, 'base64').equals(file)).to.equal(true);
  });
});
