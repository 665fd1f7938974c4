import type { EvalContext } from '../../../core/index.js';

/**
 * The EvalContext.extra keys the cosmology map metrics read (written by map-generating methods
 * such as gan/dcgan):
 * - `generatedMaps: Float32Array[]`: generated maps, each mapSize × mapSize, row-major, data units;
 * - `validationMaps: Float32Array[]`: validation maps, same layout;
 * - `mapSize: number`: the side N;
 * - `epoch?: number`: set for intermediate evaluations; figures are then named `<name>-epoch-<E>.png`
 *   (E 1-based), else `<name>.png`.
 */
export interface MapEvalExtra {
  generatedMaps: Float32Array[];
  validationMaps: Float32Array[];
  mapSize: number;
  epoch?: number;
}

/** Read and check the map keys of EvalContext.extra; throws naming the missing/bad key. */
export function readMapExtra(ctx: EvalContext, metric: string): MapEvalExtra {
  const e = ctx.extra as Partial<MapEvalExtra> | undefined;
  if (!e) throw new Error(`${metric}: needs EvalContext.extra with generatedMaps, validationMaps and mapSize; the method provided no extra`);
  const n = e.mapSize;
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 2)) throw new Error(`${metric}: extra.mapSize: expected an integer >= 2, got ${String(n)}`);
  for (const key of ['generatedMaps', 'validationMaps'] as const) {
    const maps = e[key];
    if (!Array.isArray(maps) || maps.length === 0) throw new Error(`${metric}: extra.${key}: expected a non-empty array of maps, got ${maps === undefined ? 'nothing' : `${Array.isArray(maps) ? 'an empty array' : typeof maps}`}`);
    maps.forEach((m, i) => {
      if (!m || m.length !== n * n) throw new Error(`${metric}: extra.${key}[${i}]: expected ${n * n} values (${n}x${n}), got ${m ? m.length : String(m)}`);
    });
  }
  return e as MapEvalExtra;
}

/** File name of a figure: `<base>.png`, or `<base>-epoch-<E>.png` for an intermediate evaluation. */
export function figureName(base: string, extra: MapEvalExtra): string {
  return extra.epoch === undefined ? `${base}.png` : `${base}-epoch-${String(extra.epoch + 1).padStart(4, '0')}.png`;
}
