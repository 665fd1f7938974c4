import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { InterpolatedProfile } from '../profiles/interpolated.js';
import { sersicBn } from '../profiles/sersic.js';
import { PopulationSchema } from './population-options.js';
import {
  diskAxisRatio, drawProceduralGalaxy, EXP_DISK_HALF_LIGHT, halfLightRadius, renderGalaxyStamp, type ProceduralGalaxyParams,
} from './procedural-galaxy.js';

const RANGES = { ...PopulationSchema.parse({}).sources.procedural, flux: [20, 20] as const, rHalf: [0.1, 0.3] as const };

function bare(over: Partial<ProceduralGalaxyParams> = {}): ProceduralGalaxyParams {
  return {
    flux: 10, rHalf: 0.2, positionAngle: 0, cosInclination: 1, bulgeFraction: 0, bulgeRadius: 0.3, bulgeN: 4, bulgeQ: 1,
    armCount: 0, armAmplitude: 0, pitch: 0.3, armPhase: 0, clumpFraction: 0, clumps: [], ...over,
  };
}

/** Flux-weighted second moments of an INTERPOL profile on a fine sky grid. */
function moments(p: InterpolatedProfile, half: number, h: number): { flux: number; xx: number; yy: number; xy: number } {
  let f = 0, xx = 0, yy = 0, xy = 0;
  for (let y = -half + h / 2; y < half; y += h) {
    for (let x = -half + h / 2; x < half; x += h) {
      const v = p.surfaceBrightness(x, y) * h * h;
      f += v; xx += v * x * x; yy += v * y * y; xy += v * x * y;
    }
  }
  return { flux: f, xx: xx / f, yy: yy / f, xy: xy / f };
}

/**
 * The stamp of a clump-free galaxy written the plain way (Math.exp, Math.atan2, Math.cos at
 * every pixel, no symmetry), from the formulas in renderGalaxyStamp's documentation.
 */
function plainStamp(p: ProceduralGalaxyParams, size: number, extent: number): Float64Array {
  const n2 = size * size, scale = (extent * p.rHalf) / size, half = (size - 1) / 2, t = scale / p.rHalf;
  const qd = diskAxisRatio(p.cosInclination), h = 1 / EXP_DISK_HALF_LIGHT, rMin = (0.25 * scale) / p.rHalf, bn = sersicBn(p.bulgeN);
  const disk = new Float64Array(n2), bulge = new Float64Array(n2);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const x = (j - half) * t, y = (i - half) * t, v = y / qd;
      const rd = Math.max(Math.hypot(x, v), rMin);
      let d = Math.exp(-rd / h);
      if (p.armCount > 0) {
        const c = 0.5 * (1 + Math.cos(p.armCount * (Math.atan2(v, x) - Math.log(rd) / Math.tan(p.pitch) - p.armPhase)));
        d *= 1 + p.armAmplitude * (1 - Math.exp(-(rd * rd) / 0.09)) * ((c * c * c) / (20 / 64) - 1);
      }
      disk[i * size + j] = d;
      const rb = Math.max(Math.sqrt(p.bulgeQ * x * x + (y * y) / p.bulgeQ), rMin) / p.bulgeRadius;
      bulge[i * size + j] = p.bulgeFraction > 0 ? Math.exp(-bn * Math.pow(rb, 1 / p.bulgeN)) : 0;
    }
  }
  const sd = disk.reduce((a, b) => a + b, 0), sb = bulge.reduce((a, b) => a + b, 0);
  const toSb = p.flux / (scale * scale), fb = sb > 0 ? p.bulgeFraction : 0;
  return disk.map((d, k) => toSb * ((1 - fb) * (d / sd) + (fb > 0 ? fb * (bulge[k] / sb) : 0)));
}

describe('lensing/population/procedural-galaxy', () => {
  it('stamps equal the plain per-pixel formulas to 1e-12 (arms m = 0, 2, 3, 4; bulge; inclined; odd and even sizes)', () => {
    const cases: Array<[Partial<ProceduralGalaxyParams>, number]> = [
      [{}, 48],
      [{ armCount: 2, armAmplitude: 0.8, pitch: 0.25, armPhase: 1.1, cosInclination: 0.4 }, 48],
      [{ armCount: 3, armAmplitude: 0.6, pitch: 0.4, armPhase: -2.3, cosInclination: 0.7, bulgeFraction: 0.3, bulgeN: 2.5, bulgeQ: 0.8 }, 48],
      [{ armCount: 4, armAmplitude: 0.9, pitch: 0.2, armPhase: 4, bulgeFraction: 0.45, bulgeRadius: 0.2, bulgeN: 3.7, bulgeQ: 0.75 }, 47],
      [{ armCount: 3, armAmplitude: 0.5, pitch: 0.5, bulgeFraction: 0.2 }, 33],
    ];
    for (const [over, size] of cases) {
      const g = bare(over);
      const got = renderGalaxyStamp(g, size, 8).image, want = plainStamp(g, size, 8);
      const peak = Math.max(...want);
      let worst = 0;
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]) / peak);
      expect(worst, `${JSON.stringify(over)} at ${size}x${size}`).to.be.lessThan(1e-12);
    }
  });

  it('exponential-disk constant: half the light of exp(-r/h) lies inside 1.678 h', () => {
    const x = EXP_DISK_HALF_LIGHT;
    expect(1 - (1 + x) * Math.exp(-x)).to.be.closeTo(0.5, 1e-12);
  });

  it('a stamp holds exactly the requested flux, also through INTERPOL on the sky', () => {
    const g = drawProceduralGalaxy(Rng.fromSeed(3), RANGES);
    const st = renderGalaxyStamp(g, 48, 8);
    const sum = st.image.reduce((a, b) => a + b, 0);
    expect(sum * st.scale * st.scale).to.be.closeTo(20, 1e-9);
    const prof = new InterpolatedProfile({ image: st.image, rows: st.rows, cols: st.cols, scale: st.scale, phi_G: 0.7, center_x: 0.1 });
    expect(prof.totalFlux()).to.be.closeTo(20, 1e-9);
    const m = moments(new InterpolatedProfile({ image: st.image, rows: st.rows, cols: st.cols, scale: st.scale, phi_G: 0.7 }), 0.75 * 8 * g.rHalf, st.scale / 3);
    expect(m.flux).to.be.closeTo(20, 0.01 * 20);
  });

  it('a face-on pure disk has the requested half-light radius', () => {
    for (const rHalf of [0.1, 0.25]) {
      const st = renderGalaxyStamp(bare({ rHalf }), 96, 12);
      expect(halfLightRadius(st) / rHalf).to.be.closeTo(1, 0.03);
    }
  });

  it('a pure round bulge has half-light radius bulgeRadius * rHalf', () => {
    const st = renderGalaxyStamp(bare({ bulgeFraction: 1, bulgeRadius: 0.5, bulgeN: 2 }), 128, 8);
    expect(halfLightRadius(st) / (0.5 * 0.2)).to.be.closeTo(1, 0.05);
  });

  it('arms and clumps keep the size near the disk radius; bulges make galaxies more compact', () => {
    const gal = Array.from({ length: 60 }, (_, i) => {
      const g = drawProceduralGalaxy(Rng.fromSeed(100 + i), { ...RANGES, cosInclination: [1, 1] });
      return { ratio: halfLightRadius(renderGalaxyStamp(g, 64, 8)) / g.rHalf, bulge: g.bulgeFraction };
    });
    const ratios = gal.map((g) => g.ratio).sort((a, b) => a - b);
    expect(ratios[30]).to.be.within(0.6, 1.05); // median
    expect(ratios[0]).to.be.greaterThan(0.3);
    expect(ratios[59]).to.be.lessThan(1.5);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const big = gal.filter((g) => g.bulge > 0.3).map((g) => g.ratio), small = gal.filter((g) => g.bulge < 0.15).map((g) => g.ratio);
    expect(big.length).to.be.greaterThan(5);
    expect(small.length).to.be.greaterThan(5);
    expect(mean(big)).to.be.lessThan(mean(small) - 0.1);
  });

  it('inclined disks are elongated along the position angle with the Hubble axis ratio', () => {
    const pa = 0.6, c = 0.4;
    const st = renderGalaxyStamp(bare({ cosInclination: c }), 96, 12);
    const prof = new InterpolatedProfile({ image: st.image, rows: st.rows, cols: st.cols, scale: st.scale, phi_G: pa });
    const m = moments(prof, 1.3, 0.006);
    const angle = 0.5 * Math.atan2(2 * m.xy, m.xx - m.yy);
    expect(angle).to.be.closeTo(pa, 0.01);
    const tr = m.xx + m.yy, det = m.xx * m.yy - m.xy * m.xy;
    const l1 = tr / 2 + Math.sqrt(tr * tr / 4 - det), l2 = tr / 2 - Math.sqrt(tr * tr / 4 - det);
    expect(Math.sqrt(l2 / l1)).to.be.closeTo(diskAxisRatio(c), 0.02);
  });

  it('spiral arms carry the requested m-fold pattern; clumps add compact peaks', () => {
    const smooth = renderGalaxyStamp(bare(), 64, 8);
    const armed = renderGalaxyStamp(bare({ armCount: 2, armAmplitude: 0.8, pitch: 0.35 }), 64, 8);
    // on a ring at r = rHalf, the arm modulation makes the azimuthal profile vary strongly
    const ring = (st: typeof smooth) => Array.from({ length: 72 }, (_, k) => {
      const t = (2 * Math.PI * k) / 72, r = 0.2 / st.scale;
      const j = Math.round(31.5 + r * Math.cos(t)), i = Math.round(31.5 + r * Math.sin(t));
      return st.image[i * 64 + j];
    });
    const spread = (v: number[]) => Math.max(...v) / Math.min(...v);
    expect(spread(ring(smooth))).to.be.lessThan(1.3);
    expect(spread(ring(armed))).to.be.greaterThan(3);
    const clumpy = renderGalaxyStamp(bare({ clumpFraction: 0.3, clumps: [{ r: 1, theta: 0, sigma: 0.05, weight: 1 }] }), 64, 8);
    const j = Math.round(31.5 + 0.2 / clumpy.scale);
    expect(clumpy.image[31 * 64 + j] / smooth.image[31 * 64 + j]).to.be.greaterThan(3);
  });

  it('is deterministic for a stream and varies across streams', () => {
    const a = drawProceduralGalaxy(Rng.fromSeed(9), RANGES), b = drawProceduralGalaxy(Rng.fromSeed(9), RANGES);
    expect(a).to.deep.equal(b);
    expect(renderGalaxyStamp(a).image).to.deep.equal(renderGalaxyStamp(b).image);
    expect(drawProceduralGalaxy(Rng.fromSeed(10), RANGES).rHalf).to.not.equal(a.rHalf);
  });
});
