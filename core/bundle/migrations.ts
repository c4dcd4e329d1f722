import { FORMAT_MAJOR, FORMAT_VERSION, MANIFEST_SCHEMA_ID, parseSemver } from './version.ts';
import type { BundleError } from './errors.ts';

/**
 * A migration lifts a manifest (as parsed JSON) from one major version to the next. Minor versions only add
 * optional fields, so they need none.
 */
export interface Migration {
  readonly fromMajor: number;
  readonly migrate: (manifest: Record<string, unknown>) => Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    // Format 2 reads every table of format 1 as it lies (one Arrow IPC file, `path`); only the schema's id moved.
    fromMajor: 1,
    migrate: (m) => ({ ...m, $schema: MANIFEST_SCHEMA_ID }),
  },
];

export type MigrationResult = { ok: true; manifest: Record<string, unknown>; from: string } | { ok: false; error: BundleError };

export function migrateManifest(
  json: Record<string, unknown>,
  migrations: readonly Migration[] = MIGRATIONS,
  currentMajor: number = FORMAT_MAJOR,
): MigrationResult {
  const found = json['formatVersion'];
  if (typeof found !== 'string') {
    return { ok: false, error: { kind: 'manifest-invalid', path: '$.formatVersion', detail: 'required string (semver such as "1.0.0") is missing' } };
  }
  const v = parseSemver(found);
  if (!v) return { ok: false, error: { kind: 'manifest-invalid', path: '$.formatVersion', detail: `"${found}" is not a semver version` } };
  const supported = `${currentMajor}.x (writes ${FORMAT_VERSION})`;
  if (v.major > currentMajor) return { ok: false, error: { kind: 'unsupported-version', found, supported, tooNew: true } };
  let manifest = json;
  for (let major = v.major; major < currentMajor; major++) {
    const step = migrations.find((m) => m.fromMajor === major);
    if (!step) return { ok: false, error: { kind: 'unsupported-version', found, supported, tooNew: false } };
    manifest = step.migrate(manifest);
  }
  return { ok: true, manifest, from: found };
}
