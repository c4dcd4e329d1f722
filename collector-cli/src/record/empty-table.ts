import { Field, Schema, Table } from 'apache-arrow';
import { TABLE_SPECS, TableBuilder, arrowType, type TableName } from '../../../core/bundle/index.ts';

/** A table with the bundle's columns and no rows. */
export function emptyTable(name: TableName): Table {
  const spec = TABLE_SPECS[name];
  return new Table(new Schema(spec.columns.map((c) => new Field(c.name, arrowType(c.kind), c.nullable))));
}

/**
 * TableBuilder.finish() throws on zero rows (apache-arrow rejects its zero-length column set), and so does
 * every parser's finish() that ends with it. A source that saw nothing still owes the bundle a valid, empty table.
 */
export function finishRows(builder: TableBuilder): Table {
  return builder.length === 0 ? emptyTable(builder.table) : builder.finish();
}

/** Runs a parser's finish(); when it fails only because there were no rows, substitutes an empty table. */
export function finishParser<R extends { table: Table }>(name: TableName, finish: () => R, fallback: Omit<R, 'table'>): R {
  try {
    return finish();
  } catch (e) {
    if (e instanceof TypeError && /schemas must be equivalent/.test(e.message)) return { ...fallback, table: emptyTable(name) } as R;
    throw e;
  }
}
