/** A line an importer could not use: where it is, what it said (cut short) and why it was rejected. */
export interface ParseProblem {
  line: number;
  text: string;
  reason: string;
}

const MAX_KEPT = 100;
const MAX_TEXT = 200;

/**
 * Bad lines are reported, not fatal, but a file of nothing but garbage must not grow an unbounded list:
 * the first MAX_KEPT are kept with their text, all of them are counted.
 */
export class ProblemLog {
  readonly list: ParseProblem[] = [];
  count = 0;

  add(line: number, text: string, reason: string): void {
    this.count++;
    if (this.list.length < MAX_KEPT) {
      this.list.push({ line, text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text, reason });
    }
  }
}
