import { JsonFileButton } from './JsonFileButton.tsx';

interface Props {
  /** The lab's test-id prefix: `${lab}-import-spec`, `${lab}-spec-file`, `${lab}-spec-import-error`. */
  lab: string;
  disabled: boolean;
  onFile: (file: File) => void;
  /** What was wrong with the last file, in words. */
  problem: string | null;
  /** Where the form's spec came from ("from the link" or a file name), when one was loaded. */
  loaded?: string | null;
}

/** "Load spec…": a spec file (exported by a lab, or from replays/) into the form. Dropping a .json on the lab does the same. */
export function LoadSpecButton({ lab, disabled, onFile, problem, loaded }: Props) {
  return (
    <>
      <JsonFileButton
        label="Load spec…"
        testId={`${lab}-import-spec`}
        inputTestId={`${lab}-spec-file`}
        onFile={onFile}
        disabled={disabled}
        ariaLabel="Load a spec file into the form"
        title="A spec JSON (this lab's export, or one from replays/); dropping it on the page does the same"
      />
      {loaded && !problem ? (
        <span className="muted small" data-testid={`${lab}-spec-loaded`}>
          spec {loaded} loaded
        </span>
      ) : null}
      {problem ? (
        <p className="error-text small" role="alert" data-testid={`${lab}-spec-import-error`}>
          {problem}
        </p>
      ) : null}
    </>
  );
}
