import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { testHooks } from '../testing/test-hooks.ts';
import { specFromUrl, urlWithSpec, wantsRun } from './url-spec.ts';

interface Options {
  /** The lab can take a spec now (its datasets are listed). */
  readonly ready: boolean;
  /** Sets the form from a spec (`from`: "from the link" or the file's name); returns what is wrong with it, in words, or null. */
  readonly apply: (json: unknown, from: string) => string | null;
  /** The form's spec when it is valid (written into the URL), else null. */
  readonly spec: unknown;
  /** Whether the run button would work now (bundles read, backend chosen, spec valid). */
  readonly canRun: boolean;
  readonly run: () => void;
  /** Files dropped on the window while the lab is shown: a .json is loaded as a spec, the rest go to `add`. */
  readonly drop?: { readonly target: RefObject<((files: File[]) => void) | null> | undefined; readonly add: (files: File[]) => void };
}

/**
 * The URL side of a lab (url-spec.ts): once the lab is ready, loads the link's spec into the form (and starts the run
 * when the link says run=1); from then on keeps the link's spec equal to the form's, so the address bar is always a
 * link to this configuration. Counted as work for window.__tlab.waitForIdle until a requested run has started.
 */
export function useLabUrlSpec({ ready, apply, spec, canRun, run, drop }: Options): LabSpecInput {
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
          const problem = applyRef.current(got.json, 'from the link');
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

  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const loadFile = useCallback(async (file: File) => {
    setFileProblem(null);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      setFileProblem(`The spec was not loaded: ${file.name} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const problem = applyRef.current(json, file.name);
    if (problem) setFileProblem(`The spec was not loaded: ${problem}`);
    else setLoadedFrom(file.name);
  }, []);

  // A dropped .json is a spec for the form (the lab's own drop handling gets the other files).
  const takeSpecFiles = useCallback(
    (files: File[]): File[] => {
      const specs = files.filter((f) => /\.json$/i.test(f.name));
      if (specs[0]) void loadFile(specs[0]);
      return files.filter((f) => !specs.includes(f));
    },
    [loadFile],
  );

  const dropTarget = drop?.target;
  const add = drop?.add;
  useEffect(() => {
    if (!dropTarget || !add) return;
    dropTarget.current = (files) => {
      const rest = takeSpecFiles(files);
      if (rest.length) add(rest);
    };
    return () => {
      dropTarget.current = null;
    };
  }, [dropTarget, add, takeSpecFiles]);

  return { urlProblem, loadedFrom, fileProblem, loadFile, takeSpecFiles };
}

export interface LabSpecInput {
  /** What was wrong with the link's spec, in words. */
  urlProblem: string | null;
  /** Where the form's spec came from: "from the link" or a file name. */
  loadedFrom: string | null;
  /** What was wrong with the last spec file, in words. */
  fileProblem: string | null;
  /** Loads a spec file (chosen or dropped) into the form. */
  loadFile: (file: File) => Promise<void>;
  /** Loads the first .json of dropped files as a spec; gives back the others. */
  takeSpecFiles: (files: File[]) => File[];
}
