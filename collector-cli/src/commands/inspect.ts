import { Command } from 'commander';
import { statSync } from 'node:fs';
import { summarizeBundle } from '../../../core/bundle/index.ts';
import { readBundleFile } from '../bundle-file.ts';

function formatSummary(path: string, s: ReturnType<typeof summarizeBundle>): string {
  const m = s.manifest;
  const w = m.workload;
  const lines = [
    `${path}: ${w.label}`,
    `  format ${m.formatVersion}, written by ${m.producer.name} ${m.producer.version} at ${m.createdAt}`,
    `  command: ${w.command ? w.command.join(' ') : '(attached or imported)'}`,
    `  duration: ${((w.endNs - w.startNs) / 1e9).toFixed(3)} s, ended: ${w.exit ? (w.exit.signal ?? `exit ${w.exit.code}`) : 'unknown'}`,
    `  host: ${m.host.hostname ?? '(not recorded)'}, kernel ${m.host.kernel ?? '?'}, ${m.host.cpuCount ?? '?'} CPUs`,
    '  sources:',
    ...Object.entries(s.sources).map(([n, v]) => `    ${n.padEnd(7)} ${v.status}${v.reason ? ` (${v.reason})` : ''}`),
    '  tables:',
    ...Object.entries(s.tables).map(([n, v]) => `    ${n.padEnd(9)} ${v!.rows.toLocaleString('en-US')} rows`),
  ];
  const top = Object.entries(s.syscallsByName).slice(0, 10);
  if (top.length) lines.push('  top syscalls:', ...top.map(([n, c]) => `    ${n.padEnd(18)} ${c.toLocaleString('en-US')}`));
  const sched = Object.entries(s.schedByEvent);
  if (sched.length) lines.push('  sched events:', ...sched.map(([n, c]) => `    ${n.padEnd(20)} ${c.toLocaleString('en-US')}`));
  for (const warning of s.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('Print what a bundle holds: manifest, source status, row counts, syscalls by name, sched events by type')
    .argument('<bundle>', 'a .tlab file')
    .option('--json', 'one JSON object instead of text')
    .action(async (path: string, flags: { json?: boolean }) => {
      const summary = summarizeBundle(await readBundleFile(path));
      if (flags.json) console.log(JSON.stringify({ file: path, bytes: statSync(path).size, ...summary }));
      else console.log(formatSummary(path, summary));
    });
}
