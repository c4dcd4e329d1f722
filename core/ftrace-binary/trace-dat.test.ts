import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../importers/testing/parse-helpers.ts';
import { parseEventFormat, parseHeaderPage } from './format-file.ts';
import { parseTraceDat } from './trace-dat.ts';
import { TRACEFS } from './testing/tracefs-capture.ts';
import { sameAsReport } from './testing/report-compare.ts';
import { convertTraceDat, extractTraceDat } from './testing/trace-cmd.ts';

const EVENTS = ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_process_fork', 'sched_process_exec', 'sched_process_exit', 'sched_migrate_task', 'sched_process_free'].map((e) => `sched/${e}`);
describe('trace.dat written by trace-cmd 3.1.6 on this machine, against trace-cmd report of the same file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlab-dat-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const v7 = join(dir, 'extract-v7-zstd.dat');
  // A shell forking and exec'ing short processes: every sched event the table holds, on both CPUs.
  extractTraceDat(v7, EVENTS, 'for i in $(seq 30); do /bin/true; sh -c : ; done; sleep 0.02');
  const v6 = join(dir, 'v6.dat');
  const v7plain = join(dir, 'v7-none.dat');
  convertTraceDat(v7, v6, ['--file-version', '6']);
  convertTraceDat(v7, v7plain, ['--compression', 'none']);

  it('trace-cmd extract writes version 7, zstd-compressed, and so does the file read', () => {
    const d = parseTraceDat(new Uint8Array(readFileSync(v7)));
    expect(d.version).toBe(7);
    expect(d.compression).toBe('zstd');
    expect(parseTraceDat(new Uint8Array(readFileSync(v6))).version).toBe(6);
    expect(parseTraceDat(new Uint8Array(readFileSync(v7plain))).compression).toBe(null);
  });

  it('the format files it embeds are this kernel\'s (header_page, sched_switch, sched_process_exec read the same as from tracefs)', () => {
    const d = parseTraceDat(new Uint8Array(readFileSync(v7)));
    expect(parseHeaderPage(d.headerPage)).toEqual(parseHeaderPage(readFileSync(`${TRACEFS}/events/header_page`, 'utf8')));
    for (const e of ['sched_switch', 'sched_process_exec']) {
      const embedded = d.formats.find((f) => f.system === 'sched' && new RegExp(`^name: ${e}$`, 'm').test(f.text))!;
      expect(parseEventFormat(embedded.text, 'sched')).toEqual(parseEventFormat(readFileSync(`${TRACEFS}/events/sched/${e}/format`, 'utf8'), 'sched'));
    }
  });

  for (const [name, file] of [['v7 zstd', v7], ['v6', v6], ['v7 uncompressed', v7plain]] as const) {
    it(`${name}: every event equals trace-cmd report's (cpu, ns time, pids, comms, prios, states, targets)`, async () => {
      const { rows, settings, opened } = await sameAsReport(file);
      expect(rows).toBeGreaterThan(200);
      expect(settings).toMatchObject({ format: 'trace-cmd-dat', lostEvents: 0, damage: 0, traceClock: 'local' });
      expect(opened.imported!.notes.join(' ')).toMatch(/Other events skipped: sched_process_free ×\d+/);
      const events = new Set(rowsOf(opened.bundle.tables.sched!).map((r) => r.event));
      for (const e of ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_process_fork', 'sched_process_exec', 'sched_process_exit']) expect(events.has(e), e).toBe(true);
    });
  }
});

describe('a trace.dat whose ring buffer overflowed (16 KiB per CPU), against trace-cmd report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlab-dat-lost-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'lost.dat');
  extractTraceDat(file, ['sched/sched_switch', 'sched/sched_wakeup', 'sched/sched_process_fork', 'sched/sched_process_exec'], 'for i in $(seq 200); do /bin/true; done', 16);

  it('counts the lost events trace-cmd report prints, and the rows that are left equal its rows', async () => {
    const { settings, report, opened } = await sameAsReport(file);
    // trace-cmd 3.1.6 prints "CPU:N [M EVENTS DROPPED]", and "CPU:N [EVENTS DROPPED]" for a page flagged without a count.
    const uncounted = (report.text.match(/\[EVENTS DROPPED\]/g) ?? []).length;
    expect(settings.lostEvents).toBe(report.lostEvents);
    expect(settings.lostUncountedPages).toBe(uncounted);
    expect((settings.lostEvents as number) + uncounted).toBeGreaterThan(0);
    if (report.lostEvents) expect(opened.imported!.notes.join(' ')).toMatch(new RegExp(`The ring buffer lost ${report.lostEvents.toLocaleString('en-US')} events`));
  });
});

