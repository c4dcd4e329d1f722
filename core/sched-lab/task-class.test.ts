import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle } from '../bundle/reader.ts';
import { prevStateOf } from './prev-state.ts';
import { normaliseComm } from './task-class.ts';

describe('normaliseComm', () => {
  it.each([
    ['kworker/1:2H-events_highpri', 5, 'kworker'],
    ['kworker/u8:2', 5, 'kworker'],
    ['ksoftirqd/0', 5, 'ksoftirqd'],
    ['migration/1', 5, 'migration'],
    ['cpuhp/0', 5, 'cpuhp'],
    ['irq/24-nvme0q1', 5, 'irq'],
    ['rcu_preempt', 5, 'rcu_preempt'],
    ['worker-12', 5, 'worker'],
    ['pool_3', 5, 'pool'],
    ['sysbench-7', 5, 'sysbench'],
    ['kdamond.0', 5, 'kdamond'],
    ['memfd:sealed-91', 5, 'memfd:sealed'],
    ['python3', 5, 'python3'],
    ['gzip', 5, 'gzip'],
    ['kcompactd0', 5, 'kcompactd0'],
    ['sched-messaging', 5, 'sched-messaging'],
    ['tokio-rt-worker', 5, 'tokio-rt-worker'],
    ['perf-exec', 5, 'perf-exec'],
    ['swapper/1', 0, '<idle>'],
    ['swapper/0', 7, '<idle>'],
    ['anything', 0, '<idle>'],
    [null, 0, '<idle>'],
    [null, 12, '<no-comm>'],
    ['12', 5, '12'],
  ] as const)('%s (pid %d) → %s', (comm, pid, want) => {
    expect(normaliseComm(comm, pid)).toBe(want);
  });
});

describe('prev_state groups', () => {
  it.each([
    ['R', 'R'],
    ['R+', 'R+'],
    ['S', 'S'],
    ['D', 'D'],
    ['D|K', 'D'],
    ['I', 'I'],
    ['T', 'T'],
    ['t', 'T'],
    ['X', 'X/Z'],
    ['Z', 'X/Z'],
    ['P', 'other'],
    ['', 'other'],
    [null, 'other'],
  ] as const)('%s → %s', (raw, want) => expect(prevStateOf(raw)).toBe(want));
});

describe('on a real bundle', () => {
  it('gives every recorded command a class without CPU or pool numbers, and maps every recorded prev_state', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/sysbench-cpu.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const t = r.bundle.tables.sched!;
    const nextComm = dictColumn(t, 'next_comm');
    const nextPid = numberColumn(t, 'next_pid');
    const classes = new Set<string>();
    for (let i = 0; i < t.numRows; i++) {
      const c = nextComm.codes[i]!;
      if (c >= 0) classes.add(normaliseComm(nextComm.values[c]!, nextPid[i]!));
    }
    for (const name of classes) expect(name).not.toMatch(/\/|[-_:.#]\d+$/);
    expect(classes).toContain('<idle>');
    expect(classes).toContain('kworker');
    expect(classes).toContain('sysbench');
    expect([...classes].some((n) => n.startsWith('swapper'))).toBe(false);
    const states = dictColumn(t, 'prev_state').values;
    expect(states.length).toBeGreaterThan(3);
    for (const s of states) expect(prevStateOf(s)).not.toBe('other');
  });
});
