import type { MouseEvent } from 'react';
import type { DatasetEntry } from '../datasets.ts';
import type { LabView } from '../labs/lab-route.ts';
import { DemoList } from './DemoPicker.tsx';
import { DROPPABLE } from './formats.ts';

const LABS: readonly { view: LabView; title: string; what: string }[] = [
  { view: 'sched', title: 'Scheduling lab', what: 'Predict the next task on each CPU from ftrace switch sequences (LSTM and TCN against n-gram baselines), on 27 shipped scheduler traces.' },
  { view: 'forecast', title: 'Forecast lab', what: "Forecast a process group's CPU use from its usage, syscall embeddings, PSI and counters, over a horizon × history grid, on three shipped recordings." },
  { view: 'verified', title: 'Verified lab', what: 'Predict service latency from machine pressure with a network proven monotone (more pressure never predicts less latency), on redis and nginx recordings.' },
  { view: 'fingerprint', title: 'Fingerprint lab', what: 'Tell workloads apart by the phases of their recordings (change points, then DTW or Euclidean distances and a boosted-tree classifier), and say when one was never seen before.' },
];

interface Props {
  demos: readonly DatasetEntry[];
  onPickDemo: (d: DatasetEntry) => void;
  onOpenLab: (view: LabView) => void;
  onOpenFile: () => void;
}

/** The first visit: what the tool does, what it opens, and one click to each thing with real data in it. */
export function Landing({ demos, onPickDemo, onOpenLab, onOpenFile }: Props) {
  const lab = (view: LabView) => (e: MouseEvent<HTMLAnchorElement>) => {
    // A plain click stays in the page; a middle or modified click opens the link as links do.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    onOpenLab(view);
  };
  return (
    <section className="landing" data-testid="welcome">
      <div className="card landing-intro">
        <h2>See what a Linux workload did, then learn models of it</h2>
        <p>
          Telemetry Lab charts a recording of one workload — CPU, memory and I/O of its process group, pressure stalls (PSI), perf counters, system calls and
          scheduler switches — on one zoomable time axis, and trains models on it in three labs. Everything runs in this browser; no file is uploaded.
        </p>
        <p>
          <button type="button" onClick={onOpenFile}>
            Open a file…
          </button>{' '}
          or drop one anywhere on this window. Record a bundle with <code>sudo npx tlab record -o run.tlab -- COMMAND</code>.
        </p>
      </div>
      <div className="landing-grid">
        <div className="card">
          <h3>Open a demo recording</h3>
          {demos.length ? <DemoList demos={demos} onPick={onPickDemo} /> : <p className="muted">The demo list is loading…</p>}
        </div>
        <div className="card" data-testid="droppable">
          <h3>What you can drop here</h3>
          <p className="small">
            <strong>Bundles</strong> (<code>.tlab</code>, written by <code>tlab record</code> or <code>tlab import</code>), and raw captures other tools wrote,
            recognised by their content (gzip-compressed too):
          </p>
          <ul className="small droppable-list">
            {DROPPABLE.map((d) => (
              <li key={d.format} data-format={d.format}>
                {d.what} <span className="muted">— e.g. <code>{d.example}</code></span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h2 className="section-title">The labs</h2>
      <div className="landing-grid landing-labs">
        {LABS.map((l) => (
          <a key={l.view} className="card lab-link" href={`?lab=${l.view}`} onClick={lab(l.view)} data-testid={`landing-lab-${l.view}`}>
            <h3>{l.title} →</h3>
            <p className="small">{l.what}</p>
          </a>
        ))}
      </div>
    </section>
  );
}
