import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { RecheckResult, VerifiedModelFile } from '../../../core/verified-lab/certificate.ts';
import type { EpochPoint, VerifiedProgress, VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import type { LatencyTarget, VerifiedSpecInput } from '../../../core/verified-lab/spec.ts';
import type { LabSource } from '../../../workers/lab-bundles.ts';
import type { VerifiedLabApi, VerifiedListing } from '../../../workers/verified-lab/protocol.ts';
import { testHooks } from '../../testing/test-hooks.ts';
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
  return b.source.kind === 'file' ? { file: b.source.file } : { url: b.source.url };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Progress arrives once per epoch; the page redraws at most this often. */
const FLUSH_MS = 150;

function newWorker(name: string): { worker: Worker; api: Comlink.Remote<VerifiedLabApi> } {
  const worker = new Worker(new URL('../../../workers/verified-lab.worker.ts', import.meta.url), { type: 'module', name });
  return { worker, api: Comlink.wrap<VerifiedLabApi>(worker) };
}

/**
 * Two verified-lab workers per visit: one runs experiments, the other lists what the bundles offer and re-checks
 * certificates, so the form and the certificate panel answer while a run trains. A run is one synchronous
 * computation inside its worker, so Stop terminates that worker; the next run starts a fresh one.
 */
export function useVerifiedLab() {
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const [listing, setListing] = useState<ListingState>({ status: 'none' });
  const [recheck, setRecheck] = useState<RecheckState>({ status: 'idle' });
  const runner = useRef<{ worker: Worker; api: Comlink.Remote<VerifiedLabApi> } | null>(null);
  const helper = useRef<{ worker: Worker; api: Comlink.Remote<VerifiedLabApi> } | null>(null);
  const run = useRef(0);
  const listingRequest = useRef(0);
  const recheckRequest = useRef(0);
  // The run's latest progress and its epochs so far, flushed to React state at most every FLUSH_MS.
  const pending = useRef<{ progress: VerifiedProgress | null; epochs: EpochPoint[]; timer: ReturnType<typeof setTimeout> | null }>({ progress: null, epochs: [], timer: null });
  // Counted as work while a run is in flight, so window.__tlab.waitForIdle() waits for the whole experiment.
  const working = useRef(false);

  const endRunWork = useCallback(() => {
    if (pending.current.timer) clearTimeout(pending.current.timer);
    pending.current.timer = null;
    if (working.current) {
      working.current = false;
      testHooks.endWork();
    }
  }, []);

  useEffect(
    () => () => {
      // Leaving the lab ends any run: a terminated worker cannot keep the CPU busy.
      run.current++;
      listingRequest.current++;
      recheckRequest.current++;
      endRunWork();
      runner.current?.worker.terminate();
      helper.current?.worker.terminate();
      runner.current = null;
      helper.current = null;
    },
    [endRunWork],
  );

  const helperApi = useCallback(() => (helper.current ??= newWorker('verified-lab-helper')).api, []);
  const helperDied = useCallback((e: unknown) => {
    // Only a dead worker rejects (the methods return failures as values): start a fresh one next time.
    helper.current?.worker.terminate();
    helper.current = null;
    return `the lab's worker failed: ${message(e)}`;
  }, []);

  const loadListing = useCallback(
    (bundles: readonly VerifiedBundleChoice[], target: LatencyTarget, warmup: number) => {
      const key = `${bundles.map((b) => b.path).join('\u0000')}|${target}|${warmup}`;
      const id = ++listingRequest.current;
      if (bundles.length === 0) {
        setListing({ status: 'none' });
        return;
      }
      setListing({ status: 'loading', key });
      testHooks.beginWork();
      helperApi()
        .listing(bundles.map(sourceOf), target, warmup)
        .then(
          (o) => {
            if (id !== listingRequest.current) return;
            if (o.ok) {
              const { ok: _ok, ...rest } = o;
              setListing({ status: 'ready', key, listing: rest });
            } else setListing({ status: 'failed', key, message: o.message });
          },
          (e: unknown) => id === listingRequest.current && setListing({ status: 'failed', key, message: helperDied(e) }),
        )
        .finally(() => testHooks.endWork());
    },
    [helperApi, helperDied],
  );

  const flush = useCallback((id: number) => {
    pending.current.timer = null;
    if (id !== run.current) return;
    const { progress, epochs } = pending.current;
    setState((s) => (s.status === 'running' ? { ...s, progress, epochs: [...epochs] } : s));
  }, []);

  const start = useCallback(
    (spec: VerifiedSpecInput, bundles: readonly VerifiedBundleChoice[]) => {
      const id = ++run.current;
      const mine = () => id === run.current;
      endRunWork();
      pending.current = { progress: null, epochs: [], timer: null };
      setState({ status: 'running', progress: null, epochs: [], startedAt: performance.now() });
      working.current = true;
      testHooks.beginWork();
      const onProgress = Comlink.proxy((p: VerifiedProgress) => {
        if (!mine()) return;
        const prev = pending.current.progress;
        pending.current.progress = { ...p, fraction: Math.max(p.fraction, prev?.fraction ?? 0) };
        if (p.epoch) pending.current.epochs.push(p.epoch);
        pending.current.timer ??= setTimeout(() => flush(id), FLUSH_MS);
      });
      const r = (runner.current ??= newWorker('verified-lab'));
      r.api.run(spec, bundles.map(sourceOf), onProgress).then(
        (o) => {
          if (!mine()) return;
          endRunWork();
          if (o.ok) setState({ status: 'done', results: o.results });
          else setState({ status: 'failed', message: o.message, stopped: false, epochs: [...pending.current.epochs] });
        },
        (e: unknown) => {
          if (!mine()) return;
          endRunWork();
          runner.current?.worker.terminate();
          runner.current = null;
          setState({ status: 'failed', message: `the lab's worker failed: ${message(e)}`, stopped: false, epochs: [...pending.current.epochs] });
        },
      );
    },
    [endRunWork, flush],
  );

  /** The run cannot be reached inside its worker (it does not yield): the worker is terminated. */
  const stop = useCallback(() => {
    if (!runner.current) return;
    run.current++;
    runner.current.worker.terminate();
    runner.current = null;
    endRunWork();
    setState((s) => (s.status === 'running' ? { status: 'failed', message: 'stopped', stopped: true, epochs: [...pending.current.epochs] } : s));
  }, [endRunWork]);

  const recheckModel = useCallback(
    (file: VerifiedModelFile, name: string) => {
      const id = ++recheckRequest.current;
      setRecheck({ status: 'running', name });
      testHooks.beginWork();
      helperApi()
        .recheck(file)
        .then(
          (result) => id === recheckRequest.current && setRecheck({ status: 'done', name, result }),
          (e: unknown) => id === recheckRequest.current && setRecheck({ status: 'done', name, result: { ok: false, message: helperDied(e) } }),
        )
        .finally(() => testHooks.endWork());
    },
    [helperApi, helperDied],
  );

  /** A verdict reached on the page (a file that is not JSON, or not a model), shown as the re-check's answer. */
  const recheckFailed = useCallback((name: string, why: string) => {
    recheckRequest.current++;
    setRecheck({ status: 'done', name, result: { ok: false, message: why } });
  }, []);

  /** A kept run's results shown again (run history), without training. */
  const show = useCallback((results: VerifiedResults) => setState({ status: 'done', results }), []);
  return { state, listing, recheck, loadListing, start, stop, recheckModel, recheckFailed, show };
}
