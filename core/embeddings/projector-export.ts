import type { EmbeddingMatrix } from './skipgram-settings.ts';
import { syscallKind } from './syscall-kinds.ts';

/**
 * Files the TensorFlow Embedding Projector (projector.tensorflow.org, "Load") opens: vectors.tsv has one row of
 * tab-separated floats per token; metadata.tsv has the same rows in the same order, with a header line because
 * it has more than one column (the Projector reads a header only then).
 */

export const METADATA_HEADER = ['name', 'kind', 'count'] as const;

// A tab or line break inside a field would shift every later column or row.
const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/** One line per row; each float as JavaScript prints it (the shortest text that reads back to the same float32). */
export function vectorsTsv(m: EmbeddingMatrix): string {
  const lines: string[] = [];
  for (let r = 0; r < m.rows; r++) {
    const cells: string[] = [];
    for (let k = 0; k < m.dim; k++) cells.push(String(m.data[r * m.dim + k]!));
    lines.push(cells.join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** Header `name\tkind\tcount`, then one row per token: its name, syscallKind(name) and its count. */
export function metadataTsv(tokens: readonly string[], counts: ArrayLike<number>): string {
  const lines = [METADATA_HEADER.join('\t')];
  tokens.forEach((t, i) => lines.push(`${clean(t)}\t${syscallKind(t)}\t${counts[i] ?? 0}`));
  return lines.join('\n') + '\n';
}

/** Both files for a trained vocabulary. */
export function projectorFiles(
  embedding: EmbeddingMatrix,
  vocab: { readonly tokens: readonly string[]; readonly counts: ArrayLike<number> },
): { vectorsTsv: string; metadataTsv: string } {
  if (vocab.tokens.length !== embedding.rows) {
    throw new Error(`projector export: ${embedding.rows} vectors but ${vocab.tokens.length} tokens`);
  }
  return { vectorsTsv: vectorsTsv(embedding), metadataTsv: metadataTsv(vocab.tokens, vocab.counts) };
}

/** Reads vectors.tsv back (tests; loading an exported embedding). */
export function parseVectorsTsv(text: string): EmbeddingMatrix {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const dim = lines.length > 0 ? lines[0]!.split('\t').length : 0;
  const data = new Float32Array(lines.length * dim);
  lines.forEach((line, r) => {
    const cells = line.split('\t');
    if (cells.length !== dim) throw new Error(`vectors.tsv line ${r + 1}: ${cells.length} values, expected ${dim}`);
    cells.forEach((c, k) => {
      const x = Number(c);
      if (c.trim() === '' || !Number.isFinite(x)) throw new Error(`vectors.tsv line ${r + 1}: "${c}" is not a number`);
      data[r * dim + k] = x;
    });
  });
  return { data, rows: lines.length, dim };
}

/** Reads metadata.tsv back: rows of {name, kind, count}. */
export function parseMetadataTsv(text: string): { name: string; kind: string; count: number }[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines[0] !== METADATA_HEADER.join('\t')) throw new Error(`metadata.tsv: expected the header "${METADATA_HEADER.join('\\t')}"`);
  return lines.slice(1).map((l, i) => {
    const [name, kind, count] = l.split('\t');
    if (name === undefined || kind === undefined || count === undefined) throw new Error(`metadata.tsv line ${i + 2}: expected 3 columns`);
    return { name, kind, count: Number(count) };
  });
}
