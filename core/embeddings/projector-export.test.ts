import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { metadataTsv, parseMetadataTsv, parseVectorsTsv, projectorFiles } from './projector-export.ts';

describe('Embedding Projector export', () => {
  it('round-trips vectors exactly and metadata row for row', () => {
    const rng = new Rng(4);
    const tokens = ['read', 'sendto', 'mmap', '<rare>'];
    const counts = [100, 20, 3, 2];
    const data = Float32Array.from({ length: tokens.length * 8 }, () => rng.normal() * 1e-3);
    data[5] = 0;
    data[6] = -1e-30;
    const files = projectorFiles({ data, rows: tokens.length, dim: 8 }, { tokens, counts });
    const lines = files.vectorsTsv.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split('\t')).toHaveLength(8);
    const back = parseVectorsTsv(files.vectorsTsv);
    expect(back.rows).toBe(4);
    expect(back.dim).toBe(8);
    expect(Array.from(back.data)).toEqual(Array.from(data));

    expect(files.metadataTsv.split('\n')[0]).toBe('name\tkind\tcount');
    expect(parseMetadataTsv(files.metadataTsv)).toEqual([
      { name: 'read', kind: 'file', count: 100 },
      { name: 'sendto', kind: 'network', count: 20 },
      { name: 'mmap', kind: 'memory', count: 3 },
      { name: '<rare>', kind: 'other', count: 2 },
    ]);
  });

  it('keeps one row per token even if a name holds a tab or newline', () => {
    const text = metadataTsv(['a\tb', 'c\nd'], [1, 2]);
    expect(parseMetadataTsv(text).map((r) => r.name)).toEqual(['a b', 'c d']);
  });

  it('refuses a vocabulary that does not match the vectors', () => {
    expect(() => projectorFiles({ data: new Float32Array(4), rows: 2, dim: 2 }, { tokens: ['x'], counts: [1] })).toThrow(/2 vectors but 1 tokens/);
  });
});
