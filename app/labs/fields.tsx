interface FieldProps<T> {
  label: string;
  value: T;
  onChange: (v: T) => void;
  testId: string;
  title?: string;
  disabled?: boolean;
}

interface NumberProps extends FieldProps<number> {
  min?: number;
  step?: number;
}

/** The labelled inputs of a lab's settings form, styled with that lab's field class. */
export function labFields(className: string) {
  /** A labelled number input; an empty or partial field is NaN, which the spec's validation then names. */
  function NumberField({ label, value, onChange, testId, min, step = 1, title, disabled }: NumberProps) {
    return (
      <label className={className} title={title}>
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

  function TextField({ label, value, onChange, testId, title, disabled }: FieldProps<string>) {
    return (
      <label className={className} title={title}>
        <span>{label}</span>
        <input type="text" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      </label>
    );
  }

  return { NumberField, TextField };
}
