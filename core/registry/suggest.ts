/** Levenshtein edit distance (insertions, deletions, substitutions all cost 1). */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = new Array<number>(n + 1), cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/**
 * The candidates closest to `name`: by edit distance on the full name and on the part after the
 * namespace, plus substring matches; at most `max`, best first.
 */
export function closestMatches(name: string, candidates: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  const short = lower.includes('/') ? lower.slice(lower.indexOf('/') + 1) : lower;
  const scored = candidates.map((c) => {
    const cl = c.toLowerCase();
    const cshort = cl.includes('/') ? cl.slice(cl.indexOf('/') + 1) : cl;
    let d = Math.min(editDistance(lower, cl), editDistance(short, cshort));
    if (cl.includes(short) || short.includes(cshort)) d = Math.min(d, 1);
    return { c, d, limit: Math.max(2, Math.ceil(Math.max(short.length, cshort.length) / 2)) };
  });
  return scored.filter((s) => s.d <= s.limit).sort((a, b) => a.d - b.d || a.c.localeCompare(b.c)).slice(0, max).map((s) => s.c);
}
