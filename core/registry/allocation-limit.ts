import { totalmem } from 'node:os';

/**
 * The largest buffer set lensforge lets one component allocate, checked at validation time so
 * that sizes which cannot be allocated are refused before anything runs (instead of `Array
 * buffer allocation failed` mid-run). Default: half of the machine's RAM; the environment
 * variable `LENSFORGE_MAX_ALLOC_MB` overrides it (in MiB).
 */
export const MAX_ALLOC_ENV = 'LENSFORGE_MAX_ALLOC_MB';

/** What a component would allocate for its options: bytes, and the option fields that set them. */
export interface AllocationEstimate {
  bytes: number;
  /** What the buffers are (`render grids`, `a training batch`). */
  what: string;
  /** The option fields the size comes from, with their values (`numPix 4096`, `supersampling 16`). */
  fields: string[];
  /** Config path to report at, when not the component's first field (e.g. `train.batchSize`). */
  at?: string;
}

/** What the registry knows when it asks a component for its estimate. */
export interface AllocationContext {
  /** The batch size the component's output is stacked into (train.batchSize for `data`). */
  batchSize?: number;
}

export type EstimateBytes = (options: Record<string, unknown>, ctx: AllocationContext) => AllocationEstimate | AllocationEstimate[] | undefined;

export function maxAllocBytes(env: NodeJS.ProcessEnv = process.env): { bytes: number; source: string } {
  const v = env[MAX_ALLOC_ENV];
  if (v !== undefined && v.trim() !== '') {
    const mb = Number(v);
    if (!(Number.isFinite(mb) && mb > 0)) throw new Error(`${MAX_ALLOC_ENV}: expected a positive number of MiB, got "${v}"`);
    return { bytes: mb * 2 ** 20, source: `${MAX_ALLOC_ENV}=${v}` };
  }
  return { bytes: totalmem() / 2, source: `half of this machine's ${formatBytes(totalmem())} RAM; set ${MAX_ALLOC_ENV} to change it` };
}

export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return String(b);
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0, x = b;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return i === 0 ? `${b} bytes` : `${x.toFixed(x < 10 ? 2 : 1)} ${units[i]}`;
}

/** A message for an estimate over the limit, or undefined when it fits. */
export function allocationProblem(e: AllocationEstimate, limit = maxAllocBytes()): string | undefined {
  if (!(e.bytes > limit.bytes)) return undefined;
  return `${e.fields.join(' x ')} needs about ${formatBytes(e.bytes)} for ${e.what}, more than the allocation limit of ${formatBytes(limit.bytes)} (${limit.source}); reduce ${e.fields.map((f) => f.split(' ')[0]).join(' or ')}`;
}
