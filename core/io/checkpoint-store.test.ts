import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs, { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, type Checkpoint } from './checkpoint-store.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const TAG_MSG = 'expected a checkpoint tag (letters, digits, _ . -; not starting with "."; no "..")';

function ckpt(e: number): Checkpoint {
  return { state: { epoch: e }, tensors: { w: { shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => e + i / 8) }, b: { shape: [2], data: new Float32Array([e, -e]) } } };
}

/** A store in a fresh folder holding epoch-0002 and epoch-0003 (keep 2), latest = epoch-0003. */
function twoCheckpoints() {
  const dir = join(mkdtempSync(join(tmpdir(), 'lf-ck-')), 'ck');
  const store = new CheckpointStore(dir, 2);
  for (let e = 0; e < 4; e++) store.save(`epoch-000${e}`, ckpt(e));
  return { dir, store, file: (tag: string, f: string) => join(dir, tag, f) };
}

function index(path: string) {
  return JSON.parse(readFileSync(path, 'utf8')) as { format: number; bin: { bytes: number; sha256: string }; state: { bytes: number; sha256: string }; tensors: Array<{ name: string; offset: number; length: number }>; tensorsSha256: string };
}

describe('checkpoint store: verified checkpoints', () => {
  it('a full disk while saving names the file, leaves no temp folder and keeps the previous checkpoint', () => {
    const { dir, store } = twoCheckpoints();
    const before = readdirSync(dir).sort();
    const orig = fs.writeSync;
    let calls = 0;
    // the second write of the save (state.json) hits ENOSPC, after tensors.bin went through
    (fs as { writeSync: unknown }).writeSync = (...a: unknown[]) => {
      if (++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (orig as (...x: unknown[]) => number)(...a);
    };
    try {
      expect(() => store.save('epoch-0004', ckpt(4))).to.throw(/^writing .*\.epoch-0004\.\d+\.tmp\/state\.json: no space left on device \(ENOSPC\)$/);
    } finally { (fs as { writeSync: unknown }).writeSync = orig; }
    expect(readdirSync(dir).sort()).to.deep.equal(before);
    expect(store.resume().tag).to.equal('epoch-0003');
  });

  it('writes tensors.json format 2 with the size and sha256 of tensors.bin and state.json', () => {
    const { store, file } = twoCheckpoints();
    const idx = index(file('epoch-0003', 'tensors.json'));
    const bin = readFileSync(file('epoch-0003', 'tensors.bin'));
    const state = readFileSync(file('epoch-0003', 'state.json'));
    expect(idx.format).to.equal(2);
    expect(idx.bin).to.deep.equal({ bytes: 32, sha256: sha(bin) });
    expect(idx.state).to.deep.equal({ bytes: state.length, sha256: sha(state) });
    expect(idx.tensors.map((t) => [t.name, t.offset, t.length])).to.deep.equal([['w', 0, 6], ['b', 6, 2]]);
    expect(store.tags()).to.deep.equal(['epoch-0003', 'epoch-0002']);
    expect(Array.from(store.load()!.tensors.b.data)).to.deep.equal([3, -3]);
  });

  it('refuses 16 flipped bytes in tensors.bin, naming the file and both digests, and resume falls back to the previous checkpoint', () => {
    const { store, file } = twoCheckpoints();
    const p = file('epoch-0003', 'tensors.bin');
    const bin = readFileSync(p);
    const expected = sha(bin);
    for (let i = 8; i < 24; i++) bin[i] ^= 0xff;
    writeFileSync(p, bin);
    const msg = `${p}: sha256 mismatch: expected ${expected}, got ${sha(bin)} (same size, 32 bytes); the file is damaged`;
    expect(() => store.load('epoch-0003')).to.throw(msg);
    const r = store.resume();
    expect(r.tag).to.equal('epoch-0002');
    expect(Array.from(r.checkpoint!.tensors.b.data)).to.deep.equal([2, -2]);
    expect(r.skipped).to.deep.equal([{ tag: 'epoch-0003', reason: msg }]);
  });

  it('refuses a truncated tensors.bin with both sizes', () => {
    const { store, file } = twoCheckpoints();
    const p = file('epoch-0003', 'tensors.bin');
    const expected = sha(readFileSync(p));
    truncateSync(p, 20);
    expect(() => store.load('epoch-0003')).to.throw(`${p}: size mismatch: expected 32 bytes, got 20 (sha256 expected ${expected}, got ${sha(readFileSync(p))}); the file is truncated or damaged`);
    rmSync(p);
    expect(() => store.load('epoch-0003')).to.throw(`${p}: missing (expected 32 bytes with sha256 ${expected})`);
  });

  it('validates state.json against the owner\'s schema (before its digest) and then its digest', async () => {
    const { TrainingStateSchema } = await import('../training/training-state-schema.js');
    const dir = join(mkdtempSync(join(tmpdir(), 'lf-ck-')), 'ck');
    const store = new CheckpointStore(dir, 2, TrainingStateSchema);
    for (let e = 0; e < 2; e++) store.save(`epoch-000${e}`, { state: { epoch: e, phase: 'train', history: [] }, tensors: ckpt(e).tensors });
    const p = join(dir, 'epoch-0001', 'state.json');
    const text = readFileSync(p, 'utf8');
    writeFileSync(p, text.replace('"epoch": 1', '"epoch": "four"'));
    expect(() => store.load('epoch-0001')).to.throw(`${p}: epoch: expected a non-negative integer, got "four"`);
    writeFileSync(p, text.replace('"epoch": 1', '"epoch": 7'));
    expect(() => store.load('epoch-0001')).to.throw(`${p}: sha256 mismatch: expected ${sha(text)}, got ${sha(text.replace('"epoch": 1', '"epoch": 7'))}`);
    writeFileSync(p, text.slice(0, 10));
    expect(() => store.load('epoch-0001')).to.throw(`${p}: not valid JSON: `);
    const r = store.resume();
    expect(r.tag).to.equal('epoch-0000');
    expect(r.skipped[0].reason).to.contain(`${p}: not valid JSON: `);
  });

  it('validates tensors.json and refuses format-1 (unverifiable) checkpoints', () => {
    const { store, file } = twoCheckpoints();
    const p = file('epoch-0003', 'tensors.json');
    const idx = index(p);
    writeFileSync(p, JSON.stringify(idx.tensors));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: format 1 (a bare list of tensors, with no size or sha256 of tensors.bin) cannot be verified and is not loaded; expected format 2`);
    writeFileSync(p, JSON.stringify({ ...idx, bin: { bytes: -1, sha256: 'xyz' } }));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: bin.bytes: expected a byte count (non-negative integer), got -1; bin.sha256: expected a sha256 digest (64 hex digits), got "xyz"`);
    // an entry edited (two offsets swapped: each entry still valid on its own) fails the list's own digest
    const swapped = [{ ...idx.tensors[0], offset: idx.tensors[1].offset }, { ...idx.tensors[1], offset: idx.tensors[0].offset }];
    writeFileSync(p, JSON.stringify({ ...idx, tensors: swapped }));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: tensors: sha256 of the tensor list expected ${idx.tensorsSha256}, got ${sha(JSON.stringify(swapped))}; the index is damaged or was edited`);
    // with a matching list digest, the entries are still checked one by one
    const withList = (tensors: typeof idx.tensors) => JSON.stringify({ ...idx, tensors, tensorsSha256: sha(JSON.stringify(tensors)) });
    writeFileSync(p, withList([{ ...idx.tensors[0], length: 5 }, idx.tensors[1]]));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: tensors.0.length: expected 6 (the product of shape [2,3]) for "w", got 5`);
    writeFileSync(p, withList([idx.tensors[0], { ...idx.tensors[1], offset: 7 }]));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: tensors.1 ("b"): values [7, 9) lie outside tensors.bin (8 values)`);
  });

  it('refuses non-finite values: not saved, and not loaded (naming the tensor) even when the digest matches', () => {
    const { store, file } = twoCheckpoints();
    const bad = ckpt(4);
    bad.tensors.w.data[4] = NaN;
    expect(() => store.save('epoch-0004', bad)).to.throw('checkpoint "epoch-0004": tensor "w" holds NaN at index 4; a checkpoint with non-finite values is not saved');
    expect(store.tags()).to.deep.equal(['epoch-0003', 'epoch-0002']);
    expect(store.latestTag()).to.equal('epoch-0003');
    // NaN bytes written into tensors.bin with a digest to match (a checkpoint from a buggy writer)
    const p = file('epoch-0003', 'tensors.bin');
    const bin = readFileSync(p);
    bin.writeFloatLE(Infinity, 7 * 4);
    writeFileSync(p, bin);
    const ip = file('epoch-0003', 'tensors.json');
    writeFileSync(ip, JSON.stringify({ ...index(ip), bin: { bytes: 32, sha256: sha(bin) } }));
    expect(() => store.load('epoch-0003')).to.throw(`${p}: tensor "b" holds Infinity at index 1; a checkpoint with non-finite values is not loaded`);
    expect(store.resume().tag).to.equal('epoch-0002');
  });

  it('a latest.json naming a missing tag falls back to the newest intact checkpoint, saying so', () => {
    const { dir, store } = twoCheckpoints();
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ tag: 'epoch-0009' }));
    const r = store.resume();
    expect(r.tag).to.equal('epoch-0003');
    expect(r.skipped).to.deep.equal([{ tag: 'epoch-0009', reason: `${join(dir, 'latest.json')} names checkpoint "epoch-0009", which does not exist in ${dir}` }]);
  });

  it('a deleted latest.json falls back to the newest intact checkpoint, saying so', () => {
    const { dir, store } = twoCheckpoints();
    rmSync(join(dir, 'latest.json'));
    const r = store.resume();
    expect(r.tag).to.equal('epoch-0003');
    expect(r.skipped).to.deep.equal([{ tag: 'latest.json', reason: `${join(dir, 'latest.json')}: missing` }]);
    expect(store.load()).to.equal(undefined);
  });

  it('refuses a tag that leaves the checkpoint directory, naming latest.json and the tag', () => {
    const { dir, store } = twoCheckpoints();
    new CheckpointStore(join(dir, '..', '..', 'otherrun', 'checkpoints', 'train')).save('epoch-0009', ckpt(9));
    const tag = '../../../otherrun/checkpoints/train/epoch-0009';
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ tag }));
    const msg = `${join(dir, 'latest.json')}: tag: ${TAG_MSG}, got "${tag}"`;
    expect(() => store.latestTag()).to.throw(msg);
    expect(() => store.load(tag)).to.throw(`checkpoint tag: ${TAG_MSG}, got "${tag}"`);
    expect(() => store.load('..')).to.throw(`checkpoint tag: ${TAG_MSG}, got ".."`);
    expect(() => store.save('../x', ckpt(1))).to.throw(`checkpoint tag: ${TAG_MSG}, got "../x"`);
    const r = store.resume();
    expect(r.tag).to.equal('epoch-0003');
    expect(r.skipped).to.deep.equal([{ tag: 'latest.json', reason: msg }]);
  });

  it('an unparsable latest.json falls back; with no intact checkpoint, resume returns what it rejected', () => {
    const { dir, store, file } = twoCheckpoints();
    writeFileSync(join(dir, 'latest.json'), '{"tag": "epo');
    for (const t of ['epoch-0002', 'epoch-0003']) truncateSync(file(t, 'tensors.bin'), 4);
    const r = store.resume();
    expect(r.checkpoint).to.equal(undefined);
    expect(r.skipped.map((s) => s.tag)).to.deep.equal(['latest.json', 'epoch-0003', 'epoch-0002']);
    expect(r.skipped[0].reason).to.match(new RegExp(`^${join(dir, 'latest.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: `));
    expect(r.skipped[1].reason).to.contain(`${file('epoch-0003', 'tensors.bin')}: size mismatch: expected 32 bytes, got 4`);
    expect(new CheckpointStore(join(dir, 'none')).resume()).to.deep.equal({ skipped: [] });
  });
});
