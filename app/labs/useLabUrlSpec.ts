import { useEffect, useRef, useState } from 'react';
import { testHooks } from '../testing/test-hooks.ts';
import { specFromUrl, urlWithSpec, wantsRun } from './url-spec.ts';

interface Options {
  /** The lab can take a spec now (its datasets are listed). */
  readonly ready: boolean;
  /** Sets the form from a spec; returns what is wrong with it, in words, or null. */
  readonly apply: (json: unknown) => string | null;
  /** The form's spec when it is valid (written into the URL), else null. */
  readonly spec: unknown;
  /** Whether the run button would work now (bundles read, backend chosen, spec valid). */
  readonly canRun: boolean;
  readonly run: () => void;
}

/**
 * The URL side of a lab (url-spec.ts): once the lab is ready, loads the link's spec into the form (and starts the run
 * when the link says run=1); from then on keeps the link's spec equal to the form's, so the address bar is always a
 * link to this configuration. Counted as work for window.__tlab.waitForIdle until a requested run has started.
 */
export function useLabUrlSpec({ ready, apply, spec, canRun, run }: Options): { urlProblem: string | null; loadedFrom: string | null } {
  const [phase, setPhase] = useState<'waiting' | 'loading' | 'done'>('waiting');
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const [pendingRun, setPendingRun] = useState(false);
  const applyRef = useRef(apply);
  applyRef.current = apply;

  const started = useRef(false);
  useEffect(() => {
    if (!ready || started.current) return;
    // Once per page: the link is read when the lab first can take a spec (a ref, not state, so that the effect does
    // not re-run, and cancel itself, when the phase changes).
    started.current = true;
    setPhase('loading');
    testHooks.beginWork();
    void specFromUrl(window.location.href).then((got) => {
      if (got) {
        if ('error' in got) setUrlProblem(got.error);
        else {
          const problem = applyRef.current(got.json);
          if (problem) setUrlProblem(`The spec from ${got.from} was not loaded: ${problem}`);
          else {
            setLoadedFrom(got.from);
            if (wantsRun(window.location.href)) {
              setPendingRun(true);
              testHooks.beginWork();
            }
          }
        }
      }
      setPhase('done');
      testHooks.endWork();
    });
  }, [ready]);

  useEffect(() => {
    if (phase !== 'done' || !pendingRun || !canRun) return;
    setPendingRun(false);
    run();
    testHooks.endWork();
  }, [phase, pendingRun, canRun, run]);

  const specText = spec === null || spec === undefined ? null : JSON.stringify(spec);
  useEffect(() => {
    // Not before the link's own spec is in the form (it would be overwritten by the defaults).
    // Not while a requested run waits either: run=1 stays until it has started (then the link loses it, so a reload
    // does not start another).
    if (phase !== 'done' || pendingRun || specText === null) return;
    const next = urlWithSpec(window.location.href, JSON.parse(specText) as unknown);
    if (next !== window.location.href) window.history.replaceState(window.history.state, '', next);
  }, [phase, pendingRun, specText]);

  return { urlProblem, loadedFrom };
}
