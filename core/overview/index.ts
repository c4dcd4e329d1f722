export * from './types.ts';
export { buildOverview, overviewOf, prepareOverview, type PreparedOverview } from './build-overview.ts';
export { tableToCsv } from './csv.ts';
export { OVERVIEW_COLUMNS } from './columns-read.ts';
