/** The bundle format version this code writes. Readers accept any 1.x or 2.x (1.x migrated); a newer major is refused. */
/** 1.1.0 added the `latency` table, the `bench` source and the manifest's `bench` section (`tlab bench`). */
/**
 * 1.2.0 is the compact layout (core/bundle/compact.ts): Int16 for CPUs and priorities, Int8/Int16 dictionary
 * codes. A minor version: every 1.x reader takes those types, so no migration step is needed to read it.
 */
/**
 * 2.0.0 stores a large table column by column (manifest `tables.NAME.columns`, one Arrow IPC file per column), so
 * a reader that needs a few columns (the overview reads 4 of sched's 17) inflates only those. A major version: a
 * 1.x reader cannot find such a table, and says the bundle is too new rather than that a table is missing. 1.x
 * bundles are migrated on read (migrations.ts).
 */
export const FORMAT_VERSION = '2.0.0';
export const FORMAT_MAJOR = 2;
/** Identifies the manifest's JSON Schema (docs/bundle-manifest.schema.json). */
export const MANIFEST_SCHEMA_ID = 'urn:telemetry-lab:bundle-manifest:2';
export const MANIFEST_PATH = 'manifest.json';
export const BUNDLE_EXTENSION = '.tlab';

export function parseSemver(v: string): { major: number; minor: number; patch: number } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}
