import { StraceParser } from '../core/importers/strace.ts';
import { ByteLineSplitter } from '../core/importers/byte-lines.ts';
import { chunksOf } from '../core/bundle/source.ts';

/**
 * One parse of strace text by the parser alone: chunks (4 MiB, as the loader reads files) split into lines as
 * bytes, pushed to StraceParser's byte path, the table built. Returns the table's row count. No Node or DOM
 * API: the Node bench and the Chromium worker bench run this same code.
 */
export async function parseStraceOnce(big: Uint8Array): Promise<number> {
  const parser = new StraceParser({ expectedBytes: big.byteLength });
  const lines = new ByteLineSplitter({ line: (b, s, e) => parser.pushLineBytes(b, s, e), overlong: () => parser.pushLine('') });
  for await (const chunk of chunksOf(big)) lines.push(chunk);
  lines.end();
  return parser.finish().table.numRows;
}
