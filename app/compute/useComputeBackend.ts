import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { ComputeProbeApi } from '../../workers/compute-probe.worker.ts';
import { BACKEND_LABELS, BACKEND_NAMES, type BackendName, type BackendReport, type ChosenBackend, type ProbeResult } from '../../workers/compute/types.ts';

export type BackendChoice = BackendName | 'auto';
export type ComputeStatus = 'waiting' | 'probing' | 'ready' | 'error';

export interface ComputeBackend {
  status: ComputeStatus;
  /** Reports so far: they arrive one backend at a time while probing. */
  reports: BackendReport[];
  /** What the probe would pick: the measured fastest, never a software WebGPU adapter. */
  chosen: ChosenBackend | null;
  /** The user's stored choice, or 'auto'. */
  choice: BackendChoice;
  /** The backend training should use now: the user's choice when it works, otherwise the probe's. */
  active: BackendName | null;
  /** Why a stored or new choice could not be honoured, or why the probe failed. */
  error: string | null;
  totalMs: number | null;
  setChoice: (choice: BackendChoice) => void;
  reprobe: () => void;
  /** Starts the probe if it has not run: it measures for seconds, so it runs when first wanted, not on every visit. */
  start: () => void;
}

export interface TlabCompute {
  reports: BackendReport[];
  chosen: ChosenBackend;
  active: BackendName;
  choice: BackendChoice;
  totalMs: number;
  tensors: ProbeResult['tensors'];
  /** From the probe's start until the choice was settled (announced before a software WebGPU is measured). */
  chosenAfterMs: number;
  /** Completed probes in this page (re-measuring adds one). */
  probes: number;
  /** tf.memory() inside the probe worker, for leak checks. */
  memory: () => Promise<{ numTensors: number; numBytes: number; backend: string }>;
  reprobe: () => void;
}

declare global {
  interface Window {
    __tlabCompute?: TlabCompute;
  }
}

export const STORAGE_KEY = 'tlab.compute.backend';

function storedChoice(): BackendChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && (BACKEND_NAMES as readonly string[]).includes(v) ? (v as BackendName) : 'auto';
  } catch {
    return 'auto'; // storage blocked (privacy mode): the choice simply does not persist
  }
}

function storeChoice(choice: BackendChoice): void {
  try {
    if (choice === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    /* see storedChoice */
  }
}

/** Runs after the first paint, when the main thread is idle, so the probe never delays the page. */
function whenIdle(run: () => void): () => void {
  let idle: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(run, { timeout: 3000 });
      else timer = setTimeout(run, 200);
    }, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Probes the TensorFlow.js backends in a worker and keeps the user's choice. */
export function useComputeBackend(): ComputeBackend {
  const [status, setStatus] = useState<ComputeStatus>('waiting');
  const [reports, setReports] = useState<BackendReport[]>([]);
  const [result, setResult] = useState<ProbeResult | null>(null);
  const [chosen, setChosen] = useState<ChosenBackend | null>(null);
  const [choice, setChoiceState] = useState<BackendChoice>(storedChoice);
  const [active, setActive] = useState<BackendName | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = useRef<Comlink.Remote<ComputeProbeApi> | null>(null);
  const probeRef = useRef<(() => void) | null>(null);
  const probes = useRef(0);
  const chosenAfterMs = useRef<number | null>(null);

  // A stored choice means the user already cares: measure at once so it can be applied.
  const [started, setStarted] = useState(() => storedChoice() !== 'auto');
  const start = useCallback(() => setStarted(true), []);

  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    let worker: Worker | null = null;
    const probe = async (remote: Comlink.Remote<ComputeProbeApi>): Promise<void> => {
      setStatus('probing');
      setReports([]);
      const started = performance.now();
      chosenAfterMs.current = null;
      const onReport = Comlink.proxy((r: BackendReport) => {
        if (!cancelled) setReports((prev) => [...prev.filter((p) => p.name !== r.name), r]);
      });
      // The choice settles before a software WebGPU is measured (it can never win), so show it early.
      const onChosen = Comlink.proxy((c: ChosenBackend) => {
        if (cancelled) return;
        chosenAfterMs.current = performance.now() - started;
        setChosen(c);
        const wanted = storedChoice();
        setActive((prev) => prev ?? (wanted === 'auto' ? c.name : null));
      });
      try {
        const res = await remote.probe(true, onReport, onChosen);
        if (cancelled) return;
        let use: BackendName = res.chosen.name;
        const wanted = storedChoice();
        let problem: string | null = null;
        if (wanted !== 'auto') {
          try {
            await remote.use(wanted);
            use = wanted;
          } catch (e) {
            problem = `Your choice ${BACKEND_LABELS[wanted]} cannot be used (${message(e)}); using ${BACKEND_LABELS[use]}.`;
            await remote.use(use);
          }
        }
        if (cancelled) return;
        probes.current++;
        setResult(res);
        setChosen(res.chosen);
        setReports(res.reports);
        setActive(use);
        setError(problem);
        setStatus('ready');
      } catch (e) {
        if (cancelled) return;
        setError(`Backend probe failed: ${message(e)}`);
        setStatus('error');
      }
    };
    const cancelIdle = whenIdle(() => {
      worker = new Worker(new URL('../../workers/compute-probe.worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('error', (e) => {
        if (!cancelled) {
          setError(`The compute probe worker failed to start: ${e.message || 'script error'}`);
          setStatus('error');
        }
      });
      const remote = Comlink.wrap<ComputeProbeApi>(worker);
      api.current = remote;
      // Re-measuring reuses the worker, so a leak across probes shows up in its tf.memory().
      probeRef.current = () => void probe(remote);
      void probe(remote);
    });
    return () => {
      cancelled = true;
      cancelIdle();
      worker?.terminate();
      api.current = null;
      probeRef.current = null;
    };
  }, [started]);

  const setChoice = useCallback(
    (next: BackendChoice) => {
      const remote = api.current;
      if (!remote || !result) return;
      const target = next === 'auto' ? result.chosen.name : next;
      remote.use(target).then(
        (report) => {
          setReports((prev) => prev.map((r) => (r.name === report.name ? report : r)));
          storeChoice(next);
          setChoiceState(next);
          setActive(target);
          setError(null);
        },
        (e: unknown) => setError(`${BACKEND_LABELS[target]} cannot be used: ${message(e)}`),
      );
    },
    [result],
  );

  const reprobe = useCallback(() => probeRef.current?.(), []);

  useEffect(() => {
    if (status !== 'ready' || !result || !active || !api.current) return;
    const remote = api.current;
    window.__tlabCompute = {
      reports,
      chosen: result.chosen,
      active,
      choice,
      totalMs: result.totalMs,
      tensors: result.tensors,
      probes: probes.current,
      chosenAfterMs: chosenAfterMs.current ?? result.totalMs,
      memory: () => remote.memory(),
      reprobe,
    };
  }, [status, result, reports, active, choice, reprobe]);

  return { status, reports, chosen, choice, active, error, totalMs: result?.totalMs ?? null, setChoice, reprobe, start };
}
