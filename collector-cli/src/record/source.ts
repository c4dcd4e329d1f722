import type { Table } from 'apache-arrow';
import type { RawCapture, SourceName, TableName } from '../../../core/bundle/index.ts';

/** What one source hands to the manifest and the bundle when recording ends. */
export interface SourceOutcome {
  status: 'ok' | 'partial' | 'unavailable';
  reason?: string;
  settings: Record<string, unknown>;
  tool?: { name: string; version: string | null };
  tables: Partial<Record<TableName, Table>>;
  notes?: string[];
  raw?: RawCapture[];
}

export function unavailable(reason: string, settings: Record<string, unknown> = {}, tool?: SourceOutcome['tool']): SourceOutcome {
  return { status: 'unavailable', reason, settings, tables: {}, ...(tool ? { tool } : {}) };
}

/** Thrown while a source starts, when it cannot run here; the recorder turns it into status "unavailable". */
export class SourceUnavailable extends Error {
  constructor(
    readonly source: SourceName,
    reason: string,
  ) {
    super(reason);
  }
}

/** Problems a parser reported, as manifest notes: the count and the first few with line numbers. */
export function problemNotes(what: string, problems: readonly { line: number; text: string; reason: string }[], count: number): string[] {
  if (count === 0) return [];
  const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.reason}: ${p.text}`);
  return [`${count} ${what} line(s) could not be parsed`, ...shown];
}
