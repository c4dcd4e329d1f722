// Regenerates docs/bundle-manifest.schema.json and the generated sections of docs/bundle-format.md.
// `--check` fails (exit 1) when the committed files are out of date, without writing.
import { readFileSync, writeFileSync } from 'node:fs';
import { manifestFieldsMarkdown, manifestJsonSchema, replaceSection, tablesMarkdown } from '../core/bundle/schema-docs.ts';

const check = process.argv.includes('--check');
const root = new URL('..', import.meta.url);
const targets: [URL, (old: string) => string][] = [
  [new URL('docs/bundle-manifest.schema.json', root), () => JSON.stringify(manifestJsonSchema(), null, 2) + '\n'],
  [
    new URL('docs/bundle-format.md', root),
    (old) => replaceSection(replaceSection(old, 'manifest-fields', manifestFieldsMarkdown()), 'tables', tablesMarkdown()),
  ],
];
let stale = 0;
for (const [url, make] of targets) {
  let old = '';
  try {
    old = readFileSync(url, 'utf8');
  } catch {
    // A missing schema file is simply written.
  }
  const next = make(old);
  if (next === old) continue;
  stale++;
  if (check) console.error(`${url.pathname} is out of date: run npm run schema`);
  else writeFileSync(url, next);
}
if (check && stale) process.exit(1);
console.log(check ? 'schema and docs are up to date' : `wrote ${stale} file(s)`);
