import { TableBuilder, type Row } from '../bundle/table-builder.ts';
import { SCHED_EVENTS, schedColumnsFromFields } from '../importers/ftrace-events.ts';
import { EventDecoder, type FieldValue } from './decode-events.ts';
import type { EventFormat } from './format-file.ts';
import { prevStateReader } from './sched-state.ts';

/**
 * Sched events become rows of the bundle's sched table with the same columns and meanings as the ftrace text
 * importer's (the field-to-column mapping is shared: importers/ftrace-events.ts); the binary record only
 * saves the printing and re-reading.
 */
export class SchedRows {
  readonly builder = new TableBuilder('sched');
  private readonly prevState = new Map<number, (v: number) => string>();
  problems = 0;
  readonly firstProblems: string[] = [];

  isSched(format: EventFormat): boolean {
    return SCHED_EVENTS.has(format.name) && (format.system === null || format.system === 'sched');
  }

  push(tsNs: number, cpu: number, decoder: EventDecoder, fields: Map<string, FieldValue>): void {
    const format = decoder.format;
    const event = format.name;
    if (event === 'sched_switch') {
      const raw = fields.get('prev_state');
      if (typeof raw === 'number') {
        let read = this.prevState.get(format.id);
        if (!read) this.prevState.set(format.id, (read = prevStateReader(format.printFmt)));
        fields.set('prev_state', read(raw));
      }
    } else if (event === 'sched_process_fork' && !fields.has('pid')) {
      // Fork's parent is "parent_pid" in the format and "pid=" in the printed text.
      fields.set('pid', fields.get('parent_pid') ?? null);
    }
    const columns = schedColumnsFromFields(event, fields);
    if (typeof columns === 'string') {
      this.problems++;
      if (this.firstProblems.length < 5) this.firstProblems.push(`cpu ${cpu} at ${tsNs} ns: ${columns}`);
      return;
    }
    const commonPid = fields.get('common_pid');
    const row: Row = { ts_ns: tsNs, cpu, event, common_pid: typeof commonPid === 'number' ? commonPid : null, ...columns };
    if (event === 'sched_process_fork' && columns.parent_pid == null) row.parent_pid = row.common_pid;
    this.builder.push(row);
  }
}
