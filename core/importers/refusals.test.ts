import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numberColumn } from '../bundle/columns.ts';
import { gzipSync } from 'fflate';
import { importCapture } from './capture-to-bundle.ts';
import { openSource } from './open-source.ts';
import { detectTextFormat } from './detect.ts';
import { ImportError, type ImportErrorKind } from './errors.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

async function refusal(name: string, bytes: Uint8Array): Promise<ImportError> {
  try {
    await importCapture(name, bytes, { chunkBytes: 512 });
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error(`${name} was imported`);
}

describe('files that are not text captures get their own message', () => {
  const cases: [file: string, kind: ImportErrorKind, says: RegExp][] = [
    ['refusals/strace-t-ls-head20.utf16.log', 'utf16', /UTF-16 text .*iconv -f UTF-16 -t UTF-8/],
    ['refusals/strace-t-ls.zip', 'zip-not-a-bundle', /zip archive, not a text capture.*unzip it/],
    ['bundles/lfs-pointer.tlab', 'unknown-format', /It starts with "version https:\/\/git-lfs/],
  ];
  for (const [file, kind, says] of cases) {
    it(`${file}: ${kind}`, async () => {
      const e = await refusal(file, fixture(file));
      expect(e.kind).toBe(kind);
      expect(e.message).toMatch(says);
      expect(e.message.startsWith(file)).toBe(true);
    });
  }

  it('a trace.dat cut short (the first 4 KiB of one) is refused by the trace.dat reader, saying where and why', async () => {
    const r = await openSource('first4k.dat', fixture('refusals/trace-cmd-extract-first4k.dat'));
    expect(r.ok).toBe(false);
    const e = !r.ok && r.error.from === 'import' ? r.error.error : null;
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).kind).toBe('trace-cmd-dat');
    expect(e!.message).toMatch(/^first4k.dat is a trace-cmd recording \(trace.dat\) that Telemetry Lab cannot read \(at byte \d+\): .*(cut short|are left)/);
  });

  it('a gzip-compressed trace.dat is refused with what to do', async () => {
    const e = await refusal('first4k.dat.gz', gzipSync(fixture('refusals/trace-cmd-extract-first4k.dat')));
    expect(e.kind).toBe('trace-cmd-dat');
    expect(e.message).toMatch(/first4k.dat.gz \(decompressed\) holds a trace-cmd recording \(trace.dat\) inside gzip compression.*gunzip -k/);
  });

  it('an empty file', async () => {
    const e = await refusal('empty.log', new Uint8Array(0));
    expect(e.kind).toBe('empty');
    expect(e.message).toMatch(/empty.log is empty \(0 bytes\)/);
  });

  it('binary data that is no known format names its first bytes', async () => {
    // The .dat's bytes after its 10-byte magic: binary, but no format Telemetry Lab knows.
    const e = await refusal('part.bin', fixture('refusals/trace-cmd-extract-first4k.dat').subarray(10));
    expect(e.kind).toBe('binary');
    expect(e.message).toMatch(/part.bin is binary data, not text \(it starts with [0-9a-f ]+\)/);
  });
});

describe('gzip is decompressed and imported', () => {
  it('strace-t-ls.log.gz gives the same rows as strace-t-ls.log, and says it was compressed', async () => {
    const plain = await importCapture('strace-t-ls.log', fixture('strace/strace-t-ls.log'));
    const gz = await importCapture('strace-t-ls.log.gz', fixture('refusals/strace-t-ls.log.gz'), { chunkBytes: 1000 });
    expect(gz.report.format).toBe('strace');
    expect(gz.report.rows).toBe(plain.report.rows);
    expect(numberColumn(gz.bundle.tables.syscalls!, 'ts_ns')).toEqual(numberColumn(plain.bundle.tables.syscalls!, 'ts_ns'));
    expect(gz.report.notes[0]).toMatch(/gzip-compressed/);
  });

  it('a gzip file cut short is refused as damaged', async () => {
    const gz = fixture('refusals/strace-t-ls.log.gz');
    const e = await refusal('cut.log.gz', gz.subarray(0, gz.byteLength - 100));
    expect(e.kind).toBe('gzip-corrupt');
    expect(e.message).toMatch(/cut.log.gz is gzip-compressed but cannot be decompressed/);
  });
});

describe('zero rows is an error, whatever the format', () => {
  const cases: [file: string, kind: ImportErrorKind, says: RegExp][] = [
    ['refusals/tracefs-instance-no-events.txt', 'no-rows', /holds only 12 comment lines \(starting "# tracer: nop"\)/],
    ['refusals/kernel-oracle-header-only.csv', 'no-rows', /read 1 lines as kernel-oracle-csv but got no rows/],
    ['refusals/perfspect-summary-header-only.csv', 'no-rows', /read 1 lines as perfspect-summary but got no rows/],
  ];
  for (const [file, kind, says] of cases) {
    it(file, async () => {
      const e = await refusal(file, fixture(file));
      expect(e.kind).toBe(kind);
      expect(e.message).toMatch(says);
    });
  }
});

describe('a source that keeps under half of its lines fails, naming the first bad lines', () => {
  it('strace on stderr with ls -l output after it: 76 strace lines of 1228', async () => {
    const file = 'refusals/strace-stderr-mixed-with-ls-output.txt';
    expect(detectTextFormat(new TextDecoder().decode(fixture(file).subarray(0, 16384))).format).toBe('strace');
    const e = await refusal(file, fixture(file));
    expect(e.kind).toBe('too-many-bad-lines');
    // grep -c '^openat\|^close\|^+++' gives 76 strace lines; line 74, "total 4412", starts the listing ls wrote.
    expect(e.message).toMatch(/only 76 of 1,228 lines \(6%\) could be read as strace; an import needs at least 50%/);
    expect(e.message).toMatch(/First bad lines: line 74: .*"total 4412"; line 75: .*"drwxr-xr-x/);
  });
});

describe('plain numeric CSVs are not PerfSpect time series', () => {
  it('a PSI log CSV (timestamp with decimals, numbers) is not detected as perfspect-series', async () => {
    const text = new TextDecoder().decode(fixture('csv/psi-loop.csv'));
    const d = detectTextFormat(text);
    expect(d.scores['perfspect-series']).toBe(0);
    expect(d.format).not.toBe('perfspect-series');
  });

  it('the real PerfSpect layouts still are', () => {
    for (const f of ['perfspect-series/metric_out.sys.csv', 'perfspect-series/sys_metrics.csv']) {
      expect(detectTextFormat(new TextDecoder().decode(fixture(f))).format).toBe('perfspect-series');
    }
  });
});
