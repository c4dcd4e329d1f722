import { useRef } from 'react';

interface Props {
  label: string;
  /** Test ids of the button and of its hidden file input. */
  testId: string;
  inputTestId: string;
  onFile: (file: File) => void;
  disabled?: boolean;
  ariaLabel?: string;
  title?: string;
}

/** A button that opens the file chooser for one JSON file (a spec, a saved model, a verified model). */
export function JsonFileButton({ label, testId, inputTestId, onFile, disabled, ariaLabel, title }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="small" disabled={disabled} onClick={() => input.current?.click()} aria-label={ariaLabel} title={title} data-testid={testId}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid={inputTestId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          // The same file chosen again is a new choice.
          e.target.value = '';
        }}
      />
    </>
  );
}
