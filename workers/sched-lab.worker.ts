import * as Comlink from 'comlink';
import { CancelledError } from '../core/ml/train.ts';
import { runSchedExperiment, type SchedTraceInput } from '../core/sched-lab/experiment.ts';
import { parseSchedSpec } from '../core/sched-lab/spec.ts';
import { computeLabel, selectCompute } from './compute/select.ts';
import { acceptLoaderPort, readLabBundle } from './lab-bundles.ts';
import type { SchedLabApi } from './sched-lab/protocol.ts';
import { tablesOf } from './lab-bundles/tables-of.ts';

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
        // From the loader worker, which reads each source once; a dropped raw capture is imported there, and a
        // refusal names the file by its path in the spec.
        const source = 'file' in s ? { file: s.file } : 'bundleId' in s ? { bundleId: s.bundleId, name: s.name } : { url: s.url };
        inputs.push({ ref: s.ref, bundle: await readLabBundle(source, mine.signal, s.ref.path) });
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
  tables: tablesOf,
};

acceptLoaderPort(self);
Comlink.expose(api);
