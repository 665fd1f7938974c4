/** Result of {@link symmetricEigen}. */
export interface SymmetricEigenResult {
  /** Eigenvalues in descending order, length p. */
  values: Float64Array;
  /** Unit eigenvectors as rows (p × p, row-major): row i belongs to values[i]. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a real symmetric p × p matrix (row-major; only the lower triangle is
 * read). Householder reduction to tridiagonal form followed by the implicit QL algorithm with
 * Wilkinson-type shifts (Golub & Van Loan, Matrix Computations, 4th ed., §8.3; Wilkinson &
 * Reinsch, Handbook for Automatic Computation II, procedures tred2/tql2). O(p³) time, O(p²)
 * memory, float64; eigenvalues accurate to ~eps·‖A‖, eigenvectors orthonormal to ~eps·p.
 * @param a symmetric matrix, length p*p (not modified)
 * @param p order of the matrix
 */
export function symmetricEigen(a: Float64Array, p: number): SymmetricEigenResult {
  if (a.length !== p * p) throw new Error(`symmetricEigen: a: expected length ${p * p} (p=${p}), got ${a.length}`);
  // z holds the accumulated orthogonal transform TRANSPOSED (row i = i-th column of Q), so that
  // every update below touches contiguous rows.
  const A = a.slice();
  const d = new Float64Array(p);      // diagonal of the tridiagonal matrix
  const e = new Float64Array(p);      // e[i] couples i and i+1 (e[p-1] unused)
  const z = new Float64Array(p * p);
  tridiagonalise(A, p, d, e, z);
  tridiagonalQL(d, e, z, p);
  // Sort descending.
  const order = Array.from({ length: p }, (_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    vectors.set(z.subarray(src * p, src * p + p), dst * p);
  });
  return { values, vectors };
}

/**
 * Householder reduction A = Q T Qᵀ. On return d/e hold T and z holds Qᵀ (row-major).
 * Step k annihilates A[k+2.., k] with the reflector H = I - v vᵀ / h acting on rows/cols k+1...
 */
function tridiagonalise(A: Float64Array, p: number, d: Float64Array, e: Float64Array, z: Float64Array): void {
  // Store the reflectors in the rows of A below the diagonal block; accumulate at the end.
  const vs: Float64Array[] = [];
  const hs: number[] = [];
  const w = new Float64Array(p);
  for (let k = 0; k < p - 2; k++) {
    const m = p - k - 1;                // length of the column part x = A[k+1..p-1, k]
    const v = new Float64Array(m);
    let scale = 0;
    for (let i = 0; i < m; i++) scale += Math.abs(A[(k + 1 + i) * p + k]);
    if (scale === 0) { e[k] = 0; vs.push(v); hs.push(0); continue; }
    let sigma = 0;
    for (let i = 0; i < m; i++) { v[i] = A[(k + 1 + i) * p + k] / scale; sigma += v[i] * v[i]; }
    const norm = Math.sqrt(sigma);
    const alpha = v[0] > 0 ? -norm : norm;  // H x = alpha e1 (times scale)
    const h = sigma - v[0] * alpha;        // = ‖v‖² / 2 after v[0] -= alpha
    v[0] -= alpha;
    e[k] = alpha * scale;
    // Apply H from both sides to the trailing block B = A[k+1.., k+1..] (symmetric, use lower):
    // w = B v / h; K = vᵀw / (2h); q = w - K v; B -= v qᵀ + q vᵀ.
    for (let i = 0; i < m; i++) {
      let s = 0;
      const ri = (k + 1 + i) * p + k + 1;
      for (let j = 0; j <= i; j++) s += A[ri + j] * v[j];
      for (let j = i + 1; j < m; j++) s += A[(k + 1 + j) * p + k + 1 + i] * v[j];
      w[i] = s / h;
    }
    let K = 0;
    for (let i = 0; i < m; i++) K += v[i] * w[i];
    K /= 2 * h;
    for (let i = 0; i < m; i++) w[i] -= K * v[i];
    for (let i = 0; i < m; i++) {
      const ri = (k + 1 + i) * p + k + 1;
      const vi = v[i], wi = w[i];
      for (let j = 0; j <= i; j++) A[ri + j] -= vi * w[j] + wi * v[j];
    }
    vs.push(v); hs.push(h);
  }
  for (let i = 0; i < p; i++) d[i] = A[i * p + i];
  if (p >= 2) e[p - 2] = A[(p - 1) * p + (p - 2)];
  // Q = H_0 H_1 ... H_{p-3} (each H symmetric), so Qᵀ = H_{p-3} ... H_0: start from I and
  // right-multiply by H_k for k = p-3 down to 0. Row r of z is then column r of Q.
  for (let i = 0; i < p; i++) z[i * p + i] = 1;
  for (let k = vs.length - 1; k >= 0; k--) {
    const h = hs[k];
    if (h === 0) continue;
    const v = vs[k];
    const m = v.length;
    // z ← z H_k: each row r: z[r, k+1..] -= (z[r, k+1..]·v / h) vᵀ. Rows r <= k are still
    // zero in those columns, so they are skipped.
    for (let r = k + 1; r < p; r++) {
      const ro = r * p + k + 1;
      let s = 0;
      for (let j = 0; j < m; j++) s += z[ro + j] * v[j];
      s /= h;
      if (s === 0) continue;
      for (let j = 0; j < m; j++) z[ro + j] -= s * v[j];
    }
  }
}

/**
 * Implicit QL iterations on the symmetric tridiagonal (d, e) with shifts from the leading 2 × 2
 * block (tql2). Rotations are accumulated into the rows of z (z holds Qᵀ). On return d holds
 * the eigenvalues (unsorted) and row i of z the eigenvector of d[i].
 */
function tridiagonalQL(d: Float64Array, e: Float64Array, z: Float64Array, p: number): void {
  const EPS = Number.EPSILON;
  for (let l = 0; l < p; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < p - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new Error(`symmetricEigen: QL iteration did not converge for eigenvalue ${l}`);
      // Shift from the 2 × 2 block at l.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, pShift = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) { d[i + 1] -= pShift; e[m] = 0; deflated = true; break; }
        s = f / r;
        c = g / r;
        g = d[i + 1] - pShift;
        r = (d[i] - g) * s + 2 * c * b;
        pShift = s * r;
        d[i + 1] = g + pShift;
        g = c * r - b;
        // Rotate eigenvector rows i and i+1.
        const oi = i * p, oj = (i + 1) * p;
        for (let k = 0; k < p; k++) {
          const zj = z[oj + k], zi = z[oi + k];
          z[oj + k] = s * zi + c * zj;
          z[oi + k] = c * zi - s * zj;
        }
      }
      if (deflated) continue;
      d[l] -= pShift;
      e[l] = g;
      e[m] = 0;
    }
  }
}
