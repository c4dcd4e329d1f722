/**
 * The whole bundle open in the overview (a demo, a capture dropped there), as a lab may take it: the loader
 * worker answers `{ bundleId, name }` from what it holds, so choosing it in a lab reads nothing again.
 */
export interface OverviewBundle {
  readonly bundleId: string;
  readonly name: string;
  /** The tables it has rows in: a lab says at once why it cannot use a bundle, rather than failing at run time. */
  readonly tables: readonly string[];
}

/**
 * Why a lab cannot use bundle `name` with these tables, in words naming it, or null. `anyOf`: the tables of
 * which the lab needs at least one; `needs`: what the lab needs, said as a user would.
 */
export function tableProblem(name: string, tables: readonly string[], anyOf: readonly string[], needs: string): string | null {
  return anyOf.some((t) => tables.includes(t)) ? null : `${name} has no ${anyOf.join(' or ')} table: this lab needs ${needs}`;
}

export function overviewBundleProblem(b: OverviewBundle, anyOf: readonly string[], needs: string): string | null {
  return tableProblem(b.name, b.tables, anyOf, needs);
}
