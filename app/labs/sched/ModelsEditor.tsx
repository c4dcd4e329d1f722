import { NumberField } from './NumberField.tsx';
import { newLstm, newTcn, type ModelForm } from './spec-form.ts';

interface Props {
  models: readonly ModelForm[];
  onChange: (models: ModelForm[]) => void;
  disabled: boolean;
}

/** One line per model; the spec names them LSTM, TCN, or "TCN #2" when a kind repeats (as in the results). */
export function ModelsEditor({ models, onChange, disabled }: Props) {
  const patch = (id: number, p: Partial<ModelForm>) => onChange(models.map((m) => (m.id === id ? ({ ...m, ...p } as ModelForm) : m)));
  return (
    <fieldset className="sched-models" data-testid="sched-models">
      <legend>Models</legend>
      {models.length === 0 ? <p className="muted small">No models: only the baselines are scored.</p> : null}
      {models.map((m, i) => (
        <div key={m.id} className="sched-model-line" data-testid={`sched-model-${i}`}>
          <strong>{m.kind.toUpperCase()}</strong>
          {m.kind === 'lstm' ? (
            <>
              <NumberField label="units" value={m.units} min={1} onChange={(v) => patch(m.id, { units: v })} testId={`sched-model-${i}-units`} disabled={disabled} />
              <NumberField label="layers" value={m.layers} min={1} onChange={(v) => patch(m.id, { layers: v })} testId={`sched-model-${i}-layers`} disabled={disabled} />
            </>
          ) : (
            <>
              <NumberField label="filters" value={m.filters} min={1} onChange={(v) => patch(m.id, { filters: v })} testId={`sched-model-${i}-filters`} disabled={disabled} />
              <NumberField label="kernel" value={m.kernel} min={1} onChange={(v) => patch(m.id, { kernel: v })} testId={`sched-model-${i}-kernel`} disabled={disabled} />
              <label className="sched-field" title="Dilation of each residual block, comma separated">
                <span>dilations</span>
                <input
                  type="text"
                  value={m.dilations}
                  disabled={disabled}
                  onChange={(e) => patch(m.id, { dilations: e.target.value })}
                  data-testid={`sched-model-${i}-dilations`}
                />
              </label>
            </>
          )}
          <NumberField label="epochs" value={m.epochs} min={1} onChange={(v) => patch(m.id, { epochs: v })} testId={`sched-model-${i}-epochs`} disabled={disabled} />
          <button
            type="button"
            className="ghost small"
            onClick={() => onChange(models.filter((x) => x.id !== m.id))}
            disabled={disabled}
            data-testid={`sched-model-${i}-remove`}
            title="Remove this model"
          >
            Remove
          </button>
        </div>
      ))}
      <div className="sched-model-add">
        <button type="button" className="small" onClick={() => onChange([...models, newLstm()])} disabled={disabled} data-testid="sched-add-lstm">
          + LSTM
        </button>
        <button type="button" className="small" onClick={() => onChange([...models, newTcn()])} disabled={disabled} data-testid="sched-add-tcn">
          + TCN
        </button>
      </div>
    </fieldset>
  );
}
