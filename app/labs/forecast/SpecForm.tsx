import type { SeriesInfo } from '../../../core/forecast/series.ts';
import { withUnit } from './chart-options.ts';
import { NumberField, TextField } from './fields.tsx';
import { browserDefaults, familiesOf, fullPreset, INPUT_SET_CHOICES, missingFamilies, MODEL_CHOICES, type EmbeddingForm, type LabSettings, type ModelChoice, type NeuralForm } from './spec-form.ts';

interface Props {
  /** The datasets folder's suggested grid, for the full preset. */
  suggestedGrid?: { horizons?: readonly number[]; histories?: readonly number[] } | undefined;
  settings: LabSettings;
  onChange: (s: LabSettings) => void;
  /** The bundle's series, or null while they are being read. */
  series: readonly SeriesInfo[] | null;
  disabled: boolean;
}

const FAMILY_LABELS: Record<SeriesInfo['family'], string> = { usage: 'usage', syscalls: 'system calls', 'syscall-embedding': 'syscall embedding', psi: 'pressure (PSI)', counters: 'perf counters' };

/** What is forecast, from which inputs, over which grid, by which models; the spec's validation judges the values. */
export function SpecForm({ settings: s, onChange, series, disabled, suggestedGrid }: Props) {
  const set = <K extends keyof LabSettings>(key: K, value: LabSettings[K]) => onChange({ ...s, [key]: value });
  const present = familiesOf(series);
  const toggleModel = (id: ModelChoice, on: boolean) => set('models', MODEL_CHOICES.map((m) => m.id).filter((m) => (m === id ? on : s.models.includes(m))));
  const emb = (patch: Partial<EmbeddingForm>) => set('embedding', { ...s.embedding, ...patch });
  const usesEmbedding = s.inputSets.some((id) => INPUT_SET_CHOICES.find((c) => c.id === id)?.families.includes('syscall-embedding'));
  const neural = (kind: 'lstm' | 'tcn', patch: Partial<NeuralForm>) => set(kind, { ...s[kind], ...patch });
  const targets = series ?? [];
  return (
    <section className="card" data-testid="forecast-settings">
      <header className="card-header">
        <div>
          <h3>Experiment</h3>
          <p className="muted small">
            Every model sees the same chronological splits (60 / 20 / 20), the same test targets and inputs normalised on the training range. The quick
            defaults take about 2 minutes on a 480-interval recording on 2 cores, mostly the LSTM and TCN.
          </p>
        </div>
        <div className="fc-export">
          <button type="button" className="small" onClick={() => onChange(browserDefaults(s.seed, s.target))} disabled={disabled} data-testid="forecast-preset-quick">
            Quick (browser)
          </button>
          <button type="button" className="small" onClick={() => onChange(fullPreset(s, suggestedGrid))} disabled={disabled} data-testid="forecast-preset-full" title="The core's model sizes and the suggested grid: tens of minutes in a browser; or export the spec and run it with tlab run">
            Full (slow)
          </button>
        </div>
      </header>
      <div className="fc-fields">
        <label className="fc-field">
          <span>target</span>
          <select value={s.target} disabled={disabled || targets.length === 0} onChange={(e) => set('target', e.target.value)} data-testid="forecast-target">
            {targets.length === 0 ? <option value={s.target}>{s.target}</option> : null}
            {(['usage', 'syscalls', 'psi', 'counters'] as const).map((f) => {
              const items = targets.filter((t) => t.family === f);
              return items.length ? (
                <optgroup key={f} label={FAMILY_LABELS[f]}>
                  {items.map((t) => (
                    <option key={t.id} value={t.id}>
                      {withUnit(t.name, t.unit)}
                    </option>
                  ))}
                </optgroup>
              ) : null;
            })}
          </select>
        </label>
        <TextField label="horizons h" value={s.horizons} onChange={(v) => set('horizons', v)} testId="forecast-horizons" disabled={disabled} title="Intervals ahead, comma separated" />
        <TextField label="histories k" value={s.histories} onChange={(v) => set('histories', v)} testId="forecast-histories" disabled={disabled} title="Intervals of input, comma separated" />
        <NumberField label="seed" value={s.seed} onChange={(v) => set('seed', v)} testId="forecast-seed" disabled={disabled} />
      </div>
      <fieldset data-testid="forecast-input-sets">
        <legend>Input sets (the ablation; the target&apos;s own history is always an input)</legend>
        {INPUT_SET_CHOICES.map((c) => {
          const missing = series ? missingFamilies(c.id, present) : [];
          return (
            <label key={c.id} className={`fc-check${missing.length ? ' fc-absent' : ''}`} title={missing.length ? `This bundle has no ${missing.join(', ')} series` : c.families.join(' + ') || c.label}>
              <input
                type="checkbox"
                checked={s.inputSets.includes(c.id)}
                disabled={disabled || (missing.length > 0 && !s.inputSets.includes(c.id))}
                onChange={(e) => set('inputSets', INPUT_SET_CHOICES.map((x) => x.id).filter((id) => (id === c.id ? e.target.checked : s.inputSets.includes(id))))}
                data-testid={`forecast-inputs-${c.id}`}
              />{' '}
              {c.label}
            </label>
          );
        })}
        <NumberField
          label="syscall series"
          value={s.maxSyscallSeries}
          min={1}
          onChange={(v) => set('maxSyscallSeries', v)}
          testId="forecast-max-syscalls"
          disabled={disabled}
          title="Calls per interval of the most frequent system calls (ranked on the training range only), plus the total"
        />
        <div className="fc-model-line" title="Skip-gram trained on the training span's calls only; each interval's input is the mean vector of its calls">
          <span className="muted small">syscall embedding:</span>
          <NumberField label="dimension" value={s.embedding.dim} min={2} onChange={(v) => emb({ dim: v })} testId="forecast-emb-dim" disabled={disabled || !usesEmbedding} />
          <NumberField label="window" value={s.embedding.window} min={1} onChange={(v) => emb({ window: v })} testId="forecast-emb-window" disabled={disabled || !usesEmbedding} />
          <NumberField label="negatives" value={s.embedding.negatives} min={1} onChange={(v) => emb({ negatives: v })} testId="forecast-emb-negatives" disabled={disabled || !usesEmbedding} />
          <NumberField label="epochs" value={s.embedding.epochs} min={1} onChange={(v) => emb({ epochs: v })} testId="forecast-emb-epochs" disabled={disabled || !usesEmbedding} />
        </div>
      </fieldset>
      <fieldset data-testid="forecast-models">
        <legend>Models</legend>
        {MODEL_CHOICES.map((m) => (
          <div key={m.id} className="fc-model-line">
            <label className="fc-check" title={m.title}>
              <input type="checkbox" checked={s.models.includes(m.id)} disabled={disabled} onChange={(e) => toggleModel(m.id, e.target.checked)} data-testid={`forecast-model-${m.id}`} />{' '}
              {m.label}
            </label>
            {m.id === 'lstm' || m.id === 'tcn' ? (
              <>
                <NumberField label="epochs" value={s[m.id].epochs} min={1} onChange={(v) => neural(m.id as 'lstm' | 'tcn', { epochs: v })} testId={`forecast-${m.id}-epochs`} disabled={disabled || !s.models.includes(m.id)} title="At most; early stopping on validation may end sooner" />
                <NumberField label={m.id === 'lstm' ? 'units' : 'filters'} value={s[m.id].width} min={1} onChange={(v) => neural(m.id as 'lstm' | 'tcn', { width: v })} testId={`forecast-${m.id}-width`} disabled={disabled || !s.models.includes(m.id)} />
                <NumberField label="batch" value={s[m.id].batchSize} min={1} onChange={(v) => neural(m.id as 'lstm' | 'tcn', { batchSize: v })} testId={`forecast-${m.id}-batch`} disabled={disabled || !s.models.includes(m.id)} />
              </>
            ) : null}
            {m.id === 'random-forest' ? (
              <NumberField label="trees" value={s.trees} min={1} onChange={(v) => set('trees', v)} testId="forecast-forest-trees" disabled={disabled || !s.models.includes(m.id)} />
            ) : null}
          </div>
        ))}
      </fieldset>
    </section>
  );
}
