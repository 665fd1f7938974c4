import { UMAP } from 'umap-js';
import { component, inject, knnR2CrossValidated, r2Score, ridgeR2, TOKENS, writeScatterPanels, z, type EvalContext, type Metric, type MetricValues, type Rng } from '../../../core/index.js';

type Embeddings = NonNullable<EvalContext['embeddings']>;

function need(ctx: EvalContext, who: string): Embeddings {
  if (!ctx.embeddings) throw new Error(`${who}: needs embeddings of a labelled set; use it with a method that provides them (e.g. simsiam/simsiam)`);
  return ctx.embeddings;
}

function pickLabels(e: Embeddings, wanted: readonly string[] | undefined, who: string): string[] {
  const have = Object.keys(e.labels);
  const names = wanted && wanted.length ? [...wanted] : have;
  for (const n of names) if (!have.includes(n)) throw new Error(`${who}.labels: "${n}" is not a label of the data; expected one of ${have.join(', ')}`);
  return names;
}

/** Features standardised per dimension (zero mean, unit variance; constant dims left at 0). */
export function standardize(x: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let j = 0; j < dim; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * dim + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * dim + j] - m) ** 2;
    const s = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) out[i * dim + j] = s > 1e-12 ? (x[i * dim + j] - m) / s : 0;
  }
  return out;
}

export const KnnR2Options = z.strictObject({
  k: z.number().int().min(1).default(10).describe('neighbours'),
  folds: z.number().int().min(2).default(5).describe('cross-validation folds'),
  labels: z.array(z.string()).default([]).describe('labels to score (default: all)'),
});

/**
 * How much of each label the frozen embedding holds: the cross-validated R² of a k-nearest-
 * neighbour regression of the label on the standardised features (`knn_r2_<label>`).
 */
@component({ kind: 'metric', name: 'simsiam/knn-r2', description: 'per-label R² of kNN regression on frozen embeddings (cross-validated)', options: KnnR2Options })
export class KnnR2Metric implements Metric {
  readonly requires = ['embeddings'] as const;
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof KnnR2Options>) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const e = need(ctx, 'simsiam/knn-r2');
    const X = standardize(e.features, e.n, e.dim);
    const out: MetricValues = {};
    for (const name of pickLabels(e, this.o.labels, 'evaluate.simsiam/knn-r2')) {
      out[`knn_r2_${name}`] = knnR2CrossValidated(X, e.labels[name], e.dim, this.o.k, this.o.folds, ctx.rng.derive(name)).r2;
    }
    return out;
  }
}

export const ProbeOptions = z.strictObject({
  alpha: z.number().min(0).default(1).describe('ridge penalty'),
  trainFraction: z.number().gt(0).lt(1).default(0.5).describe('fraction of the set used to fit'),
  labels: z.array(z.string()).default([]).describe('labels to score (default: all)'),
});

/** Linear probe: ridge regression of each label on the standardised frozen features, R² on a held-out part. */
@component({ kind: 'metric', name: 'simsiam/linear-probe-r2', description: 'per-label R² of a ridge linear probe on frozen embeddings', options: ProbeOptions })
export class LinearProbeMetric implements Metric {
  readonly requires = ['embeddings'] as const;
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof ProbeOptions>) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const e = need(ctx, 'simsiam/linear-probe-r2');
    const X = standardize(e.features, e.n, e.dim);
    const nTrain = Math.max(2, Math.min(e.n - 2, Math.round(e.n * this.o.trainFraction)));
    const out: MetricValues = {};
    for (const name of pickLabels(e, this.o.labels, 'evaluate.simsiam/linear-probe-r2')) {
      const y = e.labels[name];
      out[`probe_r2_${name}`] = ridgeR2(X.subarray(0, nTrain * e.dim), y.subarray(0, nTrain), X.subarray(nTrain * e.dim), y.subarray(nTrain), e.dim, this.o.alpha);
    }
    return out;
  }
}

export const UmapOptions = z.strictObject({
  nNeighbors: z.number().int().min(2).default(15),
  minDist: z.number().min(0).default(0.1),
  epochs: z.number().int().min(10).max(2000).default(300).describe('UMAP optimisation epochs'),
  labels: z.array(z.string()).default(['theta_E', 'e1', 'gamma']).describe('one panel per label (the paper\'s Fig. 2)'),
  maxPoints: z.number().int().min(10).default(1000).describe('embed at most this many points'),
});

/**
 * UMAP (McInnes et al. 2018; umap-js) of the embeddings to 2-D, a PNG with one scatter panel per
 * label (plots/umap-<tag>.png), and the number behind the picture: the cross-validated kNN R²
 * of each label in the 2-D UMAP space (`umap_knn_r2_<label>`).
 */
@component({ kind: 'metric', name: 'simsiam/umap', description: 'UMAP of embeddings: PNG coloured by labels + kNN R² in the 2-D map', options: UmapOptions })
export class UmapMetric implements Metric {
  readonly requires = ['embeddings'] as const;
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof UmapOptions>) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const e = need(ctx, 'simsiam/umap');
    const labels = pickLabels(e, this.o.labels, 'evaluate.simsiam/umap');
    const n = Math.min(e.n, this.o.maxPoints);
    const X = standardize(e.features.subarray(0, n * e.dim), n, e.dim);
    const rows: number[][] = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * e.dim, (i + 1) * e.dim)));
    const r: Rng = ctx.rng.derive('umap');
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(this.o.nNeighbors, n - 1), minDist: this.o.minDist, nEpochs: this.o.epochs, random: () => r.random() });
    const emb = await umap.fitAsync(rows);
    const ux = Float64Array.from(emb, (p) => p[0]), uy = Float64Array.from(emb, (p) => p[1]);
    const flat = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { flat[2 * i] = ux[i]; flat[2 * i + 1] = uy[i]; }
    const out: MetricValues = {};
    const colorBy: Record<string, Float32Array> = {};
    for (const name of labels) {
      const y = e.labels[name].subarray(0, n);
      colorBy[name] = y;
      out[`umap_knn_r2_${name}`] = knnR2CrossValidated(flat, y, 2, 10, 5, ctx.rng.derive(`umap-${name}`)).r2;
    }
    if (ctx.plotDir) {
      const safe = (ctx.tag ?? 'run').replace(/[^A-Za-z0-9_.-]+/g, '_');
      await writeScatterPanels(`${ctx.plotDir}/umap-${safe}.png`, ux, uy, colorBy, { title: `UMAP of embeddings — ${ctx.tag ?? ''}` });
    }
    return out;
  }
}

/** R² of a method's regression predictions (`r2_<name>`), sklearn's definition. */
@component({ kind: 'metric', name: 'simsiam/r2', description: 'R² of regression predictions', options: z.strictObject({}) })
export class R2Metric implements Metric {
  readonly requires = ['predictions'] as const;
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const p = ctx.predictions;
    if (!p) throw new Error('simsiam/r2: needs regression predictions');
    return { [`r2_${p.name}`]: r2Score(p.yTrue, p.yPred) };
  }
}
