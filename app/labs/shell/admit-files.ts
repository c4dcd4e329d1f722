import type { TablesOutcome } from '../../../workers/lab-bundles/tables-of.ts';
import { tableProblem } from './overview-bundle.ts';

/**
 * Files dropped on or picked in a lab, each read (a bundle) or imported (an strace log, an ftrace text) by the
 * lab's worker before it is added: one without a table the lab needs, or one that cannot be read, is refused at
 * once by name, with what the lab needs, instead of failing when the experiment runs.
 */
export async function admitFiles(
  files: readonly File[],
  tablesOf: (file: File) => Promise<TablesOutcome>,
  anyOf: readonly string[],
  needs: string,
): Promise<{ admitted: File[]; refused: string[] }> {
  const admitted: File[] = [];
  const refused: string[] = [];
  // One at a time: the loader worker reads them in turn anyway, and a 2-core machine gains nothing from more.
  for (const file of files) {
    const o = await tablesOf(file);
    const problem = o.ok ? tableProblem(file.name, o.tables, anyOf, needs) : o.message;
    if (problem) refused.push(problem);
    else admitted.push(file);
  }
  return { admitted, refused };
}
