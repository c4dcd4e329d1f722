import type { ColumnSelection } from '../bundle/table-decode.ts';

/**
 * The columns buildOverview reads, by table. Read with this selection (ReadOptions.columns), a bundle in format 2
 * inflates only these of its large tables: 4 of sched's 17 columns (15 of its 47 bytes a row), 5 of syscalls' 9.
 * A column the overview starts to read must be added here: overview.test.ts checks the overview of a bundle read
 * so equals the one read whole.
 */
export const OVERVIEW_COLUMNS = {
  samples: ['ts_ns', 'interval_ns', 'scope', 'pid', 'comm', 'cpu_user_s', 'cpu_system_s', 'rss_bytes', 'read_bytes', 'write_bytes'],
  psi: ['ts_ns', 'scope', 'resource', 'some_fraction', 'full_fraction'],
  counters: ['ts_ns', 'interval_ns', 'event', 'value', 'unit', 'scope'],
  syscalls: ['ts_ns', 'kind', 'name', 'errno', 'duration_ns'],
  sched: ['ts_ns', 'cpu', 'event', 'next_pid'],
} as const satisfies ColumnSelection;
