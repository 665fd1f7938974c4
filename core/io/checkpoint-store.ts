import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';

export interface StoredTensor { shape: number[]; data: Float32Array }

export interface Checkpoint {
  /** Free-form JSON state (epoch, step, rng states, hyper-parameters such as beta_SD ...). */
  state: Record<string, unknown>;
  /** Named float32 tensors (model and optimizer weights). */
  tensors: Record<string, StoredTensor>;
}

interface TensorIndexEntry { name: string; shape: number[]; offset: number; length: number }

/**
 * Checkpoints on disk. Each checkpoint is a folder `<tag>/` holding `state.json`, `tensors.json`
 * and `tensors.bin`, written to a temp folder and renamed into place; `latest.json` is updated
 * atomically last. A run killed at any point keeps its previous good checkpoint.
 */
export class CheckpointStore {
  constructor(readonly dir: string, private readonly keep = 2) {}

  save(tag: string, ckpt: Checkpoint): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(tag)) throw new Error(`checkpoint tag: expected letters, digits, _ . -, got "${tag}"`);
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${tag}.${process.pid}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const index: TensorIndexEntry[] = [];
    let total = 0;
    for (const [name, t] of Object.entries(ckpt.tensors)) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (n !== t.data.length) throw new Error(`checkpoint tensor "${name}": shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
      index.push({ name, shape: t.shape, offset: total, length: n });
      total += n;
    }
    const bin = new Float32Array(total);
    for (const e of index) bin.set(ckpt.tensors[e.name].data, e.offset);
    writeFileAtomic(join(tmp, 'tensors.bin'), new Uint8Array(bin.buffer));
    writeJsonAtomic(join(tmp, 'tensors.json'), index);
    writeJsonAtomic(join(tmp, 'state.json'), ckpt.state);
    const final = join(this.dir, tag);
    const old = join(this.dir, `.${tag}.old`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(final)) renameSync(final, old);
    renameSync(tmp, final);
    writeJsonAtomic(join(this.dir, 'latest.json'), { tag, savedAt: new Date().toISOString() });
    rmSync(old, { recursive: true, force: true });
    this.prune(tag);
  }

  latestTag(): string | undefined {
    const p = join(this.dir, 'latest.json');
    if (!existsSync(p)) return undefined;
    const { tag } = JSON.parse(readFileSync(p, 'utf8')) as { tag: string };
    return existsSync(join(this.dir, tag, 'state.json')) ? tag : undefined;
  }

  load(tag = this.latestTag()): Checkpoint | undefined {
    if (!tag) return undefined;
    const d = join(this.dir, tag);
    if (!existsSync(join(d, 'state.json'))) throw new Error(`checkpoint "${tag}" not found in ${this.dir}`);
    const state = JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')) as Record<string, unknown>;
    const index = JSON.parse(readFileSync(join(d, 'tensors.json'), 'utf8')) as TensorIndexEntry[];
    const raw = readFileSync(join(d, 'tensors.bin'));
    const bin = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const tensors: Record<string, StoredTensor> = {};
    for (const e of index) {
      if (e.offset + e.length > bin.length) throw new Error(`checkpoint "${tag}": tensors.bin is truncated at "${e.name}"`);
      tensors[e.name] = { shape: e.shape, data: bin.slice(e.offset, e.offset + e.length) };
    }
    return { state, tensors };
  }

  private prune(current: string): void {
    const tags = readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name).sort();
    const others = tags.filter((t) => t !== current);
    const excess = others.length - (this.keep - 1);
    for (let i = 0; i < excess; i++) rmSync(join(this.dir, others[i]), { recursive: true, force: true });
  }
}
