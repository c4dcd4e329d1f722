export * from './types.ts';
export { buildOverview } from './build-overview.ts';
export { tableToCsv } from './csv.ts';
