import type { Table } from 'apache-arrow';
import {
  FORMAT_VERSION,
  MANIFEST_SCHEMA_ID,
  readBundle,
  describeBundleError,
  writeBundle,
  type BenchSection,
  type BundleContents,
  type RawCapture,
  type SourceName,
  type TableName,
} from '../../../core/bundle/index.ts';
import { producerVersion } from '../version.ts';
import { writeFileSafely } from '../safe-output.ts';
import type { ProcessGroup } from './group.ts';
import type { HostInfo } from './host-info.ts';
import type { RecordOptions } from './options.ts';
import type { SourceOutcome } from './source.ts';
import type { WorkloadExit } from './workload.ts';

type Manifest = BundleContents['manifest'];

export interface ManifestParts {
  opts: RecordOptions;
  host: HostInfo;
  originUnixNs: bigint;
  endNs: number;
  command: string[] | null;
  exit: WorkloadExit | null;
  group: ProcessGroup;
  outcomes: Partial<Record<SourceName, SourceOutcome>>;
  overhead: Record<string, number>;
  notes: string[];
  /** From a recorder extension (`tlab bench`): the workload's label and description, and the bench section. */
  label?: string;
  description?: string;
  bench?: BenchSection;
}

function defaultLabel(p: ManifestParts): string {
  if (p.command) {
    const text = p.command.join(' ');
    return text.length > 80 ? text.slice(0, 77) + '...' : text;
  }
  if (p.opts.pid !== null) return `pid ${p.opts.pid}`;
  return `cgroup ${p.opts.cgroup}`;
}

export function buildManifest(p: ManifestParts): Manifest {
  const sources: Manifest['sources'] = {};
  for (const [name, o] of Object.entries(p.outcomes) as [SourceName, SourceOutcome][]) {
    const base = { settings: o.settings, tables: Object.keys(o.tables), ...(o.tool ? { tool: o.tool } : {}), ...(o.notes?.length ? { notes: o.notes } : {}) };
    sources[name] = o.status === 'ok' ? { status: 'ok', ...base } : { status: o.status, reason: o.reason ?? 'unknown', ...base };
  }
  return {
    $schema: MANIFEST_SCHEMA_ID,
    formatVersion: FORMAT_VERSION,
    producer: { name: 'tlab', version: producerVersion() },
    createdAt: new Date().toISOString(),
    host: p.host,
    clock: { domain: 'monotonic', unit: 'ns', originUnixNs: p.originUnixNs.toString() },
    workload: {
      label: p.opts.label ?? p.label ?? defaultLabel(p),
      description: p.description ?? (p.command
        ? `Recorded with tlab record --interval ${p.opts.intervalS} --sources ${p.opts.sources.join(',')}`
        : `Attached to ${p.opts.pid !== null ? `pid ${p.opts.pid}` : `cgroup ${p.opts.cgroup}`} for ${p.opts.durationS ?? 'an open-ended'} s`),
      command: p.command,
      startNs: 0,
      endNs: Math.max(0, Math.round(p.endNs)),
      exit: p.exit ? { code: p.exit.code, signal: p.exit.signal } : null,
      group: { kind: p.group.kind, path: p.group.path, ...(p.group.note ? { note: p.group.note } : {}) },
    },
    sources,
    overhead: p.overhead,
    ...(p.bench ? { bench: p.bench } : {}),
    ...(p.notes.length ? { notes: p.notes } : {}),
  };
}

/**
 * Writes the bundle to a private file next to its final name and renames it into place only once it reads back,
 * so a half-written or unreadable file never carries the name the user asked for.
 */
export async function writeAndVerify(
  output: string,
  manifest: Manifest,
  outcomes: Partial<Record<SourceName, SourceOutcome>>,
): Promise<{ bytes: number; rows: Partial<Record<TableName, number>> }> {
  const tables: Partial<Record<TableName, Table>> = {};
  const raw: RawCapture[] = [];
  for (const o of Object.values(outcomes)) {
    if (!o) continue;
    Object.assign(tables, o.tables);
    raw.push(...(o.raw ?? []));
  }
  const data = writeBundle({ manifest, tables, raw });
  const rows: Partial<Record<TableName, number>> = {};
  // Read back through the same descriptor before the rename (safe-output.ts: a private file, never followed links).
  await writeFileSafely(output, data, async (written) => {
    const back = await readBundle(written);
    if (!back.ok) {
      const d = describeBundleError(back.error);
      throw new Error(`the bundle does not read back: ${d.title}: ${d.detail}`);
    }
    for (const [name, t] of Object.entries(back.bundle.tables) as [TableName, Table][]) rows[name] = t.numRows;
  });
  return { bytes: data.byteLength, rows };
}
