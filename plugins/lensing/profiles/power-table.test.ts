import { expect } from 'chai';
import { buildPowerTable, POWER_TABLE_EXP_HI, POWER_TABLE_EXP_LO } from './power-table.js';

const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** x^a read from the table exactly as the EPL kernel does. */
function tablePow(t: ReturnType<typeof buildPowerTable>, x: number): number {
  f64[0] = x;
  const hi = u32[HI], ex = hi >>> 20, j = (hi >>> 12) & 255;
  const tm = (x * Math.pow(2, 1023 - ex) - 1) * 256 - j, o = j << 2, m = t.mantissa;
  return t.octave[ex - POWER_TABLE_EXP_LO] * (m[o] + tm * (m[o + 1] + tm * (m[o + 2] + tm * m[o + 3])));
}

describe('lensing/power-table', () => {
  it('x^a to 2e-11 relative from 2^-64 to 2^16 for the EPL exponents -t/2', () => {
    for (const a of [-0.4, -0.5, -0.6, -0.95]) {
      const t = buildPowerTable(a);
      let worst = 0;
      for (let k = 0; k < 50000; k++) {
        const x = Math.pow(2, -64 + (80 * k) / 50000) * (1 + ((k * 7919) % 997) / 1e6);
        if (x >= Math.pow(2, POWER_TABLE_EXP_HI - 1023)) continue;
        worst = Math.max(worst, Math.abs(tablePow(t, x) / Math.pow(x, a) - 1));
      }
      expect(worst, `a ${a}`).to.be.below(2e-11);
      expect(worst, `a ${a}`).to.be.above(0); // a table, not Math.pow
    }
  });

  it('hits the exact powers of two', () => {
    const t = buildPowerTable(-0.55);
    for (const e of [-60, -3, 0, 1, 15]) expect(tablePow(t, Math.pow(2, e)) / Math.pow(2, -0.55 * e)).to.be.closeTo(1, 1e-14);
  });
});
