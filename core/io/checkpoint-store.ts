import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { LensforgeError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import {
  CHECKPOINT_FORMAT, CheckpointStateSchema, LatestSchema, TAG_EXPECTED, TensorIndexSchema, isCheckpointTag, type TensorIndex,
} from './checkpoint-schema.js';
import { digestOf, readVerified, sha256Hex, verifyDigest } from './file-digest.js';
import { parseJsonText, readValidatedJson, validateJson } from './validated-json.js';

export interface StoredTensor { shape: number[]; data: Float32Array }

export interface Checkpoint {
  /** Free-form JSON state (epoch, step, rng states, hyper-parameters such as beta_SD ...). */
  state: Record<string, unknown>;
  /** Named float32 tensors (model and optimizer weights). */
  tensors: Record<string, StoredTensor>;
}

/** A checkpoint (or latest.json) passed over by `resume()`, and why. */
export interface SkippedCheckpoint { tag: string; reason: string }

/** What `resume()` found: the newest intact checkpoint (if any) and everything it rejected on the way. */
export interface ResumePoint {
  checkpoint?: Checkpoint;
  tag?: string;
  skipped: SkippedCheckpoint[];
}

/** A checkpoint that cannot be saved or loaded (bad tag, non-finite values, inconsistent index). */
export class CheckpointError extends LensforgeError {}

/** The first non-finite value of a tensor as `NaN at index 3`, or undefined when all are finite. */
export function firstNonFinite(data: Float32Array): string | undefined {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return `${data[i]} at index ${i}`;
  return undefined;
}

/**
 * Checkpoints on disk. Each checkpoint is a folder `<tag>/` holding `tensors.bin` (float32
 * values back to back), `state.json` and `tensors.json` — the index of tensors.bin (format 2)
 * with the size and sha256 of tensors.bin and state.json — written to a temp folder and renamed
 * into place; `latest.json` is updated atomically last. Loading verifies sizes, digests, the
 * schemas of the three JSON files and that every value is finite; `resume()` falls back to
 * the newest intact checkpoint when the latest one is missing or damaged.
 */
export class CheckpointStore {
  /**
   * @param keep how many checkpoints to keep (the newest ones; at least 2 leaves one to fall back to)
   * @param stateSchema the schema of `state.json` (checked before its digest, so a hand-edited
   *   field is reported as such); default: any JSON object
   */
  constructor(readonly dir: string, private readonly keep = 2,
    private readonly stateSchema: z.ZodType<Record<string, unknown>> = CheckpointStateSchema) {}

  /** Save `ckpt` as `<tag>/`; refuses a bad tag and tensors holding NaN or infinite values. */
  save(tag: string, ckpt: Checkpoint): void {
    this.checkTag(tag, 'checkpoint tag');
    const index: TensorIndex['tensors'] = [];
    let total = 0;
    for (const [name, t] of Object.entries(ckpt.tensors)) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (n !== t.data.length) throw new CheckpointError(`checkpoint tensor "${name}": shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
      const bad = firstNonFinite(t.data);
      if (bad) throw new CheckpointError(`checkpoint "${tag}": tensor "${name}" holds ${bad}; a checkpoint with non-finite values is not saved`);
      index.push({ name, shape: t.shape.slice(), offset: total, length: n });
      total += n;
    }
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${tag}.${process.pid}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const bin = new Float32Array(total);
    for (const e of index) bin.set(ckpt.tensors[e.name].data, e.offset);
    const binBytes = new Uint8Array(bin.buffer);
    const stateText = JSON.stringify(ckpt.state, null, 2) + '\n';
    try {
      writeFileAtomic(join(tmp, 'tensors.bin'), binBytes);
      writeFileAtomic(join(tmp, 'state.json'), stateText);
      const head: TensorIndex = { format: CHECKPOINT_FORMAT, bin: digestOf(binBytes), state: digestOf(stateText), tensors: index, tensorsSha256: sha256Hex(JSON.stringify(index)) };
      writeJsonAtomic(join(tmp, 'tensors.json'), head);
    } catch (e) {
      // e.g. a full disk: leave no half-written temp folder behind (the previous checkpoint is untouched)
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    const final = join(this.dir, tag);
    const old = join(this.dir, `.${tag}.old`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(final)) renameSync(final, old);
    renameSync(tmp, final);
    writeJsonAtomic(join(this.dir, 'latest.json'), { tag, savedAt: new Date().toISOString() });
    rmSync(old, { recursive: true, force: true });
    this.prune(tag);
  }

  /** The tag named by a valid latest.json, or undefined when there is none; an invalid latest.json throws naming it. */
  latestTag(): string | undefined {
    const p = join(this.dir, 'latest.json');
    if (!existsSync(p)) return undefined;
    return readValidatedJson(p, LatestSchema).tag;
  }

  /** Checkpoint folders present, newest first (tags sort by name: `epoch-0009` before `epoch-0008`). */
  tags(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && isCheckpointTag(d.name))
      .map((d) => d.name).sort().reverse();
  }

  /**
   * Load and verify checkpoint `tag` (default: the one latest.json names; undefined when there
   * is no latest.json). Throws, naming the file, when anything is missing, damaged or invalid.
   */
  load(tag: string | undefined = this.latestTag()): Checkpoint | undefined {
    if (tag === undefined) return undefined;
    this.checkTag(tag, 'checkpoint tag');
    const d = join(this.dir, tag);
    const indexFile = join(d, 'tensors.json');
    if (!existsSync(indexFile) && !existsSync(join(d, 'state.json'))) throw new CheckpointError(`checkpoint "${tag}" not found in ${this.dir}`);
    if (!existsSync(indexFile)) throw new CheckpointError(`${indexFile}: missing; the checkpoint is incomplete`);
    const rawIndex = parseJsonText(indexFile, readFileSync(indexFile, 'utf8'));
    if (Array.isArray(rawIndex)) {
      throw new CheckpointError(`${indexFile}: format 1 (a bare list of tensors, with no size or sha256 of tensors.bin) cannot be verified and is not loaded; expected format ${CHECKPOINT_FORMAT} (written by this version of lensforge)`);
    }
    const index = validateJson(indexFile, rawIndex, TensorIndexSchema);
    const listSha = sha256Hex(JSON.stringify((rawIndex as { tensors: unknown }).tensors)); // as written: JSON.parse keeps key order
    if (listSha !== index.tensorsSha256) {
      throw new CheckpointError(`${indexFile}: tensors: sha256 of the tensor list expected ${index.tensorsSha256}, got ${listSha}; the index is damaged or was edited`);
    }
    const stateFile = join(d, 'state.json');
    if (!existsSync(stateFile)) throw new CheckpointError(`${stateFile}: missing; the checkpoint is incomplete`);
    const stateBytes = readFileSync(stateFile);
    const state = validateJson(stateFile, parseJsonText(stateFile, stateBytes.toString('utf8')), this.stateSchema);
    verifyDigest(stateFile, stateBytes, index.state);
    const binFile = join(d, 'tensors.bin');
    const raw = readVerified(binFile, index.bin);
    if (raw.byteLength % 4 !== 0) throw new CheckpointError(`${binFile}: ${raw.byteLength} bytes is not a whole number of float32 values`);
    const bin = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const tensors: Record<string, StoredTensor> = {};
    index.tensors.forEach((e, i) => {
      const n = e.shape.reduce((a, b) => a * b, 1);
      if (n !== e.length) throw new CheckpointError(`${indexFile}: tensors.${i}.length: expected ${n} (the product of shape [${e.shape}]) for "${e.name}", got ${e.length}`);
      if (e.offset + e.length > bin.length) throw new CheckpointError(`${indexFile}: tensors.${i} ("${e.name}"): values [${e.offset}, ${e.offset + e.length}) lie outside tensors.bin (${bin.length} values)`);
      if (tensors[e.name]) throw new CheckpointError(`${indexFile}: tensors.${i}.name: "${e.name}" appears twice`);
      const data = bin.slice(e.offset, e.offset + e.length);
      const bad = firstNonFinite(data);
      if (bad) throw new CheckpointError(`${binFile}: tensor "${e.name}" holds ${bad}; a checkpoint with non-finite values is not loaded`);
      tensors[e.name] = { shape: e.shape, data };
    });
    return { state, tensors };
  }

  /**
   * The checkpoint to resume from: the one latest.json names when it verifies, otherwise the
   * newest intact one. `skipped` lists, in order, what was passed over and why (an invalid
   * latest.json as tag `latest.json`). No checkpoint and an empty `skipped`: nothing was there.
   */
  resume(): ResumePoint {
    const skipped: SkippedCheckpoint[] = [];
    const candidates: string[] = [];
    const latestFile = join(this.dir, 'latest.json');
    if (existsSync(latestFile)) {
      try {
        const tag = this.latestTag()!;
        if (existsSync(join(this.dir, tag))) candidates.push(tag);
        else skipped.push({ tag, reason: `${latestFile} names checkpoint "${tag}", which does not exist in ${this.dir}` });
      } catch (e) {
        skipped.push({ tag: 'latest.json', reason: (e as Error).message });
      }
    } else if (this.tags().length) {
      skipped.push({ tag: 'latest.json', reason: `${latestFile}: missing` });
    }
    for (const t of this.tags()) if (!candidates.includes(t)) candidates.push(t);
    for (const tag of candidates) {
      try {
        return { checkpoint: this.load(tag)!, tag, skipped };
      } catch (e) {
        if (!(e instanceof LensforgeError)) throw e;
        skipped.push({ tag, reason: e.message });
      }
    }
    return { skipped };
  }

  private checkTag(tag: string, what: string): void {
    const ok = isCheckpointTag(tag) && dirname(resolve(this.dir, tag)) === resolve(this.dir);
    if (!ok) throw new CheckpointError(`${what}: ${TAG_EXPECTED}, got "${tag}"`);
  }

  private prune(current: string): void {
    const others = this.tags().filter((t) => t !== current).reverse();
    const excess = others.length - (this.keep - 1);
    for (let i = 0; i < excess; i++) rmSync(join(this.dir, others[i]), { recursive: true, force: true });
  }
}
