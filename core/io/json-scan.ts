/**
 * A strict JSON scanner (RFC 8259) used where JSON.parse says too little: it finds the offset of
 * the first syntax error (Node 20's V8 often gives none) and, on request, duplicate keys (which
 * JSON.parse silently resolves to the last). It builds no values; parse with JSON.parse after.
 */
/** The first problem: its character offset, what it is, and whether the text ends before the value does. */
export interface JsonScanProblem { offset: number; message: string; truncated?: boolean }

export function scanJson(text: string, opts: { uniqueKeys?: boolean } = {}): JsonScanProblem | undefined {
  let i = 0;
  const n = text.length;
  const fail = (message: string, at = i, truncated = at >= n): never => { throw { offset: at, message, truncated } as JsonScanProblem; };
  const ws = () => { while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++; };
  const describe = () => (i >= n ? 'end of input' : `"${text[i]}"`);
  const str = (): string => {
    const start = i++;
    let out = '';
    for (;;) {
      if (i >= n) fail('unterminated string', start, true);
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`bad escape "\\${e ?? ''}" in string`);
        out += e; i += 2; continue;
      }
      if (c < ' ') fail(c === '\n' ? 'unterminated string (line break inside a string)' : 'control character inside a string');
      out += c; i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${describe()}; expected a value`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10000) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      const keys = opts.uniqueKeys ? new Set<string>() : undefined;
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${describe()}; expected a property name in double quotes`);
        const at = i;
        const k = str();
        if (keys) { if (keys.has(k)) fail(`duplicate key "${k}"`, at); keys.add(k); }
        ws();
        if (text[i] !== ':') fail(`unexpected ${describe()}; expected ":" after property name`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(`unexpected ${describe()}; expected "," or "}" after a property value`);
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(`unexpected ${describe()}; expected "," or "]" after an array element`);
      }
    }
    if (c === '"') { str(); return; }
    for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) { i += lit.length; return; }
    if (c === '-' || (c >= '0' && c <= '9')) { num(); return; }
    fail(`unexpected ${describe()}; expected a value`);
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    if (i < n) fail(`unexpected ${describe()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as JsonScanProblem;
    throw e;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') { line++; last = k; }
  return { line, column: offset - last };
}
