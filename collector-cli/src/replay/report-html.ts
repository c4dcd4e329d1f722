import type { Comparison, Headline } from '../../../core/specs/headline.ts';

/**
 * The replay's report: one self-contained HTML page (figures inlined as PNG data, no scripts, no requests) with the
 * headline table, every chart, the comparison with Node when one was made, the spec, the exact command and the
 * versions that produced it.
 */
export interface ReportInput {
  readonly specName: string;
  readonly headline: Headline;
  readonly charts: readonly { readonly id: string; readonly title: string; readonly file: string; readonly png: Buffer }[];
  readonly comparison: Comparison | null;
  readonly spec: unknown;
  readonly command: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly seconds: number;
  readonly createdAt: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fig = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 || v === 0 ? v.toFixed(0) : v.toPrecision(4)) : '–');

export function reportHtml(r: ReportInput): string {
  const h = r.headline;
  const table = `<table><thead><tr><th>row</th>${h.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${h.rows
    .map((row) => `<tr><td>${esc(row.key)}</td>${h.columns.map((c) => `<td class="n">${fig(row.figures[c] ?? Number.NaN)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const compare = r.comparison
    ? `<h2>Browser against Node (<code>tlab run</code>, same spec)</h2><p class="${r.comparison.ok ? 'ok' : 'bad'}">${
        r.comparison.ok ? 'Every judged figure agrees to float noise (1e-9 relative).' : 'Some figures differ (marked).'
      }${r.comparison.missing.length ? ` Rows on one side only: ${esc(r.comparison.missing.join(', '))}.` : ''}</p><table><thead><tr><th>row</th><th>figure</th><th>browser</th><th>Node</th><th>relative difference</th><th>kind</th></tr></thead><tbody>${r.comparison.differences
        .map((d) => `<tr class="${d.ok === false ? 'bad' : ''}"><td>${esc(d.key)}</td><td>${esc(d.figure)}</td><td class="n">${fig(d.a)}</td><td class="n">${fig(d.b)}</td><td class="n">${d.relative.toExponential(2)}</td><td>${d.agreement}${d.ok === null ? ' (other kernels: not judged)' : ''}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const charts = r.charts
    .map((c) => `<figure><img alt="${esc(c.title)}" src="data:image/png;base64,${c.png.toString('base64')}"><figcaption>${esc(c.title)} (<code>${esc(c.file)}</code>)</figcaption></figure>`)
    .join('');
  const versions = Object.entries(r.versions)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Replay: ${esc(r.specName)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:13px}th,td{border:1px solid #d5dae3;padding:3px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.bad td{background:#fde2e1}.ok{color:#176c2f}.bad{color:#a4161a}
figure{margin:1rem 0}img{max-width:100%;border:1px solid #d5dae3}pre{background:#f4f6f9;padding:.75rem;overflow:auto;font-size:12px}
</style></head><body>
<h1>Replay: ${esc(r.specName)}</h1>
<p>${esc(h.title)}. Replayed in the browser in ${r.seconds.toFixed(1)} s, ${esc(r.createdAt)}.</p>
${table}
${compare}
<h2>Figures</h2>
${charts || '<p>The page drew no charts.</p>'}
<h2>How it was made</h2>
<pre>${esc(r.command)}</pre>
<table>${versions}</table>
<h2>Spec</h2>
<pre>${esc(JSON.stringify(r.spec, null, 2))}</pre>
</body></html>
`;
}
