import { LensforgeError } from '../errors.js';

/** A generated section of a Markdown file: `<!-- results:NAME -->` (or `results:NAME/TABLE`) ... `<!-- /results -->`. */
export interface MarkedSection { name: string; line: number; start: number; end: number; body: string }

// markers count only on a line of their own (a marker quoted in prose, `<!-- results:x -->`, is text)
const OPEN = /^<!-- results:([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)?) -->[ \t]*$/gm;
const CLOSE = '<!-- /results -->';
const CLOSE_LINE = /^<!-- \/results -->[ \t]*$/m;
const ANY_OPEN = /^<!-- results:/m;

/** Every marked section of `text`, in order; `shown` names the file in errors. */
export function markedSections(text: string, shown: string): MarkedSection[] {
  const out: MarkedSection[] = [];
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  for (const m of text.matchAll(OPEN)) {
    const start = m.index! + m[0].length;
    const rest = text.slice(start);
    const close = rest.search(CLOSE_LINE);
    const next = rest.search(ANY_OPEN);
    if (close < 0 || (next >= 0 && next < close)) {
      throw new LensforgeError(`${shown}: line ${lineAt(m.index!)}: ${m[0].trim()} is not closed; expected a line ${CLOSE} after the table`);
    }
    if (out.some((s) => s.name === m[1])) throw new LensforgeError(`${shown}: line ${lineAt(m.index!)}: a second ${m[0].trim()}; expected each table marked once`);
    out.push({ name: m[1], line: lineAt(m.index!), start, end: start + close, body: rest.slice(0, close) });
  }
  return out;
}

/** `text` with the body of every marked section replaced by `\n<generated>\n`. */
export function fillSections(text: string, sections: MarkedSection[], generated: Map<string, string>): string {
  let out = '';
  let at = 0;
  for (const s of sections) {
    out += text.slice(at, s.start) + `\n${generated.get(s.name)}\n`;
    at = s.end;
  }
  return out + text.slice(at);
}

/** The first line where two texts differ: `line N: README has "...", generated "..."`. */
export function firstDifference(have: string, want: string, section: MarkedSection): string {
  const a = have.split('\n');
  const b = want.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (x: string | undefined) => (x === undefined ? 'nothing' : `"${x}"`);
      return `line ${section.line + i}: the file has ${show(a[i])}, the generator ${show(b[i])}`;
    }
  }
  return 'they differ in whitespace';
}
