/** The bundle format version this code writes. Readers accept any 1.x; a newer major is refused. */
/** 1.1.0 added the `latency` table, the `bench` source and the manifest's `bench` section (`tlab bench`). */
/**
 * 1.2.0 is the compact layout (core/bundle/compact.ts): Int16 for CPUs and priorities, Int8/Int16 dictionary
 * codes. A minor version: every 1.x reader takes those types, so no migration step is needed to read it.
 */
export const FORMAT_VERSION = '1.2.0';
export const FORMAT_MAJOR = 1;
/** Identifies the manifest's JSON Schema (docs/bundle-manifest.schema.json). */
export const MANIFEST_SCHEMA_ID = 'urn:telemetry-lab:bundle-manifest:1';
export const MANIFEST_PATH = 'manifest.json';
export const BUNDLE_EXTENSION = '.tlab';

export function parseSemver(v: string): { major: number; minor: number; patch: number } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}
