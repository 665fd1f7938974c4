/**
 * A small FITS writer for tests (any BITPIX, BSCALE/BZERO/BLANK, IMAGE and BINTABLE extensions,
 * raw cards), so reader tests build the files they read. Not a general writer: see core/io/fits.ts.
 */
export type CardValue = string | number | boolean | bigint;

export interface TestHdu {
  /** 'PRIMARY' (first only), 'IMAGE' or 'BINTABLE' (header only: data are `raw` bytes). */
  type?: 'PRIMARY' | 'IMAGE' | 'BINTABLE';
  bitpix?: 8 | 16 | 32 | 64 | -32 | -64;
  /** NumPy order, e.g. [H, W] or [N, H, W]; [] for no data. */
  shape?: number[];
  /** Stored values (before BSCALE/BZERO), in C order. */
  values?: ArrayLike<number | bigint>;
  cards?: Record<string, CardValue>;
  /** BINTABLE data bytes. */
  raw?: Uint8Array;
  /** BINTABLE rows (NAXIS2; NAXIS1 = raw.length / rows); default 1. */
  tableRows?: number;
}

function card(k: string, v: CardValue): string {
  const val = typeof v === 'string' ? `'${v.replace(/'/g, "''").padEnd(8)}'`.padEnd(20)
    : typeof v === 'boolean' ? (v ? 'T' : 'F').padStart(20)
    : typeof v === 'bigint' ? v.toString().padStart(20)
    : (Number.isInteger(v) ? String(v) : v.toExponential(15).toUpperCase()).padStart(20);
  return (k.padEnd(8) + '= ' + val).padEnd(80);
}

function pad(b: Buffer, fill = 0): Buffer {
  const n = Math.ceil(b.length / 2880) * 2880;
  return n === b.length ? b : Buffer.concat([b, Buffer.alloc(n - b.length, fill)]);
}

export function fitsFile(hdus: TestHdu[]): Buffer {
  const parts: Buffer[] = [];
  hdus.forEach((h, i) => {
    const type = h.type ?? (i === 0 ? 'PRIMARY' : 'IMAGE');
    const bitpix = h.bitpix ?? -32;
    const shape = h.shape ?? [];
    const cards: string[] = [];
    if (type === 'PRIMARY') cards.push(card('SIMPLE', true));
    else cards.push(card('XTENSION', type === 'IMAGE' ? 'IMAGE' : 'BINTABLE'));
    if (type === 'BINTABLE') {
      const rows = h.tableRows ?? 1;
      cards.push(card('BITPIX', 8), card('NAXIS', 2), card('NAXIS1', (h.raw?.length ?? 0) / rows), card('NAXIS2', rows));
      cards.push(card('PCOUNT', 0), card('GCOUNT', 1));
    } else {
      cards.push(card('BITPIX', bitpix), card('NAXIS', shape.length));
      [...shape].reverse().forEach((n, k) => cards.push(card(`NAXIS${k + 1}`, n)));
      if (type === 'IMAGE') cards.push(card('PCOUNT', 0), card('GCOUNT', 1));
    }
    for (const [k, v] of Object.entries(h.cards ?? {})) cards.push(card(k, v));
    cards.push('END'.padEnd(80));
    parts.push(pad(Buffer.from(cards.join(''), 'latin1'), 0x20));
    if (type === 'BINTABLE') { if (h.raw?.length) parts.push(pad(Buffer.from(h.raw))); return; }
    const n = shape.reduce((a, b) => a * b, shape.length ? 1 : 0);
    if (!n) return;
    const bpe = Math.abs(bitpix) / 8;
    const d = Buffer.alloc(n * bpe);
    const v = h.values!;
    for (let k = 0; k < n; k++) {
      const x = v[k];
      switch (bitpix) {
        case 8: d.writeUInt8(Number(x), k); break;
        case 16: d.writeInt16BE(Number(x), 2 * k); break;
        case 32: d.writeInt32BE(Number(x), 4 * k); break;
        case 64: d.writeBigInt64BE(BigInt(x), 8 * k); break;
        case -32: d.writeFloatBE(Number(x), 4 * k); break;
        case -64: d.writeDoubleBE(Number(x), 8 * k); break;
      }
    }
    parts.push(pad(d));
  });
  return Buffer.concat(parts);
}
