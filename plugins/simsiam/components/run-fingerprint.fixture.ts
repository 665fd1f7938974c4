/** Test fixture: what must be bit-identical between two runs of one config (for the resume tests). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface RunFingerprint {
  /** summary.json's metrics, as written. */
  metrics: string;
  /** metrics.jsonl, one JSON string per record, without the wall-clock fields `time`, `seconds` and `msPerStep`. */
  records: string[];
  /** sha256 of every checkpoint's tensors.bin (weights and optimizer state), by `<phase>/<tag>`. */
  tensors: Record<string, string>;
}

export function runFingerprint(out: string, phases: readonly string[] = ['pretrain', 'downstream']): RunFingerprint {
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
  const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { time: _t, seconds: _s, msPerStep: _m, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
  const tensors: Record<string, string> = {};
  for (const phase of phases) {
    const dir = join(out, 'checkpoints', phase);
    if (!existsSync(dir)) continue;
    for (const tag of readdirSync(dir).filter((t) => t.startsWith('epoch-')).sort()) {
      tensors[`${phase}/${tag}`] = createHash('sha256').update(readFileSync(join(dir, tag, 'tensors.bin'))).digest('hex');
    }
  }
  return { metrics: JSON.stringify(summary.metrics), records, tensors };
}
