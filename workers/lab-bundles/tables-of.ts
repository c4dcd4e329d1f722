import { readLabBundle, type LabSource } from '../lab-bundles.ts';

export type TablesOutcome = { readonly ok: true; readonly tables: readonly string[] } | { readonly ok: false; readonly message: string };

/**
 * The tables a source has rows in, read as a run would read it (from the loader worker, which keeps it, so the
 * run that follows reads nothing again); a capture is imported first. Never rejects: a refusal is the message.
 */
export async function tablesOf(s: LabSource, name: string): Promise<TablesOutcome> {
  try {
    const b = await readLabBundle(s, undefined, name);
    return { ok: true, tables: Object.entries(b.tables).flatMap(([t, table]) => (table && table.numRows > 0 ? [t] : [])) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
