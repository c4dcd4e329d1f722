import type { SchedResults, SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import type { ScoreSet } from '../../../core/sched-lab/types.ts';

const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '   –  ' : `${(v * 100).toFixed(1).padStart(5)}%`);

function cells(s: ScoreSet | undefined): string {
  return s ? `${pct(s.top1)} ${pct(s.topk)} ${pct(s.top1ExclIdle)} ${pct(s.top1Known)}` : `${pct(undefined)} ${pct(undefined)} ${pct(undefined)} ${pct(undefined)}`;
}

/** The result table as text: one row per baseline and model, seen and unseen side by side. */
export function formatSchedResults(r: SchedResults): string {
  const k = r.spec.topK;
  const width = Math.max(14, ...r.rows.map((x) => x.name.length));
  const group = (title: string) => `${title.padEnd(27)}`;
  const sub = `${'top-1'.padStart(6)} ${`top-${k}`.padStart(6)} ${'¬idle'.padStart(6)} ${'known'.padStart(6)}`;
  const head = `${''.padEnd(width)}  ${group('seen workloads')}   ${group('unseen workloads')}\n${'model'.padEnd(width)}  ${sub}   ${sub}`;
  const lines = [
    `scheduling lab, target ${r.spec.target} (${r.spec.sequence}), window ${r.spec.window}, seed ${r.spec.seed}, backend ${r.backend}`,
    `test positions: ${Object.entries(r.data.testPositions).map(([role, n]) => `${role} ${n}`).join(', ')}; training windows ${r.data.trainWindows} of ${r.data.availableTrainWindows}, validation ${r.data.validationWindows}`,
    '',
    head,
    ...r.rows.map((row) => `${row.name.padEnd(width)}  ${cells(row.scores.byRole['test-seen'])}   ${cells(row.scores.byRole['test-unseen'])}`),
    '(¬idle: top-1 leaving out the switches to idle; known: top-1 over the switches whose next task class was seen in training)',
    '',
    'per workload (top-1 / top-1 excluding idle):',
  ];
  const workloads = Object.keys(r.rows[0]?.scores.byWorkload ?? {});
  for (const w of workloads) {
    lines.push(`  ${w}: ${r.rows.map((row) => `${row.name} ${pct(row.scores.byWorkload[w]?.top1).trim()}/${pct(row.scores.byWorkload[w]?.top1ExclIdle).trim()}`).join(', ')}`);
  }
  const models = r.rows.filter((x): x is SchedResultRow & { inference: NonNullable<SchedResultRow['inference']> } => !!x.inference);
  if (models.length) {
    lines.push('', 'inference:');
    for (const m of models) {
      const i = m.inference;
      lines.push(
        `  ${m.name}: per event ${i.streamP50Us.toFixed(1)} µs p50, ${i.streamP99Us.toFixed(1)} µs p99 (${i.streamEvents} events${i.eventsPerTiming > 1 ? ` timed in blocks of ${i.eventsPerTiming}` : ''}, ${i.streamEngine}); batched ${Math.round(i.batchedEventsPerSecond).toLocaleString('en-US')} events/s (${i.backend}, batch ${i.batchSize}); trained ${m.training?.steps} steps in ${((m.training?.trainMs ?? 0) / 1000).toFixed(1)} s, best epoch ${m.training?.bestEpoch}`,
      );
    }
  }
  const s = r.seed.reported;
  lines.push('', `KernelOracle2 reported (different metric, see the lab): TCN top-1 ${pct(s.tcnTop1Seen).trim()} seen, ${pct(s.tcnTop1Unseen).trim()} unseen, ${s.msPerSampleAmortised} ms/sample amortised, ~${s.samplesPerSecond} samples/s`);
  return lines.join('\n');
}
