import { gzipSync, strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { BundleErrorKind } from '../errors.ts';
import { MANIFEST_PATH } from '../version.ts';

/**
 * Damaged copies of a real bundle, one per error the reader must report. Each is made the way such files
 * arise: a cut-short copy, a re-zip without the manifest, a hand-edited manifest, a bundle from a newer
 * release, a zip whose table was dropped or overwritten.
 */
export interface Corruption {
  readonly name: string;
  readonly expect: BundleErrorKind;
  readonly bytes: Uint8Array;
}

function rezip(bundle: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bundle);
  edit(files);
  const ordered: Zippable = {};
  if (files[MANIFEST_PATH]) ordered[MANIFEST_PATH] = files[MANIFEST_PATH];
  for (const [k, v] of Object.entries(files)) if (k !== MANIFEST_PATH) ordered[k] = v;
  return zipSync(ordered);
}

function editManifest(bundle: Uint8Array, edit: (m: Record<string, unknown>) => void): Uint8Array {
  return rezip(bundle, (files) => {
    const m = JSON.parse(strFromU8(files[MANIFEST_PATH]!)) as Record<string, unknown>;
    edit(m);
    files[MANIFEST_PATH] = strToU8(JSON.stringify(m));
  });
}

export function corruptionsOf(bundle: Uint8Array, otherFile: { name: string; bytes: Uint8Array }): Corruption[] {
  const files = unzipSync(bundle);
  const table = Object.keys(files).find((k) => k.startsWith('tables/'));
  if (!table) throw new Error('the bundle has no table to damage');
  return [
    { name: 'empty.tlab', expect: 'empty-file', bytes: new Uint8Array(0) },
    // A compressed capture is neither a bundle nor importable text: the classic "forgot to gunzip".
    { name: `${otherFile.name}.gz`, expect: 'not-a-zip', bytes: gzipSync(otherFile.bytes) },
    { name: 'truncated-half.tlab', expect: 'zip-truncated', bytes: bundle.slice(0, Math.floor(bundle.byteLength / 2)) },
    { name: 'truncated-end.tlab', expect: 'zip-truncated', bytes: bundle.slice(0, bundle.byteLength - 10) },
    { name: 'no-manifest.tlab', expect: 'no-manifest', bytes: rezip(bundle, (f) => delete f[MANIFEST_PATH]) },
    {
      name: 'manifest-not-json.tlab',
      expect: 'manifest-invalid',
      bytes: rezip(bundle, (f) => (f[MANIFEST_PATH] = f[MANIFEST_PATH]!.slice(0, 40))),
    },
    {
      name: 'manifest-bad-field.tlab',
      expect: 'manifest-invalid',
      bytes: editManifest(bundle, (m) => ((m['host'] as Record<string, unknown>)['cpuCount'] = 'two')),
    },
    { name: 'newer-major.tlab', expect: 'unsupported-version', bytes: editManifest(bundle, (m) => (m['formatVersion'] = '3.0.0')) },
    { name: 'table-missing.tlab', expect: 'table-missing', bytes: rezip(bundle, (f) => delete f[table]) },
    {
      name: 'table-corrupt.tlab',
      expect: 'table-corrupt',
      bytes: rezip(bundle, (f) => (f[table] = f[table]!.slice(0, Math.floor(f[table]!.byteLength / 3)))),
    },
  ];
}
