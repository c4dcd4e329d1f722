import type { ByteCursor } from './byte-cursor.ts';

/** The metadata blocks trace.dat v6 writes one after another and v7 writes as sections: the same contents. */

export interface FormatText {
  system: string;
  text: string;
}

export function readHeaderInfo(c: ByteCursor): { headerPage: string; headerEvent: string } {
  c.expect('header_page\0', 'header info');
  const headerPage = c.text(c.u64('header_page size'), 'header_page text');
  c.expect('header_event\0', 'header info');
  const headerEvent = c.text(c.u64('header_event size'), 'header_event text');
  return { headerPage, headerEvent };
}

/** The ftrace subsystem's own events (function, print, ...): u32 count, then u64 size and text each. */
export function readFtraceFormats(c: ByteCursor): FormatText[] {
  const n = c.u32('ftrace format count');
  const out: FormatText[] = [];
  for (let i = 0; i < n; i++) out.push({ system: 'ftrace', text: c.text(c.u64(`ftrace format ${i + 1} size`), `ftrace format ${i + 1}`) });
  return out;
}

/** Every other subsystem: u32 systems, each a name, u32 count, then u64 size and text per event. */
export function readEventFormats(c: ByteCursor): FormatText[] {
  const systems = c.u32('event system count');
  const out: FormatText[] = [];
  for (let s = 0; s < systems; s++) {
    const system = c.cstring(`event system ${s + 1} name`);
    const n = c.u32(`event count of ${system}`);
    for (let i = 0; i < n; i++) out.push({ system, text: c.text(c.u64(`${system} format ${i + 1} size`), `${system} format ${i + 1}`) });
  }
  return out;
}

/** /proc/kallsyms and printk formats: sizes are u32; their contents are not needed for scheduling. */
export function skipU32Sized(c: ByteCursor, what: string): void {
  c.take(c.u32(`${what} size`), what);
}

/** saved_cmdlines ("pid comm" lines) as a map. */
export function readCmdlines(c: ByteCursor): Map<number, string> {
  const text = c.text(c.u64('cmdlines size'), 'cmdlines');
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m) out.set(Number(m[1]), m[2]!);
  }
  return out;
}
