import { useCallback, useEffect, useState } from 'react';
import { datasetUrl } from '../../datasets.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import { fetchSchedDatasets, SCHED_FOLDER, type SchedDatasets } from './sched-datasets.ts';
import { uniquePath, workloadFromFileName, type LabBundle } from './spec-form.ts';
import type { OverviewBundle } from '../shell/overview-bundle.ts';

function fromDatasets({ index, suggested }: SchedDatasets): LabBundle[] {
  const roles = new Map(suggested?.bundles.map((b) => [b.path, b]) ?? []);
  return index.map((d) => ({
    path: d.file,
    workload: roles.get(d.file)?.workload ?? d.workload,
    role: roles.get(d.file)?.role ?? 'unused',
    title: d.title,
    switches: d.switches,
    bytes: d.bytes,
    source: { kind: 'dataset', url: datasetUrl(`${SCHED_FOLDER}${d.file}`) },
  }));
}

/** The lab's bundles: the shipped recordings with the suggested roles, then whatever the user adds. */
export function useSchedBundles() {
  const [bundles, setBundles] = useState<LabBundle[]>([]);
  const [seed, setSeed] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let live = true;
    testHooks.beginWork();
    fetchSchedDatasets()
      .then((d) => {
        if (!live) return;
        // Dropped files (and the overview's bundle) that arrived before the index stay, after the shipped ones.
        setBundles((prev) => [...fromDatasets(d), ...prev.filter((b) => b.source.kind !== 'dataset')]);
        setSeed(d.suggested?.seed ?? null);
      })
      .catch((e: Error) => live && setProblem(`The shipped scheduling datasets are unavailable: ${e.message}. Add bundles of your own instead.`))
      .finally(() => {
        if (live) setReady(true);
        testHooks.endWork();
      });
    return () => {
      live = false;
    };
  }, []);

  /** Bundles and captures with sched events (admitted by the page, which asks the worker what each holds). */
  const addFiles = useCallback((files: readonly File[]) => {
    setBundles((prev) => {
      const taken = new Set(prev.map((b) => b.path));
      const added: LabBundle[] = files.map((file) => {
        const path = uniquePath(file.name, taken);
        taken.add(path);
        return { path, workload: workloadFromFileName(file.name), role: 'unused', title: file.name, bytes: file.size, source: { kind: 'file', file } };
      });
      return [...prev, ...added];
    });
  }, []);

  /** The overview's open bundle, unread: the loader worker answers the run from what it holds. */
  const addOpen = useCallback((o: OverviewBundle) => {
    setBundles((prev) => {
      if (prev.some((b) => b.source.kind === 'open' && b.source.bundleId === o.bundleId)) return prev;
      const path = uniquePath(o.name, new Set(prev.map((b) => b.path)));
      return [...prev, { path, workload: workloadFromFileName(o.name), role: 'unused', title: o.name, source: { kind: 'open', bundleId: o.bundleId, name: o.name } }];
    });
  }, []);

  const update = useCallback((path: string, patch: Partial<Pick<LabBundle, 'role' | 'workload'>>) => {
    setBundles((prev) => prev.map((b) => (b.path === path ? { ...b, ...patch } : b)));
  }, []);

  const remove = useCallback((path: string) => setBundles((prev) => prev.filter((b) => b.path !== path)), []);

  return { bundles, seed, problem, ready, addFiles, addOpen, update, remove };
}
