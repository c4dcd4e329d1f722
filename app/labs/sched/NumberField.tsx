interface Props {
  label: string;
  value: number;
  onChange: (v: number) => void;
  testId: string;
  min?: number;
  step?: number;
  title?: string;
  disabled?: boolean;
}

/** A labelled number input; an empty or partial field is NaN, which the spec's validation then names. */
export function NumberField({ label, value, onChange, testId, min, step = 1, title, disabled }: Props) {
  return (
    <label className="sched-field" title={title}>
      <span>{label}</span>
      <input
        type="number"
        value={Number.isFinite(value) ? value : ''}
        min={min}
        step={step}
        disabled={disabled}
        onChange={(e) => onChange(e.target.valueAsNumber)}
        data-testid={testId}
      />
    </label>
  );
}
