import { escapeForTerminal } from '../../core/text/terminal.ts';

/**
 * The CLI's output layer: everything written to stdout and stderr — console.log, console.error, commander's own
 * messages, the progress line — passes through escapeForTerminal, so no string from a bundle or an imported file
 * can reach the terminal as a control sequence, whatever path prints it. The few sequences the CLI means to send
 * (the progress line's "\r\x1b[2K") go through writeControl, which is the only way around the filter.
 */

type Write = NodeJS.WriteStream['write'];
const originals = new Map<NodeJS.WriteStream, Write>();

function guard(stream: NodeJS.WriteStream): void {
  if (originals.has(stream)) return;
  const original = stream.write.bind(stream) as Write;
  originals.set(stream, original);
  const decoder = new TextDecoder('utf-8');
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    // The CLI writes text only; bytes are decoded (streaming, so a character split across writes stays whole).
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk, { stream: true }) : String(chunk);
    return (original as (c: string, ...r: unknown[]) => boolean)(escapeForTerminal(text), ...rest);
  } as Write;
}

/** Installs the filter on process.stdout and process.stderr (once; later calls do nothing). */
export function installTerminalOutput(): void {
  guard(process.stdout);
  guard(process.stderr);
}

/** Writes a control sequence the CLI itself means (never text from data) past the filter. */
export function writeControl(stream: NodeJS.WriteStream, sequence: string): void {
  const write = originals.get(stream) ?? stream.write.bind(stream);
  (write as (c: string) => boolean)(sequence);
}
