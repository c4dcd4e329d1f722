import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { completeReport, ensureSomeBackend, probeBackend, runProbe, useBackend } from './compute/backends.ts';
import type { BackendName, BackendReport, ChosenBackend, ProbeResult } from './compute/backends.ts';

let last: ProbeResult | null = null;
// One job at a time: tfjs has a single global backend, and two interleaved jobs would switch it under each other.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

const api = {
  probe(
    benchmark: boolean,
    onReport?: (report: BackendReport) => void,
    onChosen?: (chosen: ChosenBackend) => void,
  ): Promise<ProbeResult> {
    return serial(async () => {
      last = await runProbe({ benchmark, ...(onReport ? { onReport } : {}), ...(onChosen ? { onChosen } : {}) });
      return last;
    });
  },
  /** Switches this worker to `name` and returns its report; rejects with the reason when it cannot. */
  use(name: BackendName): Promise<BackendReport> {
    return serial(async () => {
      let report = last?.reports.find((r) => r.name === name);
      if (report && !report.available) throw new Error(report.reason ?? 'unavailable');
      report ??= await probeBackend(name);
      if (!report.available) throw new Error(report.reason ?? 'unavailable');
      if (name === 'engine') return completeReport(report);
      const previous = tf.getBackend() as Exclude<BackendName, 'engine'>;
      await useBackend(name);
      // A user's pick gets what the automatic probe skipped: the software-WebGPU benchmark, real gradient runs.
      await completeReport(report);
      if (!report.available) {
        await useBackend(previous);
        throw new Error(report.reason ?? 'unavailable');
      }
      return report;
    });
  },
  async memory(): Promise<{ numTensors: number; numBytes: number; backend: string }> {
    await ensureSomeBackend();
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() };
  },
};

export type ComputeProbeApi = typeof api;

Comlink.expose(api);
