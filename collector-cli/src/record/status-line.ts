import { writeControl } from '../terminal-output.ts';

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

export interface Progress {
  elapsedS: number;
  samples: number;
  syscalls: number;
  schedEvents: number;
  counterLines: number;
  capturedBytes: number;
  /** What a recorder extension adds (`tlab bench`: the configuration, requests per second, p99). */
  detail?: string;
}

const PLAIN_EVERY_S = 5;

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

/**
 * Progress on stderr (stdout belongs to the workload): a line redrawn in place on a terminal, a plain line
 * every few seconds otherwise, JSON lines with --json, nothing with --quiet (errors still go out).
 */
export class StatusLine {
  private lastPlain = -Infinity;
  private lastSyscalls = 0;
  private lastElapsed = 0;
  private drawn = false;

  constructor(readonly mode: ProgressMode) {}

  static choose(opts: { quiet: boolean; json: boolean }): StatusLine {
    return new StatusLine(opts.json ? 'json' : opts.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain');
  }

  update(p: Progress): void {
    const dt = p.elapsedS - this.lastElapsed;
    const rate = dt > 0 ? (p.syscalls - this.lastSyscalls) / dt : 0;
    this.lastSyscalls = p.syscalls;
    this.lastElapsed = p.elapsedS;
    const text = p.detail !== undefined
      ? `tlab: ${p.elapsedS.toFixed(1)} s  samples ${p.samples}  ${p.detail}`
      : `tlab: ${p.elapsedS.toFixed(1)} s  samples ${p.samples}  syscalls ${p.syscalls} (${Math.round(rate)}/s)  sched ${p.schedEvents}  captured ${human(p.capturedBytes)}`;
    switch (this.mode) {
      case 'tty':
        writeControl(process.stderr, '\r\x1b[2K');
        process.stderr.write(text);
        this.drawn = true;
        break;
      case 'plain':
        if (p.elapsedS - this.lastPlain >= PLAIN_EVERY_S) {
          this.lastPlain = p.elapsedS;
          process.stderr.write(text + '\n');
        }
        break;
      case 'json':
        process.stderr.write(JSON.stringify({ type: 'progress', ...p, syscallsPerS: Math.round(rate) }) + '\n');
        break;
      case 'quiet':
        break;
    }
  }

  /** A message that is not progress: a source that is unavailable, the stop reason, the result. */
  message(level: 'info' | 'warn' | 'error', text: string, extra: Record<string, unknown> = {}): void {
    if (this.mode === 'json') {
      process.stderr.write(JSON.stringify({ type: level, message: text, ...extra }) + '\n');
      return;
    }
    if (this.mode === 'quiet' && level === 'info') return;
    this.clear();
    process.stderr.write(`tlab: ${text}\n`);
  }

  event(type: string, data: Record<string, unknown>): void {
    if (this.mode === 'json') process.stderr.write(JSON.stringify({ type, ...data }) + '\n');
  }

  clear(): void {
    if (this.drawn) {
      writeControl(process.stderr, '\r\x1b[2K');
      this.drawn = false;
    }
  }
}
