import { expect } from 'chai';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('reuses released storage of the same length and counts hits/misses', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.alloc(100);
    expect(a).to.be.instanceOf(Float32Array);
    expect(a.length).to.equal(100);
    pool.release(a);
    expect(pool.pooledBytes).to.equal(400);
    const b = pool.alloc(100);
    expect(b).to.equal(a);
    expect(pool.pooledBytes).to.equal(0);
    expect(pool.alloc(50)).to.not.equal(a);
    expect([pool.hits, pool.misses]).to.deep.equal([1, 2]);
  });

  it('never recycles exposed, foreign or doubly released arrays', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.alloc(10);
    pool.expose(a);
    pool.release(a);
    expect(pool.pooledBytes).to.equal(0);
    pool.release(new Float32Array(10)); // not handed out by this pool
    expect(pool.pooledBytes).to.equal(0);
    const b = pool.alloc(10);
    pool.release(b);
    pool.release(b);
    expect(pool.pooledBytes).to.equal(40);
    expect(pool.alloc(10)).to.equal(b);
    expect(pool.alloc(10)).to.not.equal(b);
  });

  it('respects its byte budget and clear()', () => {
    const pool = new BufferPool(1000);
    const xs = [pool.alloc(100), pool.alloc(100), pool.alloc(100)];
    xs.forEach((x) => pool.release(x));
    expect(pool.pooledBytes).to.equal(800); // the third (400 B) would exceed 1000 B
    pool.clear();
    expect(pool.pooledBytes).to.equal(0);
  });

  it('rejects an invalid budget, naming the field', () => {
    expect(() => new BufferPool(-1)).to.throw(/BufferPool.maxBytes: expected a finite number >= 0, got -1/);
  });
});
