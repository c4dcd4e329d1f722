import { useMemo, useState } from 'react';
import { nearestNeighbours } from '../../../core/embeddings/projection.ts';
import { metadataTsv, vectorsTsv } from '../../../core/embeddings/projector-export.ts';
import { SYSCALL_KIND_LABELS, syscallKind, type SyscallKind } from '../../../core/embeddings/syscall-kinds.ts';
import type { SyscallEmbeddingSummary } from '../../../core/forecast/syscall-embedding-series.ts';
import type { EmbeddingResults, EmbeddingSettings } from '../../../workers/forecast-lab/protocol.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { download } from '../sched/sched-export.ts';
import { embeddingOption } from './chart-options.ts';
import './echarts-extra.ts';
import { NumberField } from './fields.tsx';
import type { EmbeddingState } from './useForecastLab.ts';

interface Props {
  state: EmbeddingState;
  /** False when the bundle has no syscall series (nothing to embed). */
  hasSyscalls: boolean;
  busy: boolean;
  onTrain: (s: EmbeddingSettings) => void;
  onCancel: () => void;
  /** The vectors behind the last run's syscall-embedding inputs (trained on its training span), if any. */
  runEmbedding: SyscallEmbeddingSummary | null;
  theme: Theme;
}

/** What the panel draws: vectors trained here, or those a forecast run trained for its inputs. */
export interface EmbeddingView {
  readonly origin: 'trained here' | 'forecast run';
  readonly tokens: readonly string[];
  readonly kinds: readonly SyscallKind[];
  readonly counts: ArrayLike<number>;
  readonly vectors: Float32Array;
  readonly dim: number;
  readonly points: Float64Array;
  readonly explained: readonly [number, number];
  readonly summary: string;
}

function viewOfTrained(r: EmbeddingResults): EmbeddingView {
  return {
    origin: 'trained here',
    tokens: r.tokens,
    kinds: r.kinds,
    counts: r.counts,
    vectors: r.vectors,
    dim: r.dim,
    points: r.points,
    explained: r.explained,
    summary: `${r.tokens.length} distinct calls from ${r.calls.toLocaleString('en-US')} calls in ${r.threads} threads; ${r.pairs.toLocaleString('en-US')} pairs in ${r.seconds.toFixed(2)} s (${Math.round(r.pairsPerSecond).toLocaleString('en-US')} pairs/s); loss per epoch ${r.epochLoss.map((l) => l.toFixed(3)).join(' → ')}.`,
  };
}

function viewOfRun(e: SyscallEmbeddingSummary): EmbeddingView {
  return {
    origin: 'forecast run',
    tokens: e.tokens,
    kinds: e.tokens.map(syscallKind),
    counts: e.counts,
    vectors: e.vectors,
    dim: e.dim,
    points: e.pca,
    explained: e.explained,
    summary: `The ${e.dim}-dimensional vectors the last run fed its forecasters: ${e.tokens.length} distinct calls of the training span, ${e.pairs.toLocaleString('en-US')} pairs (${Math.round(e.pairsPerSecond).toLocaleString('en-US')} pairs/s). Train here to use other settings or the whole bundle.`,
  };
}

export const EMBEDDING_DEFAULTS: EmbeddingSettings = { window: 5, dim: 32, negatives: 5, subsample: 1e-3, epochs: 5, seed: 1, minCount: 1 };

/** Skip-gram syscall embeddings of the chosen bundle: PCA by kind, nearest neighbours, Projector export. */
export function EmbeddingsPanel({ state, hasSyscalls, busy, onTrain, onCancel, runEmbedding, theme }: Props) {
  const [s, setS] = useState<EmbeddingSettings>(EMBEDDING_DEFAULTS);
  const [chosen, setChosen] = useState<string | null>(null);
  const set = <K extends keyof EmbeddingSettings>(k: K, v: EmbeddingSettings[K]) => setS((x) => ({ ...x, [k]: v }));
  const results = useMemo(() => (state.status === 'done' ? viewOfTrained(state.results) : runEmbedding ? viewOfRun(runEmbedding) : null), [state, runEmbedding]);
  const running = state.status === 'running';
  const index = results ? Math.max(0, results.tokens.indexOf(chosen ?? '')) : null;
  const matrix = useMemo(() => (results ? { data: results.vectors, rows: results.tokens.length, dim: results.dim } : null), [results]);
  const neighbours = useMemo(() => (matrix && index !== null && matrix.rows > 1 ? nearestNeighbours(matrix, index, 10) : []), [matrix, index]);
  const option = useMemo(() => (results ? embeddingOption(results, index) : null), [results, index]);
  const invalid = Object.entries(s).find(([k, v]) => !Number.isFinite(v) || (k !== 'subsample' && k !== 'seed' && k !== 'negatives' && v < 1));

  return (
    <section className="card" data-testid="forecast-embeddings">
      <header className="card-header">
        <div>
          <h3>Syscall embeddings</h3>
          <p className="muted small">
            Skip-gram with negative sampling over each thread&apos;s system calls in time order (word2vec&apos;s settings, a typed-array trainer in the worker). Calls
            used in similar contexts get similar vectors. Trained on the whole bundle: these vectors are for looking at, not forecaster inputs.
          </p>
        </div>
      </header>
      <div className="fc-fields">
        <NumberField label="window" value={s.window} min={1} onChange={(v) => set('window', v)} testId="embed-window" disabled={running} />
        <NumberField label="dimension" value={s.dim} min={2} onChange={(v) => set('dim', v)} testId="embed-dim" disabled={running} />
        <NumberField label="negatives" value={s.negatives} min={0} onChange={(v) => set('negatives', v)} testId="embed-negatives" disabled={running} />
        <NumberField label="subsample" value={s.subsample} min={0} step={0.0001} onChange={(v) => set('subsample', v)} testId="embed-subsample" disabled={running} title="word2vec -sample: frequent calls are dropped with probability 1 − √(t/f); 0 keeps all" />
        <NumberField label="epochs" value={s.epochs} min={1} onChange={(v) => set('epochs', v)} testId="embed-epochs" disabled={running} />
        <NumberField label="min count" value={s.minCount} min={1} onChange={(v) => set('minCount', v)} testId="embed-min-count" disabled={running} title="Calls seen fewer times share one <rare> vector" />
        <NumberField label="seed" value={s.seed} onChange={(v) => set('seed', v)} testId="embed-seed" disabled={running} />
        <button type="button" className="primary" disabled={running || busy || !hasSyscalls || !!invalid} onClick={() => onTrain(s)} data-testid="embed-train">
          Train embeddings
        </button>
        {running ? (
          <button type="button" onClick={onCancel} data-testid="embed-cancel">
            Cancel
          </button>
        ) : null}
      </div>
      {!hasSyscalls ? <p className="muted small">This bundle has no system calls (record with strace to get them).</p> : null}
      {invalid ? <p className="error-text small">{invalid[0]} must be a number{invalid[0] === 'subsample' || invalid[0] === 'seed' ? '' : ' ≥ 1'}.</p> : null}
      {running ? (
        <div role="status" data-testid="embed-status">
          <span className="muted small">{state.progress?.message ?? 'starting…'}</span>
          <progress max={100} value={Math.round((state.progress?.fraction ?? 0) * 100)} />
        </div>
      ) : null}
      {state.status === 'failed' ? (
        <p className={state.cancelled ? 'muted' : 'error-text'} role="alert" data-testid="embed-failed">
          {state.cancelled ? 'Training was cancelled.' : `Training failed: ${state.message}`}
        </p>
      ) : null}
      {results && option && index !== null ? (
        <>
          <p className="muted small" data-testid="embed-summary" data-tokens={results.tokens.length} data-origin={results.origin}>
            {results.summary}
          </p>
          <div className="grid">
            <ChartCard
              id="forecast-embedding"
              title={`Syscall vectors, 2-D PCA (${results.origin})`}
              subtitle="Coloured by what each call is for; dot size grows with the call's count; the most frequent are labelled"
              option={option}
              theme={theme}
              height={420}
            />
            <div className="card">
              <div className="fc-fields">
                <label className="fc-field">
                  <span>nearest neighbours of</span>
                  <select value={results.tokens[index]} onChange={(e) => setChosen(e.target.value)} data-testid="embed-call">
                    {results.tokens.map((t, i) => (
                      <option key={t} value={t}>
                        {t} ({(results.counts[i] ?? 0).toLocaleString('en-US')})
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="small"
                  onClick={() => download(new Blob([vectorsTsv({ data: results.vectors, rows: results.tokens.length, dim: results.dim })], { type: 'text/tab-separated-values' }), 'vectors.tsv')}
                  data-testid="embed-export-vectors"
                  title="For projector.tensorflow.org (Load): one row of floats per call"
                >
                  vectors.tsv
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() => download(new Blob([metadataTsv(results.tokens, results.counts)], { type: 'text/tab-separated-values' }), 'metadata.tsv')}
                  data-testid="embed-export-metadata"
                  title="For projector.tensorflow.org (Load): name, kind and count of each row"
                >
                  metadata.tsv
                </button>
              </div>
              <p className="muted small">
                <strong>{results.tokens[index]}</strong>: {SYSCALL_KIND_LABELS[results.kinds[index]!]}
              </p>
              <div className="fc-neighbours" data-testid="embed-neighbours">
                {neighbours.map((n) => (
                  <NeighbourRow key={n.index} name={results.tokens[n.index]!} kind={SYSCALL_KIND_LABELS[results.kinds[n.index]!]} similarity={n.similarity} />
                ))}
              </div>
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

function NeighbourRow({ name, kind, similarity }: { name: string; kind: string; similarity: number }) {
  return (
    <>
      <code data-testid="embed-neighbour" data-similarity={similarity}>
        {name}
      </code>
      <span className="muted">{kind}</span>
      <span className="num">{similarity.toFixed(3)}</span>
    </>
  );
}
