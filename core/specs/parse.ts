import type { z } from 'zod';

/** Parses an experiment spec with an error that names the first bad field and why (what a person can fix). */
export function parseSpec<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
  throw new Error(`invalid ${what} spec at ${where}: ${issue.message}`);
}
