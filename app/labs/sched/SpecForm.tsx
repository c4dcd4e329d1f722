import { BASELINE_NAMES } from '../../../core/sched-lab/baselines.ts';
import type { SchedTarget, SequenceMode } from '../../../core/sched-lab/types.ts';
import { ModelsEditor } from './ModelsEditor.tsx';
import { NumberField } from './NumberField.tsx';
import { browserDefaults, kernelOracle2Preset, SEQUENCE_MODES, TARGETS, type LabSettings } from './spec-form.ts';

interface Props {
  settings: LabSettings;
  onChange: (s: LabSettings) => void;
  disabled: boolean;
}

/** What is predicted, from how much history, by which models; the spec's validation judges the values. */
export function SpecForm({ settings: s, onChange, disabled }: Props) {
  const set = <K extends keyof LabSettings>(key: K, value: LabSettings[K]) => onChange({ ...s, [key]: value });
  return (
    <section className="card" data-testid="sched-settings">
      <header className="card-header">
        <div>
          <h3>Experiment</h3>
          <p className="muted small">Defaults are sized for a browser on a small machine; KernelOracle2&apos;s shape trains for minutes.</p>
        </div>
        <div className="sched-presets">
          <button type="button" className="small" onClick={() => onChange(browserDefaults(s.seed))} disabled={disabled} data-testid="sched-preset-quick">
            Quick (browser)
          </button>
          <button type="button" className="small" onClick={() => onChange(kernelOracle2Preset(s))} disabled={disabled} data-testid="sched-preset-ko2">
            KernelOracle2 shape (window 64, stride 4)
          </button>
        </div>
      </header>
      <div className="sched-fields">
        <label className="sched-field">
          <span>target</span>
          <select value={s.target} disabled={disabled} onChange={(e) => set('target', e.target.value as SchedTarget)} data-testid="sched-target">
            {TARGETS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="sched-field">
          <span>sequences</span>
          <select value={s.sequence} disabled={disabled} onChange={(e) => set('sequence', e.target.value as SequenceMode)} data-testid="sched-sequence">
            {SEQUENCE_MODES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <NumberField label="window" value={s.window} min={2} onChange={(v) => set('window', v)} testId="sched-window" disabled={disabled} title="Past switches a model sees" />
        <NumberField label="stride" value={s.stride} min={1} onChange={(v) => set('stride', v)} testId="sched-stride" disabled={disabled} title="Step between training windows" />
        <NumberField label="top-k" value={s.topK} min={1} onChange={(v) => set('topK', v)} testId="sched-topk" disabled={disabled} />
        <NumberField
          label="max training windows"
          value={s.maxTrainWindows}
          min={1}
          step={500}
          onChange={(v) => set('maxTrainWindows', v)}
          testId="sched-max-train"
          disabled={disabled}
          title="Training windows are sampled down to this many (seeded)"
        />
        <NumberField
          label="max test positions"
          value={s.maxTestPositions}
          min={1}
          step={500}
          onChange={(v) => set('maxTestPositions', v)}
          testId="sched-max-test"
          disabled={disabled}
          title="Per role, spread evenly; every model and baseline is scored on the same ones"
        />
        <NumberField
          label="validation share"
          value={s.validationFraction}
          min={0}
          step={0.05}
          onChange={(v) => set('validationFraction', v)}
          testId="sched-validation"
          disabled={disabled}
          title="The chronological tail of each training trace held out for early stopping; it is scored after every epoch"
        />
        <NumberField label="seed" value={s.seed} onChange={(v) => set('seed', v)} testId="sched-seed" disabled={disabled} />
      </div>
      <ModelsEditor models={s.models} onChange={(models) => set('models', models)} disabled={disabled} />
      <fieldset className="sched-baselines" data-testid="sched-baselines">
        <legend>Baselines</legend>
        {BASELINE_NAMES.map((b) => (
          <label key={b} className="sched-check">
            <input
              type="checkbox"
              checked={s.baselines.includes(b)}
              disabled={disabled}
              onChange={(e) => set('baselines', e.target.checked ? BASELINE_NAMES.filter((x) => x === b || s.baselines.includes(x)) : s.baselines.filter((x) => x !== b))}
              data-testid={`sched-baseline-${b}`}
            />{' '}
            {b}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
