import type { ForecastResults } from '../../../core/forecast/experiment.ts';

/** The error map as text: per input set, one line per model and history, RMSE per horizon (skill in brackets). */
export function formatForecastResults(r: ForecastResults): string {
  const s = r.spec;
  const lines = [
    `forecast lab: ${r.target.name}${r.target.unit ? ` (${r.target.unit})` : ''}, ${r.intervals} intervals of ${r.intervalS.toFixed(2)} s, seed ${s.seed}, backend ${r.backend}`,
    `test RMSE by horizon (intervals ahead); [skill vs persistence, 1 = perfect, 0 = no better, < 0 worse]`,
  ];
  const inputsOrder = [...new Set(r.rows.map((x) => x.inputs))];
  for (const inputs of inputsOrder) {
    const set = r.inputSets.find((x) => x.name === inputs);
    lines.push('', `inputs "${inputs}" (${set?.seriesIds.length ?? '?'} series)`);
    lines.push(`${'model'.padEnd(16)}${'history'.padStart(8)}  ${s.horizons.map((h) => `h=${h}`.padStart(16)).join('')}`);
    const models = [...new Set(r.rows.filter((x) => x.inputs === inputs).map((x) => x.model))];
    for (const m of models) {
      for (const k of s.histories) {
        const cells = s.horizons.map((h) => {
          const row = r.rows.find((x) => x.inputs === inputs && x.model === m && x.horizon === h && x.history === k);
          if (!row) return '–'.padStart(16);
          const skill = row.skill === undefined ? '' : ` [${row.skill >= 0 ? '+' : ''}${row.skill.toFixed(2)}]`;
          return `${row.rmse.toPrecision(3)}${skill}`.padStart(16);
        });
        lines.push(`${m.padEnd(16)}${String(k).padStart(8)}  ${cells.join('')}`);
      }
    }
  }
  if (r.skipped.length) lines.push('', `skipped: ${r.skipped.map((x) => `${x.model} h=${x.horizon} k=${x.history} (${x.reason})`).join('; ')}`);
  return lines.join('\n');
}
