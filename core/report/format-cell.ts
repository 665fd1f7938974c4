import { meanStd } from '../experiment/bench.js';

export interface CellFormat { digits: number; percent: boolean }

/** `x.toFixed(digits)` of the shown value (100 x for percent), without a `-0.000`. */
export function fixed(x: number, f: CellFormat): string {
  const s = (f.percent ? x * 100 : x).toFixed(f.digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * One table cell from the per-seed values of a metric: `mean ± std` (sample std over seeds,
 * n - 1), the mean alone for one seed, `–` when no seed has a finite value. Percent cells read
 * `17.4 % ± 8.6`. When only some of `expected` seeds have a value: `... (2 of 3 seeds)`.
 */
export function formatCell(values: Array<number | undefined | null>, f: CellFormat, expected = values.length): { text: string; mean: number } {
  const s = meanStd(values.filter((v): v is number => typeof v === 'number'));
  if (s.n === 0) return { text: '–', mean: NaN };
  const unit = f.percent ? ' %' : '';
  const body = s.n === 1 ? `${fixed(s.mean, f)}${unit}` : `${fixed(s.mean, f)}${unit} ± ${fixed(s.std, f)}`;
  return { text: s.n < expected ? `${body} (${s.n} of ${expected} seeds)` : body, mean: s.mean };
}
