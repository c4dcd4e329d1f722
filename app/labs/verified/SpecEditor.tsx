import type { VerifiedListing } from '../../../workers/verified-lab/protocol.ts';
import { NumberField, TextField } from './fields.tsx';
import { fmt } from './format.ts';
import { inputForm, TARGET_CHOICES, type Direction, type InputForm, type LabSettings } from './spec-form.ts';

interface Props {
  settings: LabSettings;
  onChange: (s: LabSettings) => void;
  listing: VerifiedListing | null;
  disabled: boolean;
}

const DIRECTIONS: readonly { id: Direction; label: string }[] = [
  { id: 'increasing', label: 'increasing ↑' },
  { id: 'decreasing', label: 'decreasing ↓' },
  { id: 'free', label: 'free' },
];

/** Small enough for a browser tab on 2 cores (seconds to a minute); the numbers to quote come from the vPALs preset or `tlab run`. */
export function quickPreset(s: LabSettings): LabSettings {
  return { ...s, hidden: '32, 32', epochsPerRound: 20, maxRounds: 4, verifierBoxes: 100, verifierMilpNodes: 500 };
}

/** vPALs Table 6's network (two hidden layers of 300) and the core's default budgets. */
export function vpalsPreset(s: LabSettings): LabSettings {
  return { ...s, hidden: '300, 300', epochsPerRound: 40, maxRounds: 8, verifierBoxes: 400, verifierMilpNodes: 1000 };
}

/**
 * The specification: which service and latency, per input the direction the prediction must move and the box over
 * which that must hold, and the network, training and verifier budgets. The spec's validation judges the values.
 */
export function SpecEditor({ settings: s, onChange, listing, disabled }: Props) {
  const set = <K extends keyof LabSettings>(key: K, value: LabSettings[K]) => onChange({ ...s, [key]: value });
  const setInput = (id: string, patch: Partial<InputForm>) => onChange({ ...s, perInput: { ...s.perInput, [id]: { ...inputForm(s, id), ...patch } } });
  const metric = (id: string) => listing?.metrics.find((m) => m.id === id);
  return (
    <section className="card" data-testid="verified-spec">
      <header className="card-header">
        <div>
          <h3>Specification</h3>
          <p className="muted small">
            The prediction must move with each constrained input as chosen, everywhere in the box (empty bounds mean the training rows&apos; range). MinMax
            scaling is fitted on the training rows only; the test set holds out whole configurations unless split by row.
          </p>
        </div>
        <div className="vl-buttons">
          <button type="button" className="small" onClick={() => onChange(quickPreset(s))} disabled={disabled} data-testid="verified-preset-quick" title="2×32 network, 4 rounds of 20 epochs, 5 s per verification">
            Quick (browser)
          </button>
          <button type="button" className="small" onClick={() => onChange(vpalsPreset(s))} disabled={disabled} data-testid="verified-preset-vpals" title="vPALs Table 6: 2×300 network, 8 rounds of 40 epochs, 20 s per verification">
            vPALs 2×300
          </button>
        </div>
      </header>
      <div className="vl-fields">
        <label className="vl-field" title="configuration: whole configurations are held out (neighbouring intervals of one configuration are near copies); row: vPALs' random 80/20 shuffle">
          <span>test split by</span>
          <select value={s.splitBy} disabled={disabled} onChange={(e) => set('splitBy', e.target.value as LabSettings['splitBy'])} data-testid="verified-split-by">
            <option value="configuration">configuration</option>
            <option value="row">row</option>
          </select>
        </label>
        <NumberField label="test share" value={s.testShare} step={0.05} onChange={(v) => set('testShare', v)} testId="verified-test-share" disabled={disabled} />
        <NumberField label="accuracy tolerance" value={s.accuracyTolerance} step={0.01} onChange={(v) => set('accuracyTolerance', v)} testId="verified-tolerance" disabled={disabled} title="|prediction − truth| below this on the normalised target counts as accurate (vPALs, Ouroboros: 0.05)" />
        <NumberField label="seed" value={s.seed} onChange={(v) => set('seed', v)} testId="verified-seed" disabled={disabled} />
      </div>
      <div className="table-scroll vl-table-scroll">
        <table className="data vl-table small" data-testid="verified-spec-inputs">
          <thead>
            <tr>
              <th scope="col">input</th>
              <th scope="col">the prediction must be</th>
              <th scope="col">box lo</th>
              <th scope="col">box hi</th>
            </tr>
          </thead>
          <tbody>
            {s.inputs.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No inputs chosen: tick metrics in the correlation table.
                </td>
              </tr>
            ) : null}
            {s.inputs.map((id) => {
              const f = inputForm(s, id);
              const m = metric(id);
              const name = m?.name ?? id;
              return (
                <tr key={id} data-testid="verified-spec-input" data-input={id}>
                  <td>
                    {name}
                    {m ? <span className="muted"> ({m.unit})</span> : null}
                  </td>
                  <td>
                    <select value={f.direction} disabled={disabled} onChange={(e) => setInput(id, { direction: e.target.value as Direction })} aria-label={`Direction for ${name}`} data-testid={`verified-direction-${id}`}>
                      {DIRECTIONS.map((d) => (
                        <option key={d.id} value={d.id}>
                          {d.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="text"
                      inputMode="decimal"
                      className="vl-bound"
                      value={f.lo}
                      placeholder={m ? fmt(m.min) : 'train min'}
                      disabled={disabled}
                      onChange={(e) => setInput(id, { lo: e.target.value })}
                      aria-label={`Box lower bound for ${name} (empty: the training rows' minimum)`}
                      title="Empty: the training rows' minimum (the placeholder is all rows' minimum)"
                      data-testid={`verified-lo-${id}`}
                    />
                  </td>
                  <td>
                    <input
                      type="text"
                      inputMode="decimal"
                      className="vl-bound"
                      value={f.hi}
                      placeholder={m ? fmt(m.max) : 'train max'}
                      disabled={disabled}
                      onChange={(e) => setInput(id, { hi: e.target.value })}
                      aria-label={`Box upper bound for ${name} (empty: the training rows' maximum)`}
                      title="Empty: the training rows' maximum (the placeholder is all rows' maximum)"
                      data-testid={`verified-hi-${id}`}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="vl-fieldsets">
        <fieldset>
          <legend>Network (ReLU MLP, MSE, Adam, on the CPU engine)</legend>
          <div className="vl-fields">
            <TextField label="hidden layers" value={s.hidden} onChange={(v) => set('hidden', v)} testId="verified-hidden" disabled={disabled} title="Units per hidden layer, comma separated (vPALs Table 6: 300, 300 or 512, 512, 512)" />
            <NumberField label="batch" value={s.batchSize} min={1} onChange={(v) => set('batchSize', v)} testId="verified-batch" disabled={disabled} />
            <NumberField label="learning rate" value={s.learningRate} step={0.0001} onChange={(v) => set('learningRate', v)} testId="verified-lr" disabled={disabled} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Counterexample-guided training</legend>
          <div className="vl-fields">
            <NumberField label="epochs per round" value={s.epochsPerRound} min={1} onChange={(v) => set('epochsPerRound', v)} testId="verified-epochs" disabled={disabled} title="Epochs before the first verification and between later ones" />
            <NumberField label="rounds" value={s.maxRounds} min={1} onChange={(v) => set('maxRounds', v)} testId="verified-rounds" disabled={disabled} title="At most; training stops when the verifier proves the network" />
            <NumberField label="pair weight" value={s.pairWeight} step={1} onChange={(v) => set('pairWeight', v)} testId="verified-pair-weight" disabled={disabled} title="Weight of the hinge penalty on counterexample pairs" />
            <NumberField label="ε (box width share)" value={s.epsilon} step={0.01} onChange={(v) => set('epsilon', v)} testId="verified-epsilon" disabled={disabled} title="Step along the violated input for pairs made from a counterexample" />
            <NumberField label="random pairs / step" value={s.randomPairsPerStep} min={0} onChange={(v) => set('randomPairsPerStep', v)} testId="verified-random-pairs" disabled={disabled} title="Pairs drawn over the box each step besides the collected ones (0 = Ouroboros's loop)" />
            <NumberField label="margin" value={s.margin} min={0} step={0.001} onChange={(v) => set('margin', v)} testId="verified-margin" disabled={disabled} title="How much a pair must rise on the normalised target (0 = Ouroboros's hinge); a little slack keeps the network off the boundary, where rounding leaves violations" />
          </div>
        </fieldset>
        <fieldset>
          <legend>Verifier</legend>
          <div className="vl-fields">
            <NumberField label="boxes per verification" value={s.verifierBoxes} min={1} step={50} onChange={(v) => set('verifierBoxes', v)} testId="verified-verifier-boxes" disabled={disabled} title="Budget of each verification (inside training and final), as work: the same spec gives the same answers on any machine" />
            <NumberField label="MILP nodes per solve" value={s.verifierMilpNodes} min={1} step={100} onChange={(v) => set('verifierMilpNodes', v)} testId="verified-verifier-milp-nodes" disabled={disabled} title="HiGHS branch-and-bound nodes each exact solve may use (4× on the smallest boxes)" />
            <NumberField label="clock guard (s)" value={s.verifierSeconds} step={1} onChange={(v) => set('verifierSeconds', v)} testId="verified-verifier-seconds" disabled={disabled} title="Stops a verification that runs this long before its work budget is spent; such a run is marked as depending on this machine's speed" />
            <label className="vl-check" title="Also verify both final networks with Ouroboros's own method (interval gradient + bisection), to compare">
              <input type="checkbox" checked={s.ouroboros} disabled={disabled} onChange={(e) => set('ouroboros', e.target.checked)} data-testid="verified-ouroboros" /> also run Ouroboros&apos;s method
            </label>
          </div>
        </fieldset>
      </div>
    </section>
  );
}

/** What the listing depends on: the service whose latency is modelled, which latency, its transform, the warm-up dropped. */
export function DataFields({ settings: s, onChange, listing, disabled }: Props) {
  const set = <K extends keyof LabSettings>(key: K, value: LabSettings[K]) => onChange({ ...s, [key]: value });
  const services = listing?.services ?? [];
  return (
    <div className="vl-fields" data-testid="verified-data-fields">
      <label className="vl-field">
        <span>service</span>
        <select value={s.service} disabled={disabled || services.length === 0} onChange={(e) => set('service', e.target.value)} data-testid="verified-service">
          {services.length === 0 ? <option value={s.service}>{s.service || '(read the bundles first)'}</option> : null}
          {services.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name} ({x.rows} intervals)
            </option>
          ))}
        </select>
      </label>
      <label className="vl-field">
        <span>target</span>
        <select value={s.target} disabled={disabled} onChange={(e) => set('target', e.target.value as LabSettings['target'])} data-testid="verified-target">
          {TARGET_CHOICES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="vl-field" title="log models log(latency): tails spread over orders of magnitude; log is increasing, so monotone in log latency is monotone in latency">
        <span>transform</span>
        <select value={s.targetTransform} disabled={disabled} onChange={(e) => set('targetTransform', e.target.value as LabSettings['targetTransform'])} data-testid="verified-transform">
          <option value="log">log</option>
          <option value="none">none</option>
        </select>
      </label>
      <NumberField label="warm-up intervals" value={s.warmupIntervals} min={0} onChange={(v) => set('warmupIntervals', v)} testId="verified-warmup" disabled={disabled} title="Dropped at the start of each configuration while its interference starts" />
    </div>
  );
}
