import { parseVerifiedModelFile, verifiedModelFile, type VerifiedModelFile } from '../../../core/verified-lab/certificate.ts';
import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { JsonFileButton } from '../shell/JsonFileButton.tsx';
import { fmt, monotoneWords, pct, statusClass } from './format.ts';
import type { RecheckState } from './useVerifiedLab.ts';

interface Props {
  results: VerifiedResults | null;
  recheck: RecheckState;
  onRecheck: (file: VerifiedModelFile, name: string) => void;
  onRejected: (name: string, why: string) => void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function modelFileOf(r: VerifiedResults): VerifiedModelFile {
  return verifiedModelFile({
    service: r.service,
    target: r.target.id,
    inputs: r.inputs.map((m) => m.id),
    inputScaling: r.scaling.inputs,
    targetScaling: r.scaling.target,
    weights: r.weights.verified,
    certificate: r.certificate,
  });
}

/**
 * The verified network with its certificate (spec, box, method, result, share proven, time, weights' fingerprint,
 * engine), as one JSON file; and a loaded file re-checked: the weights must hash to the certificate's fingerprint
 * and the verifier, run again on the certificate's box, must reach the same verdict.
 */
export function CertificatePanel({ results, recheck, onRecheck, onRejected }: Props) {
  const cert = results?.certificate;

  const load = async (file: File) => {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      onRejected(file.name, `${file.name} is not JSON (${message(e)}), so it is not a verified model file.`);
      return;
    }
    let model: VerifiedModelFile;
    try {
      model = parseVerifiedModelFile(json);
    } catch (e) {
      onRejected(file.name, `${file.name} is not a verified model file: ${message(e)}`);
      return;
    }
    onRecheck(model, file.name);
  };

  return (
    <section className="card" data-testid="verified-certificate">
      <header className="card-header">
        <div>
          <h3>Certificate</h3>
          <p className="muted small">
            The verified-training network with what was proven about it. A loaded model file is re-checked here: its weights must match the certificate&apos;s
            fingerprint, and the verifier, run again on the certificate&apos;s box, must reach the same verdict.
          </p>
        </div>
        <div className="vl-buttons">
          <button
            type="button"
            className="small"
            disabled={!results}
            onClick={() => results && download(jsonBlob(modelFileOf(results)), `verified-model-${results.service}.json`)}
            aria-label="Download the verified model with its certificate (JSON)"
            data-testid="verified-model-export"
          >
            Model + certificate
          </button>
          <button
            type="button"
            className="small"
            disabled={!results || recheck.status === 'running'}
            onClick={() => results && onRecheck(modelFileOf(results), 'this run\u2019s model')}
            aria-label="Re-check this run's verified model and its certificate"
            data-testid="verified-recheck-run"
          >
            Re-check this model
          </button>
          <JsonFileButton
            label="Load model…"
            testId="verified-model-load"
            inputTestId="verified-model-input"
            onFile={(f) => void load(f)}
            disabled={recheck.status === 'running'}
            ariaLabel="Load a verified model file and re-check its certificate"
          />
        </div>
      </header>
      {cert ? (
        <dl className="facts small" data-testid="verified-certificate-facts" data-result={cert.result}>
          <dt>result</dt>
          <dd>
            <span className={statusClass(cert.result)}>{cert.result}</span> {monotoneWords(cert.result, cert.verifiedVolume)}
          </dd>
          <dt>method</dt>
          <dd>
            {cert.method}, {cert.seconds.toFixed(2)} s, {cert.boxes.toLocaleString('en-US')} boxes, {pct(cert.verifiedVolume)} of the box proven
          </dd>
          <dt>property</dt>
          <dd>
            {cert.inputs
              .filter((i) => i.direction !== 'free')
              .map((i) => `${i.direction} in ${i.id}`)
              .join('; ')}
          </dd>
          <dt>box</dt>
          <dd>{cert.inputs.map((i) => `${i.id} ∈ [${fmt(i.lo)}, ${fmt(i.hi)}]`).join('; ')}</dd>
          <dt>weights</dt>
          <dd>
            <code>{cert.weightsHash}</code>
          </dd>
          <dt>engine</dt>
          <dd>{cert.engine}</dd>
        </dl>
      ) : (
        <p className="muted small">Run an experiment to certify its network, or load a model file exported earlier.</p>
      )}
      <div aria-live="polite" data-testid="verified-recheck" data-status={recheck.status} data-ok={recheck.status === 'done' ? String(recheck.result.ok) : ''}>
        {recheck.status === 'running' ? <p className="small">Re-checking {recheck.name}: hashing the weights and running the verifier again (up to a minute when the certificate says unknown)…</p> : null}
        {recheck.status === 'done' ? (
          recheck.result.ok ? (
            <p className="small" role="status">
              <span className="badge badge-ok">certificate holds</span> {recheck.name}: {recheck.result.message}
            </p>
          ) : (
            <p className="small" role="alert">
              <span className="badge badge-unavailable">{recheck.result.result ? 'certificate does not hold' : 'not re-checked'}</span>{' '}
              <span className="error-text">
                {recheck.name}: {recheck.result.message}
              </span>
            </p>
          )
        ) : null}
      </div>
    </section>
  );
}
