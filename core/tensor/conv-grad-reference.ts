/**
 * Float64 loop reference for a 2-D convolution and its two gradients (NHWC, dilation 1), used by
 * the tests of the wasm kernels as a check independent of every tfjs backend. Definition
 * (TensorFlow's Conv2D): y[b,i,j,co] = Σ_{kh,kw,ci} x[b, i·sh+kh−top, j·sw+kw−left, ci]·w[kh,kw,ci,co],
 * x read as zero outside its bounds. Only for tiny shapes (plain nested loops).
 */
export interface ConvRefCase {
  x: Float64Array | Float32Array; xShape: [number, number, number, number];
  w: Float64Array | Float32Array; wShape: [number, number, number, number];
  strides: [number, number]; top: number; left: number;
  /** Output spatial size [Ho, Wo]. */
  out: [number, number];
}

/**
 * Returns y (forward), and, for an upstream gradient g of y's shape [B,Ho,Wo,CO], dx = ∂⟨g,y⟩/∂x
 * and dw = ∂⟨g,y⟩/∂w, all flat row-major Float64Arrays.
 */
export function convReference(c: ConvRefCase, g: Float64Array | Float32Array): { y: Float64Array; dx: Float64Array; dw: Float64Array } {
  const [nb, h, w, ci] = c.xShape;
  const [kh, kw, , co] = c.wShape;
  const [ho, wo] = c.out;
  const [sh, sw] = c.strides;
  const y = new Float64Array(nb * ho * wo * co);
  const dx = new Float64Array(c.x.length);
  const dw = new Float64Array(c.w.length);
  for (let b = 0; b < nb; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        for (let a = 0; a < kh; a++) {
          const r = i * sh + a - c.top;
          if (r < 0 || r >= h) continue;
          for (let e = 0; e < kw; e++) {
            const s = j * sw + e - c.left;
            if (s < 0 || s >= w) continue;
            for (let p = 0; p < ci; p++) {
              const xi = ((b * h + r) * w + s) * ci + p;
              for (let q = 0; q < co; q++) {
                const wi = ((a * kw + e) * ci + p) * co + q;
                const yi = ((b * ho + i) * wo + j) * co + q;
                y[yi] += c.x[xi] * c.w[wi];
                dx[xi] += g[yi] * c.w[wi];
                dw[wi] += g[yi] * c.x[xi];
              }
            }
          }
        }
      }
    }
  }
  return { y, dx, dw };
}

/** Relative L2 (Frobenius) error ‖a − b‖₂ / ‖b‖₂ (‖b‖₂ floored at 1e-30). */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relL2: length mismatch ${a.length} vs ${b.length}`);
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-30);
}
