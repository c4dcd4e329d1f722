import { chunksOf, type ByteSource } from '../bundle/source.ts';

/**
 * Turns byte chunks into text lines. A chunk may end inside a line or inside a multi-byte UTF-8 character;
 * both are carried over to the next chunk, so the split is the same whatever the chunk size.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';

  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }), false);
  }

  end(): string[] {
    return this.split(this.decoder.decode(), true);
  }

  private split(text: string, final: boolean): string[] {
    const out: string[] = [];
    let start = 0;
    let buf = this.rest + text;
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', start)) {
      const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      out.push(buf.slice(start, end));
      start = nl + 1;
    }
    buf = buf.slice(start);
    if (final) {
      // A last line without a newline still counts; a lone trailing \r is a Windows line end cut short.
      if (buf.length > 0) out.push(buf.endsWith('\r') ? buf.slice(0, -1) : buf);
      buf = '';
    }
    this.rest = buf;
    return out;
  }
}

export async function* readLines(source: ByteSource, chunkBytes?: number): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of chunksOf(source, chunkBytes)) yield* splitter.push(chunk);
  yield* splitter.end();
}
