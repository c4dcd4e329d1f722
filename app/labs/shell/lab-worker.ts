import { useCallback, useEffect, useMemo, useRef } from 'react';
import * as Comlink from 'comlink';
import { connectLabWorker, forgetLabWorker } from '../../loading/loader-ports.ts';
import { testHooks } from '../../testing/test-hooks.ts';

/** A lab's worker, started on first use and ended when the lab is left. */
export interface LabWorker<Api> {
  /** The worker's API, starting a fresh worker if none runs. */
  api(): Comlink.Remote<Api>;
  /** The running worker's API, or null: calls that must not start a worker (cancel). */
  running(): Comlink.Remote<Api> | null;
  /**
   * A call rejected, which only a dead worker does (lab APIs return failures as values): ends it, so the next
   * call starts a fresh one, and gives the message to show.
   */
  died(e: unknown): string;
  /** Ends the worker now (a run that cannot be interrupted from inside); the next call starts a fresh one. */
  terminate(): void;
}

export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One worker per visit to a lab. `create` must hold the literal `new Worker(new URL(…, import.meta.url))` so
 * Vite bundles the worker; it is called lazily. Leaving the lab terminates the worker: a terminated worker
 * cannot keep the CPU busy.
 */
export function useLabWorker<Api>(create: () => Worker): LabWorker<Api> {
  const held = useRef<{ worker: Worker; api: Comlink.Remote<Api> } | null>(null);
  const createRef = useRef(create);
  createRef.current = create;

  const terminate = useCallback(() => {
    if (held.current) forgetLabWorker(held.current.worker);
    held.current?.worker.terminate();
    held.current = null;
  }, []);
  useEffect(() => terminate, [terminate]);

  return useMemo(
    () => ({
      api: () => {
        if (!held.current) {
          const worker = createRef.current();
          // Its bundles come from the loader worker, which has them open already or reads them once for all.
          connectLabWorker(worker);
          held.current = { worker, api: Comlink.wrap<Api>(worker) };
        }
        return held.current.api;
      },
      running: () => held.current?.api ?? null,
      died: (e: unknown) => {
        terminate();
        return `the lab's worker failed: ${errorMessage(e)}`;
      },
      terminate,
    }),
    [terminate],
  );
}

/**
 * Latest-wins requests: `begin()` gives a check that stays true until a newer request begins, `drop()` is
 * called, or the lab is left. Answers to superseded requests are ignored.
 */
export function useLatest(): { begin: () => () => boolean; drop: () => void } {
  const counter = useRef(0);
  useEffect(
    () => () => {
      counter.current++;
    },
    [],
  );
  return useMemo(
    () => ({
      begin: () => {
        const id = ++counter.current;
        return () => id === counter.current;
      },
      drop: () => {
        counter.current++;
      },
    }),
    [],
  );
}

/** Counts the promise as work until it settles, so window.__tlab.waitForIdle() waits for it. */
export function asWork<P extends Promise<unknown>>(p: P): Promise<Awaited<P>> {
  testHooks.beginWork();
  // Comlink types a call that returns a union as a union of promises; the awaited type is the union.
  return (p as Promise<Awaited<P>>).finally(() => testHooks.endWork());
}

/** Progress fractions only move forward: reading the bundles and the experiment each count from 0. */
export function forward<P extends { fraction: number }>(prev: P | null, next: P): P {
  return { ...next, fraction: Math.max(next.fraction, prev?.fraction ?? 0) };
}
