import { describe, expect, it } from 'vitest';
import { buildTable } from '../bundle/table-builder.ts';
import { csvCell, neutraliseFormula, tableToCsv } from './csv.ts';

describe('CSV cells never read as formulas (OWASP CSV injection)', () => {
  it('puts a single quote before text that starts with = + - @, tab or carriage return', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutraliseFormula('+cmd')).toBe("'+cmd");
    expect(neutraliseFormula("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(neutraliseFormula('@SUM(1,2)')).toBe("'@SUM(1,2)");
    expect(neutraliseFormula('\t=1')).toBe("'\t=1");
    expect(neutraliseFormula('\r=1')).toBe("'\r=1");
  });

  it('leaves other text and text that is only a number as it is', () => {
    for (const s of ['openat', '<idle>', 'kworker/1:2H-events_highpri', 'a=b', ' =1', "'=1", '', '-1.5', '+3', '-2e-7', '.5', '-0']) {
      expect(neutraliseFormula(s)).toBe(s);
    }
    // A sign with something else after it is not a number.
    expect(neutraliseFormula('-')).toBe("'-");
    expect(neutraliseFormula('-1.5.2')).toBe("'-1.5.2");
    expect(neutraliseFormula('-Infinity')).toBe("'-Infinity");
  });

  it('csvCell: numbers as written (negative ones too), non-finite empty, text neutralised then quoted', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(-0.000123)).toBe('-0.000123');
    expect(csvCell(1e-7)).toBe('1e-7');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell('=1+1')).toBe("'=1+1");
    // The quote goes inside the RFC 4180 quoting, so the field's value starts with it.
    expect(csvCell('=SUM(A1,A2)')).toBe(`"'=SUM(A1,A2)"`);
    expect(csvCell('@a "b"')).toBe(`"'@a ""b"""`);
    expect(csvCell('\r\n=1')).toBe(`"'\r\n=1"`);
    expect(csvCell('ngram-1')).toBe('ngram-1');
  });

  it('tableToCsv: a syscalls table with hostile names and negative numbers', () => {
    const table = buildTable('syscalls', [
      { ts_ns: 1000n, pid: 7, tid: 7, kind: 'syscall', name: '=cmd|calc', duration_ns: 5n, ret: -2n, errno: 'ENOENT', args: '-1, "x"' },
      { ts_ns: 2000n, pid: 7, tid: 8, kind: 'syscall', name: 'read', duration_ns: null, ret: 3n, errno: null, args: '@x' },
    ]);
    const text = [...tableToCsv(table)].join('');
    expect(text).toBe(
      [
        'ts_ns,pid,tid,kind,name,duration_ns,ret,errno,args',
        `1000,7,7,syscall,'=cmd|calc,5,-2,ENOENT,"'-1, ""x"""`,
        "2000,7,8,syscall,read,,3,,'@x",
        '',
      ].join('\n'),
    );
  });
});
