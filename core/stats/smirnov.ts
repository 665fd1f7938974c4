/**
 * Exact survival function of the one-sided Kolmogorov-Smirnov statistic D_n⁺ for a sample of
 * size n (scipy.special.smirnov(n, x)), by the Smirnov (1944) / Birnbaum & Tingey (1951) sum
 *
 *   P(D_n⁺ ≥ x) = x · Σ_{j=0}^{⌊n(1-x)⌋} C(n, j) (1 - x - j/n)^{n-j} (x + j/n)^{j-1}.
 *
 * All terms are positive, so they are summed in log space (max-shifted) without cancellation.
 * For n > 1e6 the sum would be slow and the approximation
 * P ≈ exp(-(6nx + 1)² / (18n)) is used instead (as scipy/cephes does).
 * @param n sample size, integer >= 1
 * @param x the statistic, in [0, 1]
 * @returns P(D_n⁺ ≥ x) in [0, 1]
 */
export function smirnovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`smirnovSf: n: expected an integer >= 1, got ${n}`);
  if (!(x >= 0 && x <= 1)) throw new Error(`smirnovSf: x: expected a number in [0, 1], got ${x}`);
  if (x === 0) return 1;
  if (x === 1) return 0;
  if (n === 1) return 1 - x;
  if (-2 * n * x * x < -745) return 0;               // below the smallest double
  if (n > 1_000_000) return Math.min(1, Math.exp(-((6 * n * x + 1) ** 2) / (18 * n)));
  const nx = n * x;
  const logX = Math.log(x);
  const logTerms: number[] = [];
  // log C(n, j), accumulated with Neumaier's compensated summation: the running sum reaches
  // ~n·log 2 while the result needs ~1e-12 absolute accuracy.
  let logC = 0, logCComp = 0;
  let maxLog = -Infinity;
  for (let j = 0; j <= n; j++) {
    const rest = n - j - nx;                          // n (1 - x - j/n)
    if (!(rest > 0)) break;                           // the last term is 0^(n-j) = 0
    const lt = (logC + logCComp) + (n - j) * Math.log(rest / n) + (j - 1) * Math.log((nx + j) / n) + logX;
    logTerms.push(lt);
    if (lt > maxLog) maxLog = lt;
    const inc = Math.log((n - j) / (j + 1));
    const sum = logC + inc;
    logCComp += Math.abs(logC) >= Math.abs(inc) ? (logC - sum) + inc : (inc - sum) + logC;
    logC = sum;
  }
  if (logTerms.length === 0) return 0;
  let s = 0;
  for (const lt of logTerms) s += Math.exp(lt - maxLog);
  return Math.min(1, Math.max(0, Math.exp(maxLog + Math.log(s))));
}
