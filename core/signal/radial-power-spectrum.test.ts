import { expect } from 'chai';
import { loadReferenceFixture } from '../testing/reference-fixture.js';
import { radialPowerSpectrum } from './radial-power-spectrum.js';

// Reference values: numpy 1.24.2 / scipy 1.10.1 (Debian python3-numpy/python3-scipy).
// Odd-size (7 x 7) map binned with the conventions of core/testing/fixtures/kaiser_squires.json.
const map7 = [0.0, 0.6442, 0.335, 0.0168, -0.9792, -0.9756, 0.0672, 0.9636, 0.9593, -0.7183, 1.1179, 0.1337, 0.2005, 1.2794, 0.5155, -0.0577, -0.5728, 0.801, 1.3437, 1.4491, 1.0567, -0.6878, -0.8437, 0.7048, -0.2499, 1.1712, 1.3073, 0.165, -0.8835, -0.1739, 1.3894, -0.2755, 0.1619, 0.349, 0.35, 0.2151, 1.0437, 0.6245, 0.9815, 0.0874, 0.3444, 1.7803, 0.9985, 1.0985, -0.3228, 1.8993, 1.3499, 1.6665, 2.7999]; // 7 x 7 (odd size)
const p7Round = [12.3813502244898, 0.7813308721620074, 1.3033716920192118, 0.6244195192561802];
const c7Round = [1, 8, 12, 16];
const p7Floor = [12.3813502244898, 0.7813308721620074, 1.0554414943005592, 0.5168900745939389];
const c7Floor = [1, 8, 16, 20];

interface Grid { shape: number[]; data: number[] }
interface KsFixture {
  N: number;
  power_spectrum: {
    map: Grid; bins: number[]; P_round: number[]; counts_round: number[]; P_floor: number[]; counts_floor: number[];
    P2D_00: number; P2D_total_sum: number;
  };
}
const fixture = loadReferenceFixture<KsFixture>('kaiser_squires.json');

function expectRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).to.be.at.most(rel * Math.abs(expected[i]) + abs, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('core/signal radialPowerSpectrum', () => {
  it('reproduces the binned power spectrum of core/testing/fixtures/kaiser_squires.json exactly', () => {
    const ps = fixture.power_spectrum;
    const N = fixture.N;
    const round = radialPowerSpectrum(ps.map.data, N);
    expect(Array.from(round.k)).to.deep.equal(ps.bins);
    expect(Array.from(round.counts)).to.deep.equal(ps.counts_round);
    expectRelClose(round.power, ps.P_round, 1e-6);   // fixture rounded to 7 significant digits
    const floor = radialPowerSpectrum(ps.map.data, N, { binning: 'floor' });
    expect(Array.from(floor.counts)).to.deep.equal(ps.counts_floor);
    expectRelClose(floor.power, ps.P_floor, 1e-6);
    expect(round.power[0]).to.be.closeTo(ps.P2D_00, 1e-6 * ps.P2D_00);
  });

  it('matches numpy for an odd map size (n = 7)', () => {
    const r = radialPowerSpectrum(map7, 7);
    expect(Array.from(r.counts)).to.deep.equal(c7Round);
    expectRelClose(r.power, p7Round, 1e-12);
    const f = radialPowerSpectrum(new Float32Array(map7), 7, { binning: 'floor' });
    expect(Array.from(f.counts)).to.deep.equal(c7Floor);
    expectRelClose(f.power, p7Floor, 1e-6);
  });

  it('gives physical wavenumbers with pixelSize and conserves power (Parseval)', () => {
    const ps = fixture.power_spectrum;
    const r = radialPowerSpectrum(ps.map.data, 64, { pixelSize: 0.5 });
    expect(r.k[3]).to.be.closeTo(3 / 32, 1e-15);   // b / (n · pixelSize)
    let total = 0;
    for (const v of ps.map.data) total += v * v;
    expect(total).to.be.closeTo(ps.P2D_total_sum, 1e-4);  // Σ P2D = Σ map² (fixture check)
    // For n = 3 no mode lies beyond the last bin, so Σ_b P(b)·counts(b) = Σ map² exactly.
    const m3 = [0.3, -1.2, 2.5, 0.7, 0.0, -0.4, 1.1, 0.9, -2.0];
    const r3 = radialPowerSpectrum(m3, 3);
    let binned = 0;
    for (let b = 0; b < r3.power.length; b++) binned += r3.power[b] * r3.counts[b];
    expect(binned).to.be.closeTo(m3.reduce((s, v) => s + v * v, 0), 1e-13);
  });

  it('rejects bad options with the field named', () => {
    expect(() => radialPowerSpectrum(map7, 7, { binning: 'ceil' as 'round' })).to.throw(`binning: expected one of 'round'|'floor', got "ceil"`);
    expect(() => radialPowerSpectrum(map7, 7, { pixelSize: -1 })).to.throw('pixelSize: expected a number > 0, got -1');
    expect(() => radialPowerSpectrum(map7, 6)).to.throw('map: expected length 36, got length 49');
  });
});
