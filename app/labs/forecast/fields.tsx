interface NumberProps {
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
export function NumberField({ label, value, onChange, testId, min, step = 1, title, disabled }: NumberProps) {
  return (
    <label className="fc-field" title={title}>
      <span>{label}</span>
      <input type="number" value={Number.isFinite(value) ? value : ''} min={min} step={step} disabled={disabled} onChange={(e) => onChange(e.target.valueAsNumber)} data-testid={testId} />
    </label>
  );
}

interface TextProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  title?: string;
  disabled?: boolean;
}

export function TextField({ label, value, onChange, testId, title, disabled }: TextProps) {
  return (
    <label className="fc-field" title={title}>
      <span>{label}</span>
      <input type="text" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}
