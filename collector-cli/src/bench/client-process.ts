import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from '../record/cleanup.ts';
import { within } from './procs.ts';
import type { FromClient, ToClient } from './protocol.ts';

/**
 * The client (client.ts) in a child Node process, talked to over IPC. The CLI is TypeScript run through tsx, so
 * the child loads tsx too. It ignores Ctrl-C (tlab stops it in order) and ends when the IPC channel closes, so it
 * never outlives tlab.
 */
export class ClientProcess {
  private readonly child: ChildProcess;
  private readonly waiting: { match: (m: FromClient) => boolean; resolve: (m: FromClient) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private exitText: string | null = null;
  readonly exited: Promise<void>;
  onMessage: (m: FromClient) => void = () => {};

  constructor(cleanup: Cleanup) {
    const entry = fileURLToPath(new URL('./client.ts', import.meta.url));
    this.child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const undo = cleanup.add('bench client', () => {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // Gone.
      }
    });
    this.exited = new Promise((resolve) => {
      const done = (text: string) => {
        this.exitText ??= text;
        undo.drop();
        const why = new Error(`the bench client ended (${this.exitText})${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        for (const w of this.waiting.splice(0)) w.reject(why);
        resolve();
      };
      this.child.once('error', (e) => done(`could not start: ${e.message}`));
      this.child.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    this.child.on('message', (m: FromClient) => {
      if (m.type === 'error') {
        const e = new Error(`bench client: ${m.message}`);
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.onMessage(m);
      const i = this.waiting.findIndex((w) => w.match(m));
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitText === null && this.child.exitCode === null && this.child.signalCode === null;
  }

  send(m: ToClient): void {
    if (this.alive && this.child.connected) this.child.send(m);
  }

  /** The next message that `match` accepts; rejects if the client fails or ends first. */
  next<T extends FromClient>(match: (m: FromClient) => m is T): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`the bench client is not running (${this.exitText ?? 'not started'})`));
    return new Promise<T>((resolve, reject) => this.waiting.push({ match, resolve: resolve as (m: FromClient) => void, reject }));
  }

  /** Asks it to finish and end; SIGKILL if it has not after `graceMs`. */
  async close(graceMs = 3000): Promise<void> {
    if (!this.alive) return;
    this.send({ type: 'close' });
    const gone = await within(this.exited, graceMs);
    if (!gone) this.kill();
    await this.exited;
  }

  kill(): void {
    try {
      this.child.kill('SIGKILL');
    } catch {
      // Gone.
    }
  }
}
