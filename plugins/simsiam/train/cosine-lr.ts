/**
 * SimSiam learning-rate schedule (Chen & He 2021, Sec. 4; Goyal et al. 2017 linear scaling;
 * Loshchilov & Hutter 2017 cosine decay without restarts):
 *   lr(t) = baseLr * batchSize / 256 * 0.5 * (1 + cos(pi * t / total)),
 * where t counts epochs or steps (the same unit as `total`), 0 <= t <= total.
 * The paper's defaults: baseLr 0.05, batch 512 (so lr(0) = 0.1).
 */
export function cosineLr(baseLr: number, batchSize: number, t: number, total: number): number {
  if (!(baseLr >= 0) || !Number.isFinite(baseLr)) throw new Error(`cosineLr.baseLr: expected a finite number >= 0, got ${baseLr}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`cosineLr.batchSize: expected an integer >= 1, got ${batchSize}`);
  if (!(total > 0)) throw new Error(`cosineLr.total: expected a number > 0, got ${total}`);
  if (!(t >= 0 && t <= total)) throw new Error(`cosineLr.t: expected a number in [0, ${total}], got ${t}`);
  return baseLr * batchSize / 256 * 0.5 * (1 + Math.cos(Math.PI * t / total));
}
