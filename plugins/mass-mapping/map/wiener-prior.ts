import { fft2d, fftfreq, LensforgeError, readNpy } from '../../../core/index.js';
import { kappaModePower } from '../baseline/wiener-filter.js';
import { kaiserSquiresInverse, type ShearField } from '../numerics/index.js';

/** Integer ring index round(|k| n) of each fft2 mode of an n × n grid (k in cycles per pixel). */
function rings(n: number): Int32Array {
  const f = fftfreq(n);
  const r = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] = Math.round(Math.hypot(f[i], f[j]) * n);
  return r;
}

/**
 * The default Wiener prior when no trained run or `--prior` is given: the signal power estimated
 * from the data themselves, S(|k|) = ⟨|κ̂_E|²⟩ − ⟨|κ̂_B|²⟩ averaged over rings of integer |k|·n and
 * clipped at 0, where κ_E, κ_B are the unsmoothed Kaiser-Squires modes of the binned shear. Lensing
 * produces (almost) no B mode, so the B-mode power measures the noise power of the same modes
 * (including the leakage of masked pixels) and the excess E power is the signal: the isotropic
 * "E minus B" estimate of the convergence power spectrum. Defensible without a simulator of the
 * right cosmology and pixel scale; noisy rings are clipped, so the filter then removes them.
 * @returns S(k) in fft2 order (n² values), the units of {@link kappaModePower}
 */
export function dataDrivenPrior(shear: ShearField, n: number): Float64Array {
  const { kappaE, kappaB } = kaiserSquiresInverse(shear.gamma1, shear.gamma2, n);
  const E = fft2d(kappaE, null, n), B = fft2d(kappaB, null, n);
  const r = rings(n);
  const nr = Math.max(...r) + 1;
  const se = new Float64Array(nr), sb = new Float64Array(nr), cnt = new Float64Array(nr);
  for (let k = 0; k < n * n; k++) {
    se[r[k]] += E.re[k] ** 2 + E.im[k] ** 2;
    sb[r[k]] += B.re[k] ** 2 + B.im[k] ** 2;
    cnt[r[k]]++;
  }
  const out = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) out[k] = Math.max(0, (se[r[k]] - sb[r[k]]) / cnt[r[k]]);
  out[0] = 0;
  return out;
}

/** The prior from κ maps in a .npy file ([M, n, n] or [n, n], any float dtype): their mean mode power (`--prior FILE.npy`). */
export function priorFromNpy(file: string, n: number): Float64Array {
  const a = readNpy(file);
  const shape = a.shape;
  const ok = (shape.length === 2 && shape[0] === n && shape[1] === n) || (shape.length === 3 && shape[1] === n && shape[2] === n && shape[0] >= 1);
  if (!ok) throw new LensforgeError(`--prior ${file}: expected κ maps of shape [M, ${n}, ${n}] or [${n}, ${n}] (the map grid), got [${shape.join(', ')}]`);
  const m = shape.length === 2 ? 1 : shape[0];
  const data = a.data as ArrayLike<number>;
  const maps = Array.from({ length: m }, (_, i) => Float64Array.from({ length: n * n }, (_, k) => Number(data[i * n * n + k])));
  return kappaModePower(maps, n);
}
