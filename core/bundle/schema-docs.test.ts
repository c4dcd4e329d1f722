import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestFieldsMarkdown, manifestJsonSchema, replaceSection, tablesMarkdown } from './schema-docs.ts';
import { TABLE_SPECS } from './tables.ts';

const docs = new URL('../../docs/', import.meta.url);

describe('schema generation', () => {
  it('the committed JSON Schema is the one generated from the zod schema', () => {
    const committed = JSON.parse(readFileSync(new URL('bundle-manifest.schema.json', docs), 'utf8')) as unknown;
    expect(committed).toEqual(manifestJsonSchema());
  });

  it('the JSON Schema requires the envelope fields and pins the schema id', () => {
    const s = manifestJsonSchema() as { required: string[]; properties: Record<string, { const?: string }> };
    expect(s.required).toEqual(expect.arrayContaining(['$schema', 'formatVersion', 'producer', 'host', 'clock', 'workload', 'sources', 'tables']));
    expect(s.properties['$schema']?.const).toBe('urn:telemetry-lab:bundle-manifest:2');
  });

  it('docs/bundle-format.md documents every manifest field and every column, as generated', () => {
    const doc = readFileSync(new URL('bundle-format.md', docs), 'utf8');
    expect(replaceSection(replaceSection(doc, 'manifest-fields', manifestFieldsMarkdown()), 'tables', tablesMarkdown())).toBe(doc);
    for (const [name, spec] of Object.entries(TABLE_SPECS)) {
      expect(doc).toContain(`### \`${name}\``);
      for (const c of spec.columns) expect(doc).toContain(`| \`${c.name}\` |`);
    }
    expect(doc).toContain('`workload.exit.signal`');
  });
});
