/**
 * Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000, J. Stat. Softw. 5(8),
 * 128 layers) drawing 32-bit words from a seeded `Rng` stream. About 98.8% of draws cost one
 * 32-bit word, one table compare and one multiply, several times faster than the polar method,
 * which matters when every pixel of every simulated image needs a deviate.
 */
import type { Rng } from '../../../core/tensor/rng.js';

const LAYERS = 128;
/** Rightmost layer edge r and layer area v of the 128-layer normal ziggurat. */
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const M1 = 2147483648.0;

const KN = new Uint32Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);
{
  let dn = R, tn = R;
  const q = V / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * M1);
  KN[1] = 0;
  WN[0] = q / M1;
  WN[LAYERS - 1] = dn / M1;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * M1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / M1;
  }
}

/** A standard-normal generator bound to one `Rng` stream. */
export class ZigguratNormal {
  constructor(private readonly rng: Rng) {}

  /** One N(0, 1) deviate. */
  next(): number {
    const hz = this.rng.nextUint32() | 0;
    const iz = hz & (LAYERS - 1);
    if ((hz < 0 ? -hz : hz) < KN[iz]) return hz * WN[iz];
    return this.slow(hz, iz);
  }

  /** Wedge and tail handling (rare path). */
  private slow(hz: number, iz: number): number {
    for (;;) {
      const x = hz * WN[iz];
      if (iz === 0) {
        // tail beyond r: Marsaglia's exponential-rejection sampler
        let tx: number, ty: number;
        do {
          tx = -Math.log(this.uniformOpen()) / R;
          ty = -Math.log(this.uniformOpen());
        } while (ty + ty < tx * tx);
        return hz > 0 ? R + tx : -R - tx;
      }
      if (FN[iz] + this.rng.random() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.rng.nextUint32() | 0;
      iz = hz & (LAYERS - 1);
      if ((hz < 0 ? -hz : hz) < KN[iz]) return hz * WN[iz];
    }
  }

  /** Uniform in (0, 1). */
  private uniformOpen(): number {
    return (this.rng.nextUint32() + 0.5) / 4294967296;
  }

  /** Fills `out` with N(mean, std^2) deviates. */
  fill(out: Float64Array | Float32Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.next();
  }
}
