/**
 * HDF5 datasets through h5wasm (HDF5 compiled to WebAssembly; `h5wasm/node` reads real paths).
 * Only the requested rows are read (`Dataset.slice`), so a large dataset is never loaded whole.
 */
import { LensforgeError } from '../errors.js';

interface H5Dataset { shape: number[] | null; dtype: unknown; slice(ranges: Array<[number, number]>): unknown }
interface H5File { get(path: string): unknown; keys(): string[]; close(): void }
interface H5Module { ready: Promise<unknown>; File: new (path: string, mode: string) => H5File; Dataset: new (...a: never[]) => H5Dataset }

let modulePromise: Promise<H5Module> | undefined;

/** Load h5wasm once (its WebAssembly instantiation is asynchronous). */
export async function loadH5wasm(): Promise<H5Module> {
  modulePromise ??= (async () => {
    const m = (await import('h5wasm/node')) as unknown as { default: H5Module };
    await m.default.ready;
    loaded = m.default;
    return m.default;
  })();
  return modulePromise;
}

let loaded: H5Module | undefined;
/** The loaded module, for synchronous readers (call `loadH5wasm()` first). */
export function h5wasmSync(file: string): H5Module {
  if (!loaded) throw new LensforgeError(`${file}: h5wasm is not loaded yet; call \`await loadH5wasm()\` (or \`await ImageFileSet.prepare()\`) before reading HDF5`);
  return loaded;
}

export interface Hdf5Stack {
  file: string;
  dataset: string;
  shape: number[];
  dtype: string;
  rows(start: number, count: number): Float32Array;
  close(): void;
}

/** Open `dataset` (e.g. `/images`) of `file` for row reads. */
export function openHdf5Stack(file: string, dataset: string): Hdf5Stack {
  const h5 = h5wasmSync(file);
  let f: H5File;
  try { f = new h5.File(file, 'r'); } catch (e) { throw new LensforgeError(`${file}: not a readable HDF5 file: ${(e as Error).message}`, { cause: e }); }
  const d = f.get(dataset) as H5Dataset | null;
  if (!d || !(d instanceof h5.Dataset)) {
    const keys = f.keys();
    f.close();
    throw new LensforgeError(`${file}: no dataset at "${dataset}" (data.dataset); top-level entries: ${keys.join(', ') || '(none)'}`);
  }
  const shape = d.shape ?? [];
  return {
    file, dataset, shape, dtype: String(d.dtype),
    rows(start: number, count: number): Float32Array {
      const v = d.slice([[start, start + count]]);
      if (v instanceof Float32Array) return v;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Float32Array.from(v as unknown as ArrayLike<number>, Number);
      if (Array.isArray(v)) return Float32Array.from(v.flat(Infinity) as number[], Number);
      throw new LensforgeError(`${file}: dataset "${dataset}" of dtype ${String(d.dtype)} is not numeric`);
    },
    close() { f.close(); },
  };
}
