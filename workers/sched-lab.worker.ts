import * as Comlink from 'comlink';
import { CancelledError } from '../core/ml/train.ts';
import { runSchedExperiment, type SchedTraceInput } from '../core/sched-lab/experiment.ts';
import { parseSchedSpec } from '../core/sched-lab/spec.ts';
import { computeLabel, selectCompute } from './compute/select.ts';
import { openLabBytes } from './lab-bundles.ts';
import type { SchedLabApi } from './sched-lab/protocol.ts';

let controller: AbortController | null = null;
const READ_SHARE = 0.05;

const api: SchedLabApi = {
  async run(specInput, sources, backend, onProgress, onRow) {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    try {
      const spec = parseSchedSpec(specInput);
      await selectCompute(backend);
      const inputs: SchedTraceInput[] = [];
      for (const [i, s] of sources.entries()) {
        onProgress({ phase: 'preparing', fraction: (READ_SHARE * i) / sources.length, message: `reading ${s.ref.path}` });
        let bytes: Blob;
        if ('file' in s) bytes = s.file;
        else {
          const res = await fetch(s.url, { signal: mine.signal });
          if (!res.ok) throw new Error(`${s.ref.path}: HTTP ${res.status} ${res.statusText} from ${s.url}`);
          bytes = await res.blob();
        }
        // A dropped raw capture is imported on the way in, as the loader does; a refusal names the file.
        inputs.push({ ref: s.ref, bundle: await openLabBytes(s.ref.path, bytes, mine.signal) });
      }
      // Reading took the first 5%: the experiment's own 0..1 is mapped onto the rest, so the bar never goes back.
      const results = await runSchedExperiment(spec, inputs, {
        backend: computeLabel(backend),
        signal: mine.signal,
        onProgress: (p) => onProgress({ ...p, fraction: READ_SHARE + (1 - READ_SHARE) * p.fraction }),
        onRow,
      });
      return { ok: true, results };
    } catch (e) {
      const cancelled = e instanceof CancelledError || mine.signal.aborted;
      return { ok: false, cancelled, message: cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e) };
    } finally {
      if (controller === mine) controller = null;
    }
  },
  cancel() {
    controller?.abort();
  },
};

Comlink.expose(api);
