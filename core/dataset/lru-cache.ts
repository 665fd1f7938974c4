/** A least-recently-used cache bounded by the total byte size of its values. */
export class LruCache<V> {
  private map = new Map<string, { v: V; bytes: number }>();
  private total = 0;
  constructor(private readonly maxBytes: number) {}

  get bytes(): number { return this.total; }
  get size(): number { return this.map.size; }

  /** The cached value for `key`, or `load()`'s (cached; the oldest entries are dropped to fit, the newest is always kept). */
  get(key: string, load: () => { value: V; bytes: number }): V {
    const hit = this.map.get(key);
    if (hit) { this.map.delete(key); this.map.set(key, hit); return hit.v; }
    const { value, bytes } = load();
    this.map.set(key, { v: value, bytes });
    this.total += bytes;
    for (const [k, e] of this.map) {
      if (this.total <= this.maxBytes || k === key) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
    return value;
  }
}
