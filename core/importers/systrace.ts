import { FtraceParser, type FtraceOptions, type FtraceResult } from './ftrace.ts';
import { ftraceMeta } from './ftrace.ts';
import { lineParser, type Importer } from './importer.ts';

export interface SystraceResult extends FtraceResult {
  /** How the trace text was wrapped: catapult's `<script class="trace-data">` blocks, or the older `var linuxPerfData = "…"`. */
  wrapping: 'trace-data' | 'linuxPerfData';
  /** trace-data blocks holding ftrace text, and those holding something else (a Chrome JSON trace): skipped. */
  textBlocks: number;
  otherBlocks: number;
}

/** An HTML file that holds no systrace data, so the user knows it is not a damaged trace. */
export class NoSystraceDataError extends Error {
  constructor() {
    super(
      'an HTML file without systrace data: found no <script class="trace-data"> block and no "var linuxPerfData" string ' +
        '(a systrace or catapult trace-viewer export holds its ftrace text in one of those)',
    );
    this.name = 'NoSystraceDataError';
  }
}

type State = 'html' | 'block-start' | 'text' | 'other' | 'legacy';

const BLOCK_START = /<script class="trace-data" type="application\/text">\s*$/;
const BLOCK_END = /^\s*<\/script>/;
const LEGACY_START = /var linuxPerfData = "\\$/;
// The legacy string continues each line with "\n\" (a JS string escape), and ends with '";' or at </script>.
const LEGACY_LINE_END = /\\n\\$/;

/**
 * Android systrace / catapult HTML: a trace viewer page whose trace-data blocks hold ftrace text (atrace's
 * `trace` output, TGID column and all). The HTML around it is skipped; the text goes to the ftrace parser
 * line for line, so problems keep the file's own line numbers. atrace's userspace markers
 * (`tracing_mark_write`) are not scheduling events and are counted as skipped, like any other event.
 */
export class SystraceParser {
  private readonly ftrace: FtraceParser;
  private state: State = 'html';
  private wrapping: SystraceResult['wrapping'] = 'trace-data';
  private textBlocks = 0;
  private otherBlocks = 0;

  constructor(options: FtraceOptions = {}) {
    this.ftrace = new FtraceParser(options);
  }

  pushLine(line: string): void {
    switch (this.state) {
      case 'html':
        if (BLOCK_START.test(line)) this.state = 'block-start';
        else if (LEGACY_START.test(line)) {
          this.state = 'legacy';
          this.wrapping = 'linuxPerfData';
          this.textBlocks++;
        }
        return this.skip();
      case 'block-start': {
        const t = line.trim();
        if (t === '') return this.skip();
        if (BLOCK_END.test(line)) {
          this.state = 'html';
          return this.skip();
        }
        // A block is ftrace text or a JSON trace; the first character tells.
        if (t.startsWith('{') || t.startsWith('[')) {
          this.otherBlocks++;
          this.state = line.includes('</script>') ? 'html' : 'other';
          return this.skip();
        }
        this.textBlocks++;
        this.state = 'text';
        return this.ftrace.pushLine(line);
      }
      case 'text':
        if (BLOCK_END.test(line)) {
          this.state = 'html';
          return this.skip();
        }
        return this.ftrace.pushLine(line);
      case 'other':
        // A JSON block may be one line that ends with its own </script>.
        if (line.includes('</script>')) this.state = 'html';
        return this.skip();
      case 'legacy': {
        const t = line.trim();
        if (t === '";' || BLOCK_END.test(line)) {
          this.state = 'html';
          return this.skip();
        }
        return this.ftrace.pushLine(LEGACY_LINE_END.test(line) ? line.slice(0, -3) : line);
      }
    }
  }

  finish(): SystraceResult {
    if (this.textBlocks === 0) throw new NoSystraceDataError();
    return { ...this.ftrace.finish(), wrapping: this.wrapping, textBlocks: this.textBlocks, otherBlocks: this.otherBlocks };
  }

  /** HTML lines still count, so the ftrace parser's line numbers are the file's. */
  private skip(): void {
    this.ftrace.pushLine('');
  }
}

/** A systrace export is a web page: its first line says so, and the trace text comes after the viewer. */
function htmlPage(head: string): number {
  const first = head.trimStart().slice(0, 64).toLowerCase();
  return first.startsWith('<!doctype html') || first.startsWith('<html') ? 1 : 0;
}

export const systraceImporter: Importer<'systrace'> = {
  format: 'systrace',
  title: 'Android systrace / catapult HTML (ftrace text inside)',
  detector: { patterns: [/^<!doctype html/i, /^<html/i], confidence: (_lines, head) => htmlPage(head) },
  parser: (file) =>
    lineParser(new SystraceParser(), (r) =>
      ftraceMeta(file, r, {
        notes: r.otherBlocks ? [`${r.otherBlocks} trace-data blocks that are not ftrace text (a JSON trace) were skipped.`] : [],
        settings: { format: 'systrace HTML', wrapping: r.wrapping },
      }),
    ),
};
