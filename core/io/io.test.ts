import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from './npy.js';
import { encodeFits, readFits, writeFits } from './fits.js';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointStore } from './checkpoint-store.js';
import { encodePngRgb, imageGridPng } from './png.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-io-'));

describe('io', () => {
  it('writes .npy files numpy can read (header layout, 64-byte alignment) and reads them back', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5);
    const buf = encodeNpy(data, [2, 3, 4]);
    expect(Buffer.from(buf).toString('latin1', 0, 6)).to.equal('\x93NUMPY');
    const hlen = Buffer.from(buf).readUInt16LE(8);
    expect((10 + hlen) % 64).to.equal(0);
    expect(Buffer.from(buf).toString('latin1', 10, 10 + hlen)).to.match(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3, 4\), \}\s*\n$/);
    const back = decodeNpy(buf);
    expect(back.shape).to.deep.equal([2, 3, 4]);
    expect(Array.from(back.data)).to.deep.equal(Array.from(data));
    const d = tmp();
    writeNpy(join(d, 'a.npy'), new Float64Array([1, 2]), [2]);
    expect(readNpy(join(d, 'a.npy')).shape).to.deep.equal([2]);
  });

  it('explains bad .npy input', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).to.throw('npy: shape [2, 3] holds 6 values but the array has 5');
    expect(() => decodeNpy(new Uint8Array(20), 'x.npy')).to.throw('x.npy: not a .npy file (bad magic string)');
    const b = Buffer.from(encodeNpy(new Float32Array(4), [4]));
    b.write("'<c8'", b.indexOf("'<f4'"), 'latin1');
    expect(() => decodeNpy(b, 'y.npy')).to.throw('y.npy: dtype <c8 is not supported');
  });

  it('writes FITS primary HDUs with header keywords and reads them back', () => {
    const d = tmp();
    const data = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    writeFits(join(d, 'a.fits'), data, [2, 3], { THETA_E: 1.25, TYPE: "EPL'x", FLAG: true });
    const raw = readFileSync(join(d, 'a.fits'));
    expect(raw.length % 2880).to.equal(0);
    expect(raw.toString('ascii', 0, 30)).to.equal('SIMPLE  =                    T');
    const back = readFits(join(d, 'a.fits'));
    expect(back.shape).to.deep.equal([2, 3]);
    expect(Array.from(back.data)).to.deep.equal(Array.from(data));
    expect(back.header.THETA_E).to.equal(1.25);
    expect(back.header.TYPE).to.equal("EPL'x");
    expect(back.header.NAXIS1).to.equal(3);
    expect(() => encodeFits(data, [2, 3], { 'TOO_LONG_KEY': 1 })).to.throw('fits header key "TOO_LONG_KEY": expected 1-8 characters');
  });

  it('replaces files atomically and leaves no temp files', () => {
    const d = tmp();
    writeFileAtomic(join(d, 'f.txt'), 'one');
    writeFileAtomic(join(d, 'f.txt'), 'two');
    expect(readFileSync(join(d, 'f.txt'), 'utf8')).to.equal('two');
    expect(readdirSync(d)).to.deep.equal(['f.txt']);
  });

  it('saves, loads and prunes checkpoints; a torn save keeps the previous one', () => {
    const d = tmp();
    const store = new CheckpointStore(join(d, 'ck'), 2);
    for (let e = 0; e < 4; e++) store.save(`epoch-${e}`, { state: { epoch: e }, tensors: { w: { shape: [2], data: new Float32Array([e, -e]) } } });
    expect(store.latestTag()).to.equal('epoch-3');
    const ck = store.load()!;
    expect(ck.state.epoch).to.equal(3);
    expect(Array.from(ck.tensors.w.data)).to.deep.equal([3, -3]);
    expect(readdirSync(join(d, 'ck')).filter((f) => !f.startsWith('.') && f !== 'latest.json').sort()).to.deep.equal(['epoch-2', 'epoch-3']);
    // a crash while writing epoch-4: its temp folder exists but latest.json still names epoch-3
    writeFileSync(join(d, 'ck', 'junk.tmp'), 'x');
    expect(store.load()!.state.epoch).to.equal(3);
    expect(() => store.save('bad tag', { state: {}, tensors: {} })).to.throw('checkpoint tag: expected a checkpoint tag (letters, digits, _ . -; not starting with "."; no ".."), got "bad tag"');
    expect(() => store.save('x', { state: {}, tensors: { w: { shape: [3], data: new Float32Array(2) } } })).to.throw('checkpoint tensor "w": shape [3] holds 3 values, data has 2');
    expect(existsSync(join(d, 'ck', 'x'))).to.equal(false);
  });

  it('encodes PNGs with valid signature and chunk layout', () => {
    const png = encodePngRgb(new Uint8Array(2 * 3 * 3).fill(128), 2, 3);
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(png.toString('ascii', 12, 16)).to.equal('IHDR');
    expect(png.readUInt32BE(16)).to.equal(2);
    expect(png.readUInt32BE(20)).to.equal(3);
    const grid = imageGridPng([new Float32Array(16).fill(1), Float32Array.from({ length: 16 }, (_, i) => i)], 4, 4, { cols: 2, scale: 1, gap: 1 });
    expect(grid.readUInt32BE(16)).to.equal(2 * 4 + 3);
  });
});
