import { z } from 'zod';
import { Manifest } from './manifest.ts';
import { TABLE_SPECS, tablePath, type ColumnSpec } from './tables.ts';
import { MANIFEST_SCHEMA_ID } from './version.ts';

/** The manifest's JSON Schema, generated from the zod schema so the two can never disagree. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Manifest, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: MANIFEST_SCHEMA_ID, title: 'Telemetry Lab bundle manifest' };
}

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  propertyNames?: { enum?: string[] };
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  const?: unknown;
}

function typeOf(n: JsonSchemaNode): string {
  if (n.properties) return 'object';
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
  if (n.enum) return n.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  const variants = n.oneOf ?? n.anyOf;
  if (variants) return [...new Set(variants.map(typeOf))].join(' \\| ');
  if (Array.isArray(n.type)) return n.type.join(' \\| ');
  if (n.type === 'array' && n.items) return `array of ${typeOf(n.items)}`;
  return n.type ?? 'any';
}

/** A discriminated union documented as one object: its tag lists every value; fields not in all variants are optional. */
function mergeVariants(variants: JsonSchemaNode[]): { props: Record<string, JsonSchemaNode>; required: Set<string> } {
  const props: Record<string, JsonSchemaNode> = {};
  for (const v of variants) {
    for (const [k, p] of Object.entries(v.properties ?? {})) {
      const seen = props[k];
      if (seen && seen.const !== undefined && p.const !== undefined) props[k] = { ...seen, const: undefined, enum: [seen.const, p.const] };
      else if (seen?.enum && p.const !== undefined) props[k] = { ...seen, enum: [...seen.enum, p.const] };
      else if (!seen) props[k] = p;
    }
  }
  const required = new Set(Object.keys(props).filter((k) => variants.every((v) => v.required?.includes(k))));
  return { props, required };
}

const cellText = (s: string) => s.replace(/\|/g, '\\|');

function walk(node: JsonSchemaNode, path: string, required: boolean, rows: string[]): void {
  if (path) rows.push(`| \`${cellText(path)}\` | ${typeOf(node)} | ${required ? 'yes' : 'no'} | ${cellText(node.description ?? '')} |`);
  const variants = node.oneOf ?? node.anyOf;
  const merged = !node.properties && variants?.some((v) => v.properties) ? mergeVariants(variants) : null;
  const props = node.properties ?? merged?.props;
  const req = merged?.required ?? new Set(node.required ?? []);
  if (props) {
    // Keys that share one schema (the sources, the tables) are documented once, as <a|b|c>.
    const groups = new Map<string, { keys: string[]; schema: JsonSchemaNode }>();
    for (const [k, v] of Object.entries(props)) {
      const sig = JSON.stringify(v);
      const g = groups.get(sig);
      if (g) g.keys.push(k);
      else groups.set(sig, { keys: [k], schema: v });
    }
    for (const { keys, schema } of groups.values()) {
      const key = keys.length > 1 ? `<${keys.join('|')}>` : keys[0]!;
      walk(schema, path ? `${path}.${key}` : key, keys.every((k) => req.has(k)), rows);
    }
  }
  if (node.type === 'array' && node.items?.properties) walk({ ...node.items, description: undefined } as JsonSchemaNode, `${path}[]`, true, rows);
  const value = typeof node.additionalProperties === 'object' ? node.additionalProperties : null;
  if (value && node.propertyNames?.enum) walk({ ...value, description: value.description }, `${path}.<${node.propertyNames.enum.join('|')}>`, false, rows);
  else if (value && props) {
    rows.push(`| \`${cellText(path)}.<other>\` | ${typeOf(value)} | no | Added by a later 1.x version: accepted, shown, and otherwise ignored by this one |`);
  }
}

export function manifestFieldsMarkdown(): string {
  const rows = ['| field | type | required | meaning |', '|---|---|---|---|'];
  walk(manifestJsonSchema() as JsonSchemaNode, '', true, rows);
  // The walk lists an array's own row and then its item fields; drop rows duplicated by that.
  return [...new Set(rows)].join('\n');
}

export function tablesMarkdown(): string {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(TABLE_SPECS)) {
    out.push(`### \`${name}\` (\`${tablePath(name as keyof typeof TABLE_SPECS)}\`)`, '', spec.doc, '');
    out.push('| column | Arrow type | nullable | unit | meaning |', '|---|---|---|---|---|');
    for (const c of spec.columns as readonly ColumnSpec[]) {
      const type = { i64: 'Int64', i32: 'Int32', i16: 'Int16 (Int32 before 1.2)', f64: 'Float64', dict: 'Dictionary<Int8/Int16/Int32, Utf8> (the narrowest codes the dictionary allows since 1.2, Int32 before)', utf8: 'Utf8' }[c.kind];
      out.push(`| \`${c.name}\` | ${type} | ${c.nullable ? 'yes' : 'no'} | ${c.unit ?? ''} | ${c.doc.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`section markers for "${name}" not found`);
  return `${doc.slice(0, a + start.length)}\n${body}\n${doc.slice(b)}`;
}
