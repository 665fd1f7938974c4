import cliProgress from 'cli-progress';

/** Reports progress of long work: a bar on a terminal, plain periodic lines in logs. */
export interface ProgressReporter {
  start(label: string, total: number): ProgressTask;
}

export interface ProgressTask {
  tick(n?: number, info?: Record<string, string | number>): void;
  stop(): void;
}

export class TerminalProgress implements ProgressReporter {
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly intervalMs = 10000) {}

  start(label: string, total: number): ProgressTask {
    if (this.stream.isTTY) {
      const bar = new cliProgress.SingleBar({
        format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted} {info}`,
        stream: this.stream, hideCursor: true, clearOnComplete: false,
      }, cliProgress.Presets.shades_classic);
      bar.start(total, 0, { info: '' });
      let value = 0;
      return {
        tick: (n = 1, info) => { value += n; bar.update(value, { info: fmt(info) }); },
        stop: () => bar.stop(),
      };
    }
    // not a terminal: plain lines at most every intervalMs, plus the last one
    let value = 0;
    let last = 0;
    const t0 = Date.now();
    return {
      tick: (n = 1, info) => {
        value += n;
        const now = Date.now();
        if (now - last >= this.intervalMs || value >= total) {
          last = now;
          const el = (now - t0) / 1000;
          const eta = value > 0 ? (el / value) * (total - value) : 0;
          this.stream.write(`${label}: ${value}/${total} (${((100 * value) / Math.max(1, total)).toFixed(0)}%) elapsed ${el.toFixed(0)}s eta ${eta.toFixed(0)}s ${fmt(info)}\n`);
        }
      },
      stop: () => {},
    };
  }
}

export class SilentProgress implements ProgressReporter {
  start(): ProgressTask { return { tick: () => {}, stop: () => {} }; }
}

function fmt(info?: Record<string, string | number>): string {
  if (!info) return '';
  return Object.entries(info).map(([k, v]) => `${k}=${typeof v === 'number' ? (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(4)) : v}`).join(' ');
}
