import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { RecheckResult, VerifiedModelFile } from '../../../core/verified-lab/certificate.ts';
import type { EpochPoint, VerifiedProgress, VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import type { LatencyTarget, VerifiedSpecInput } from '../../../core/verified-lab/spec.ts';
import type { LabSource } from '../../../workers/lab-bundles.ts';
import type { VerifiedLabApi, VerifiedListing } from '../../../workers/verified-lab/protocol.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { TablesOutcome } from '../../../workers/lab-bundles/tables-of.ts';
import { asWork, forward, useLabWorker, useLatest } from '../shell/lab-worker.ts';
import type { VerifiedBundleChoice } from './verified-datasets.ts';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; progress: VerifiedProgress | null; epochs: EpochPoint[]; startedAt: number }
  | { status: 'done'; results: VerifiedResults }
  | { status: 'failed'; message: string; stopped: boolean; epochs: EpochPoint[] };

export type ListingState =
  | { status: 'none' }
  | { status: 'loading'; key: string }
  | { status: 'ready'; key: string; listing: VerifiedListing }
  | { status: 'failed'; key: string; message: string };

export type RecheckState = { status: 'idle' } | { status: 'running'; name: string } | { status: 'done'; name: string; result: RecheckResult };

export function sourceOf(b: VerifiedBundleChoice): LabSource {
  // A File is structured-cloned to the worker; the worker reads it from there.
  return b.source.kind === 'file' ? { file: b.source.file } : b.source.kind === 'open' ? { bundleId: b.source.bundleId, name: b.source.name } : { url: b.source.url };
}

/** Progress arrives once per epoch; the page redraws at most this often. */
const FLUSH_MS = 150;

const verifiedWorker = (name: string) => () => new Worker(new URL('../../../workers/verified-lab.worker.ts', import.meta.url), { type: 'module', name });

/**
 * Two verified-lab workers per visit: one runs experiments, the other lists what the bundles offer and re-checks
 * certificates, so the form and the certificate panel answer while a run trains. A run is one synchronous
 * computation inside its worker, so Stop terminates that worker; the next run starts a fresh one.
 */
export function useVerifiedLab() {
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const [listing, setListing] = useState<ListingState>({ status: 'none' });
  const [recheck, setRecheck] = useState<RecheckState>({ status: 'idle' });
  const runner = useLabWorker<VerifiedLabApi>(verifiedWorker('verified-lab'));
  const helper = useLabWorker<VerifiedLabApi>(verifiedWorker('verified-lab-helper'));
  const runs = useLatest();
  const listings = useLatest();
  const rechecks = useLatest();
  // The run's latest progress and its epochs so far, flushed to React state at most every FLUSH_MS.
  const pending = useRef<{ progress: VerifiedProgress | null; epochs: EpochPoint[]; timer: ReturnType<typeof setTimeout> | null }>({ progress: null, epochs: [], timer: null });
  // Counted as work while a run is in flight, so window.__tlab.waitForIdle() waits for the whole experiment. Not
  // asWork(): a run stopped by terminating its worker never settles its promise.
  const working = useRef(false);

  const endRunWork = useCallback(() => {
    if (pending.current.timer) clearTimeout(pending.current.timer);
    pending.current.timer = null;
    if (working.current) {
      working.current = false;
      testHooks.endWork();
    }
  }, []);
  useEffect(() => endRunWork, [endRunWork]);

  const loadListing = useCallback(
    (bundles: readonly VerifiedBundleChoice[], target: LatencyTarget, warmup: number) => {
      const key = `${bundles.map((b) => b.path).join('\u0000')}|${target}|${warmup}`;
      const mine = listings.begin();
      if (bundles.length === 0) {
        setListing({ status: 'none' });
        return;
      }
      setListing({ status: 'loading', key });
      void asWork(helper.api().listing(bundles.map(sourceOf), target, warmup)).then(
        (o) => {
          if (!mine()) return;
          if (o.ok) {
            const { ok: _ok, ...rest } = o;
            setListing({ status: 'ready', key, listing: rest });
          } else setListing({ status: 'failed', key, message: o.message });
        },
        (e: unknown) => mine() && setListing({ status: 'failed', key, message: helper.died(e) }),
      );
    },
    [helper, listings],
  );

  const start = useCallback(
    (spec: VerifiedSpecInput, bundles: readonly VerifiedBundleChoice[]) => {
      const mine = runs.begin();
      endRunWork();
      pending.current = { progress: null, epochs: [], timer: null };
      setState({ status: 'running', progress: null, epochs: [], startedAt: performance.now() });
      working.current = true;
      testHooks.beginWork();
      const flush = () => {
        pending.current.timer = null;
        if (!mine()) return;
        const { progress, epochs } = pending.current;
        setState((s) => (s.status === 'running' ? { ...s, progress, epochs: [...epochs] } : s));
      };
      const onProgress = Comlink.proxy((p: VerifiedProgress) => {
        if (!mine()) return;
        pending.current.progress = forward(pending.current.progress, p);
        if (p.epoch) pending.current.epochs.push(p.epoch);
        pending.current.timer ??= setTimeout(flush, FLUSH_MS);
      });
      runner
        .api()
        .run(spec, bundles.map(sourceOf), onProgress)
        .then(
          (o) => {
            if (!mine()) return;
            endRunWork();
            if (o.ok) setState({ status: 'done', results: o.results });
            else setState({ status: 'failed', message: o.message, stopped: false, epochs: [...pending.current.epochs] });
          },
          (e: unknown) => {
            if (!mine()) return;
            endRunWork();
            setState({ status: 'failed', message: runner.died(e), stopped: false, epochs: [...pending.current.epochs] });
          },
        );
    },
    [endRunWork, runner, runs],
  );

  /** The run cannot be reached inside its worker (it does not yield): the worker is terminated. */
  const stop = useCallback(() => {
    if (!runner.running()) return;
    runs.drop();
    runner.terminate();
    endRunWork();
    setState((s) => (s.status === 'running' ? { status: 'failed', message: 'stopped', stopped: true, epochs: [...pending.current.epochs] } : s));
  }, [endRunWork, runner, runs]);

  const recheckModel = useCallback(
    (file: VerifiedModelFile, name: string) => {
      const mine = rechecks.begin();
      setRecheck({ status: 'running', name });
      void asWork(helper.api().recheck(file)).then(
        (result) => mine() && setRecheck({ status: 'done', name, result }),
        (e: unknown) => mine() && setRecheck({ status: 'done', name, result: { ok: false, message: helper.died(e) } }),
      );
    },
    [helper, rechecks],
  );

  /** A verdict reached on the page (a file that is not JSON, or not a model), shown as the re-check's answer. */
  const recheckFailed = useCallback(
    (name: string, why: string) => {
      rechecks.drop();
      setRecheck({ status: 'done', name, result: { ok: false, message: why } });
    },
    [rechecks],
  );

  /** A kept run's results shown again (run history), without training. */
  const show = useCallback((results: VerifiedResults) => setState({ status: 'done', results }), []);
  /** What a dropped file holds, read (or imported) by the helper worker before the page adds it. */
  const tablesOf = useCallback(
    (file: File): Promise<TablesOutcome> => asWork(helper.api().tables({ file }, file.name)).catch((e: unknown) => ({ ok: false as const, message: helper.died(e) })),
    [helper],
  );
  return { state, listing, recheck, loadListing, start, stop, recheckModel, recheckFailed, show, tablesOf };
}
