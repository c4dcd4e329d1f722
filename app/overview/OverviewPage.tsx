import { useMemo } from 'react';
import type { Overview, Series } from '../../core/overview/types.ts';
import type { TableName } from '../../core/bundle/tables.ts';
import type { LoadedBundle } from '../../workers/bundle-loader/protocol.ts';
import { ChartCard } from '../charts/ChartCard.tsx';
import { lineOption, rankedBarsOption, stackedBarsOption, type TimeDomain } from '../charts/options.ts';
import type { Theme } from '../theme.ts';
import { ManifestSummary } from './ManifestSummary.tsx';
import { TablesPanel } from './TablesPanel.tsx';
import { formatCount } from './format.ts';

function timeDomain(o: Overview): TimeDomain {
  let min = 0;
  let max = o.durationS;
  const all: Series[] = [...o.usage.cpu, ...o.psi, ...o.counters, ...(o.sched?.busy ?? [])];
  for (const s of all) {
    if (s.x.length) {
      min = Math.min(min, s.x[0]!);
      max = Math.max(max, s.x[s.x.length - 1]!);
    }
  }
  return { min, max: max > min ? max : min + 1 };
}

function Empty({ title, why }: { title: string; why: string }) {
  return (
    <section className="card empty-card">
      <h3>{title}</h3>
      <p className="muted small">{why}</p>
    </section>
  );
}

function sourceWhy(bundle: LoadedBundle, source: string, table: string): string {
  const s = bundle.manifest.sources[source as keyof LoadedBundle['manifest']['sources']];
  if (!s) return `This bundle has no ${table} table: the ${source} source was not recorded.`;
  return 'reason' in s ? `${source}: ${s.status} — ${s.reason}` : `The ${table} table is empty.`;
}

interface Props {
  bundle: LoadedBundle;
  theme: Theme;
  csv: (table: TableName) => Promise<Blob>;
}

export function OverviewPage({ bundle, theme, csv }: Props) {
  const o = bundle.overview;
  const domain = useMemo(() => timeDomain(o), [o]);
  const options = useMemo(
    () => ({
      cpu: lineOption(o.usage.cpu, domain, 'cores'),
      memory: lineOption(o.usage.memory, domain, 'MiB'),
      io: lineOption(o.usage.io, domain, 'MiB/s', { area: true }),
      psi: lineOption(o.psi, domain, '% stalled'),
      counters: lineOption(o.counters, domain, 'per second'),
      syscallTop: o.syscalls ? rankedBarsOption(o.syscalls.top.map((s) => ({ label: s.name, value: s.count })), 'calls') : null,
      syscallTime: o.syscalls ? stackedBarsOption(o.syscalls.overTime, domain, `calls / ${o.syscalls.overTime.bucketS} s`) : null,
      schedBusy: o.sched ? lineOption(o.sched.busy, domain, '% busy', { max: 100 }) : null,
      schedSwitches: o.sched ? stackedBarsOption(o.sched.switchesPerCpu, domain, `switches / ${o.sched.switchesPerCpu.bucketS} s`) : null,
    }),
    [o, domain],
  );

  return (
    <div className="overview" data-testid="overview">
      <div className="overview-top">
        <ManifestSummary manifest={bundle.manifest} fileName={bundle.name} bytes={bundle.bytes} />
        <TablesPanel tables={bundle.tables} bundleName={bundle.name} csv={csv} />
      </div>
      {bundle.warnings.length ? (
        <div className="notice" role="status">
          {bundle.warnings.map((w, i) => (
            <div key={i}>{w}</div>
          ))}
        </div>
      ) : null}
      <h2 className="section-title">Resource usage</h2>
      <div className="grid">
        {o.usage.cpu.length ? (
          <>
            <ChartCard id="usage-cpu" title="CPU" subtitle="group, system and the busiest processes" option={options.cpu} theme={theme} timeAxis />
            <ChartCard id="usage-memory" title="Memory (RSS)" option={options.memory} theme={theme} timeAxis />
            {o.usage.io.some((s) => s.x.length > 0) ? (
              <ChartCard id="usage-io" title="Storage I/O of the group" option={options.io} theme={theme} timeAxis />
            ) : (
              <Empty title="Storage I/O" why="No read/write byte counts were recorded (/proc/PID/io needs the same user or root)." />
            )}
          </>
        ) : (
          <Empty title="Resource usage" why={sourceWhy(bundle, 'proc', 'samples')} />
        )}
      </div>
      <h2 className="section-title">Pressure and counters</h2>
      <div className="grid">
        {o.psi.length ? (
          <ChartCard id="psi" title="Pressure stall (PSI)" subtitle="share of each interval with stalled tasks" option={options.psi} theme={theme} timeAxis />
        ) : (
          <Empty title="Pressure stall (PSI)" why={sourceWhy(bundle, 'psi', 'psi')} />
        )}
        {o.counters.length ? (
          <ChartCard id="counters" title="Counters" subtitle="perf stat, per second" option={options.counters} theme={theme} timeAxis />
        ) : (
          <Empty title="Counters" why={sourceWhy(bundle, 'perf', 'counters')} />
        )}
      </div>
      <h2 className="section-title">System calls</h2>
      <div className="grid">
        {o.syscalls && options.syscallTop && options.syscallTime ? (
          <>
            <ChartCard
              id="syscalls-top"
              title={`Top system calls (${formatCount(o.syscalls.total)} in all)`}
              option={options.syscallTop}
              theme={theme}
              height={300}
            />
            <ChartCard id="syscalls-time" title="System calls over time" option={options.syscallTime} theme={theme} timeAxis height={300} />
          </>
        ) : (
          <Empty title="System calls" why={sourceWhy(bundle, 'strace', 'syscalls')} />
        )}
      </div>
      <h2 className="section-title">Scheduling</h2>
      <div className="grid">
        {o.sched && options.schedBusy && options.schedSwitches ? (
          <>
            <ChartCard id="sched-busy" title="CPU busy (from sched_switch)" option={options.schedBusy} theme={theme} timeAxis />
            <ChartCard id="sched-switches" title="Context switches per CPU" option={options.schedSwitches} theme={theme} timeAxis />
          </>
        ) : (
          <Empty title="Scheduling" why={sourceWhy(bundle, 'sched', 'sched')} />
        )}
      </div>
    </div>
  );
}
