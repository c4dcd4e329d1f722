import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatParseError, parseEventFormat, parseHeaderPage } from './format-file.ts';
import { ensureTracefs, TRACEFS } from './testing/tracefs-capture.ts';

describe('format files of this machine\'s kernel', () => {
  ensureTracefs();
  const read = (p: string) => readFileSync(`${TRACEFS}/events/${p}`, 'utf8');

  it('header_page: 8-byte commit at 8, data at 16 on this 64-bit kernel', () => {
    expect(parseHeaderPage(read('header_page'))).toEqual({ timestampOffset: 0, commitOffset: 8, commitSize: 8, dataOffset: 16, dataSize: 4080 });
  });

  it('sched_switch: char arrays, pid_t, long prev_state, and the common fields', () => {
    const f = parseEventFormat(read('sched/sched_switch/format'), 'sched');
    expect(f.name).toBe('sched_switch');
    expect(f.id).toBe(Number(/ID: (\d+)/.exec(read('sched/sched_switch/format'))![1]));
    expect(f.common.map((c) => c.name)).toEqual(['common_type', 'common_flags', 'common_preempt_count', 'common_pid']);
    const byName = Object.fromEntries(f.fields.map((x) => [x.name, x]));
    expect(byName.prev_comm).toMatchObject({ type: 'char', offset: 8, size: 16, arrayLength: 16, isString: true, dynamic: null });
    expect(byName.prev_pid).toMatchObject({ type: 'pid_t', offset: 24, size: 4, signed: true, isString: false });
    expect(byName.prev_state).toMatchObject({ type: 'long', size: 8, signed: true });
    expect(f.printFmt).toMatch(/^"prev_comm=%s/);
  });

  it('sched_process_exec and sched_process_fork: __data_loc strings', () => {
    const exec = parseEventFormat(read('sched/sched_process_exec/format'));
    expect(exec.fields.find((x) => x.name === 'filename')).toMatchObject({ dynamic: 'data_loc', isString: true, size: 4 });
    const fork = parseEventFormat(read('sched/sched_process_fork/format'));
    expect(fork.fields.filter((x) => x.isString).map((x) => x.name)).toEqual(['parent_comm', 'child_comm']);
  });

  it('every event format of two whole subsystems parses, each field inside its record', () => {
    let n = 0;
    for (const sys of ['sched', 'irq', 'syscalls'].filter((s) => readdirSync(`${TRACEFS}/events`).includes(s))) {
      for (const e of readdirSync(`${TRACEFS}/events/${sys}`)) {
        let text: string;
        try {
          text = read(`${sys}/${e}/format`);
        } catch {
          continue; // "enable" and "filter" files of the subsystem
        }
        const f = parseEventFormat(text, sys);
        expect(f.name).toBe(e);
        for (const x of [...f.common, ...f.fields]) expect(x.offset + x.size, `${e}.${x.name}`).toBeLessThanOrEqual(4096);
        n++;
      }
    }
    expect(n).toBeGreaterThan(30);
  });

  it('refuses text that is no format file, saying what it starts with', () => {
    expect(() => parseEventFormat('hello\nworld')).toThrow(FormatParseError);
    expect(() => parseEventFormat('hello\nworld')).toThrow(/not an event format file .*"hello/);
    expect(() => parseHeaderPage('\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n')).toThrow(/lacks the commit, data field/);
  });
});
