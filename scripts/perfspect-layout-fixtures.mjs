#!/usr/bin/env node
/**
 * Writes fixtures/perfspect-series/: this project's real perf stat numbers (fixtures/perf-stat/perf-stat-a-A-I200.csv)
 * laid out the way PerfSpect's writers lay out metric time series. The files are NOT PerfSpect output: no real
 * PerfSpect time-series capture was available, and PerfSpect needs Intel PMU events this VM does not have. Only the
 * layout follows PerfSpect (intel/PerfSpect): perf-postprocess.py generate_metrics() / generate_metrics_time_series()
 * for 1.x, internal/metrics printMetricsCSV() for 3.x. The "metrics" are the per-second rates of perf's software
 * events, named "<event> per sec".
 *
 *   node scripts/perfspect-layout-fixtures.mjs           writes the four files
 *   node scripts/perfspect-layout-fixtures.mjs --check   writes nothing; exits 1 if a file differs from what it
 *                                                        would write or a number formatter fails a known case
 *
 * Plain Node, no dependencies, deterministic: the same input gives the same bytes.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url);
const SOURCE = 'fixtures/perf-stat/perf-stat-a-A-I200.csv';
const OUT_DIR = 'fixtures/perfspect-series/';
// perf stat -I 200 (SOURCES.md). PerfSpect 1.x throws out a time slice shorter than 4.5 s of its 5 s interval
// (generate_metrics: "throwing out last sample because it was too short"); the same share of 200 ms is 180 ms.
const INTERVAL_S = 0.2;
const SHORT_SLICE_S = INTERVAL_S * (4.5 / 5);

// ---- the capture ----

/** perf stat -x, -a -A -I output: time slices in file order, each with a value per event and CPU. */
function readCapture(text) {
  let startedOn = null;
  const events = [];
  const cpus = [];
  const slices = [];
  for (const line of text.split('\n')) {
    const started = /^# started on (.+)$/.exec(line);
    if (started) startedOn = started[1];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(',');
    const timeText = f[0].trim();
    const cpu = /^CPU(\d+)$/.exec(f[1]);
    if (!/^\d+\.\d{9}$/.test(timeText) || !cpu) throw new Error(`not a perf stat -a -A -I line: ${line}`);
    const valueText = f[2];
    const event = f[4];
    let value;
    if (valueText === '<not counted>' || valueText === '<not supported>') value = null;
    else if (/^\d+(?:\.\d+)?$/.test(valueText)) value = Number(valueText);
    else throw new Error(`not a count: ${line}`);
    if (!events.includes(event)) events.push(event);
    const n = Number(cpu[1]);
    if (!cpus.includes(n)) cpus.push(n);
    let slice = slices.at(-1);
    if (!slice || slice.timeText !== timeText) slices.push((slice = { timeText, values: new Map() }));
    slice.values.set(`${event}@${n}`, value);
  }
  if (startedOn === null) throw new Error('no "# started on" line');
  cpus.sort((a, b) => a - b);
  return { startedOn, events, cpus, slices };
}

/** "Sun Nov 22 07:11:09 2026" (perf's ctime() line; the build machine runs in UTC) -> unix seconds. */
function unixSeconds(ctime) {
  const m = /^\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(ctime);
  if (!m) throw new Error(`unexpected "# started on" text: ${ctime}`);
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
}

/** A per-second rate; NaN when a CPU's count is missing, as pandas' and Go's arithmetic would give. */
function rate(slice, event, cpus, seconds) {
  let sum = 0;
  for (const c of cpus) {
    const v = slice.values.get(`${event}@${c}`);
    sum += v ?? NaN;
  }
  return sum / seconds;
}

// ---- exact decimal digits of a double, rounded half to even (what Python's and Go's formatters do) ----

/** x > 0 finite -> { d, dp }: x = 0.d × 10^dp exactly, d without leading or trailing zeros. */
function exactDecimal(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  let digits;
  let dp;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    // m / 2^k = m·5^k / 10^k
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { d: trimmed, dp };
}

/** Keeps the first nd digits (nd may be 0 or negative: rounding at a place before the first digit), half to even. */
function roundDigits({ d, dp }, nd) {
  if (nd >= d.length) return { d, dp };
  if (nd < 0) return { d: '', dp: 0 };
  const rest = d.slice(nd);
  const kept = d.slice(0, nd);
  const half = rest[0] === '5' && /^5$/.test(rest);
  const lastKeptOdd = kept.length > 0 && Number(kept.at(-1)) % 2 === 1;
  const up = rest[0] > '5' || (rest[0] === '5' && (!half || lastKeptOdd));
  if (!up) return trim({ d: kept, dp });
  if (kept === '') return { d: '1', dp: dp + 1 };
  const bumped = (BigInt(kept) + 1n).toString();
  return trim(bumped.length > kept.length ? { d: bumped, dp: dp + 1 } : { d: bumped, dp });
}

function trim({ d, dp }) {
  const t = d.replace(/0+$/, '');
  return t === '' ? { d: '', dp: 0 } : { d: t, dp };
}

// ---- Go strconv.FormatFloat(v, 'g', prec, 64) ----

function goExp(exp) {
  const a = Math.abs(exp);
  return `${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

/** strconv.FormatFloat(x, 'g', prec, 64) for prec >= 0, following ftoa.go's formatDigits, fmtE and fmtF. */
export function goFormatG(x, prec) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  if (prec === 0) prec = 1;
  const digs = x === 0 ? { d: '', dp: 0 } : roundDigits(exactDecimal(Math.abs(x)), prec);
  const nd = digs.d.length;
  let eprec = prec;
  if (eprec > nd && nd >= digs.dp) eprec = nd;
  const exp = digs.dp - 1;
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const p = Math.min(prec, nd) - 1;
    let s = nd ? digs.d[0] : '0';
    if (p > 0) s += '.' + digs.d.slice(1, p + 1).padEnd(p, '0');
    return `${sign}${s}e${goExp(nd ? exp : 0)}`;
  }
  const p = Math.max((prec > digs.dp ? nd : prec) - digs.dp, 0);
  let s = digs.dp > 0 ? digs.d.slice(0, digs.dp).padEnd(digs.dp, '0') : '0';
  if (p > 0) {
    s += '.';
    for (let i = 0; i < p; i++) {
      const j = digs.dp + i;
      s += j >= 0 && j < nd ? digs.d[j] : '0';
    }
  }
  return sign + s;
}

// ---- Python ----

/** float("{:.8f}".format(x)): PerfSpect 1.x rounds every metric value to 8 decimals (evaluate_metric_expression). */
export function pyRound8(x) {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return x;
  const e = exactDecimal(Math.abs(x));
  const r = roundDigits(e, e.dp + 8);
  const v = r.d === '' ? 0 : Number(`0.${r.d}e${r.dp}`);
  return x < 0 ? -v : v;
}

/** repr(float), which is how pandas' to_csv writes a float64 cell: shortest round-trip digits, ".0" on whole numbers. */
export function pyRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // String() gives the shortest digits that round-trip (the closest of them), as Python's repr does; only the
  // layout of those digits differs.
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(x)));
  const whole = m[1];
  const frac = m[2] ?? '';
  let digits = (whole + frac).replace(/^0+/, '');
  const lead = (whole + frac).length - digits.length;
  const exp = whole.length - 1 - lead + Number(m[3] ?? 0);
  digits = digits.replace(/0+$/, '');
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mant}e${goExp(exp)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${int}.${digits.slice(exp + 1) || '0'}`;
}

/** pandas to_csv quotes a field holding the separator, a quote or a line end (csv.QUOTE_MINIMAL). */
function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// ---- the layouts ----

/**
 * PerfSpect 1.x metric_out.{sys,cpu}.csv: generate_metrics divides each slice's counts by the time since the
 * previous kept slice (0 before the first), evaluates each metric per instance (its name gets ".<cpu>" in CPU
 * mode, metric by metric, instances in order), rounds to 8 decimals, and to_csv writes the transposed frame with
 * index name "time": one row per kept slice, its time as perf printed it.
 */
function layout1x(cap, perCpu) {
  const columns = [];
  for (const event of cap.events) {
    if (perCpu) for (const c of cap.cpus) columns.push({ name: `metric_${event} per sec.${c}`, event, cpus: [c] });
    else columns.push({ name: `metric_${event} per sec`, event, cpus: cap.cpus });
  }
  const lines = [['time', ...columns.map((c) => c.name)].map(csvField).join(',')];
  let prev = 0;
  for (const slice of cap.slices) {
    const t = Number(slice.timeText);
    if (t - prev < SHORT_SLICE_S) continue;
    const values = columns.map((c) => {
      const v = pyRound8(rate(slice, c.event, c.cpus, t - prev));
      return Number.isNaN(v) ? '' : pyRepr(v);
    });
    prev = t;
    lines.push([csvField(slice.timeText), ...values].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * PerfSpect 3.x <target>_metrics.csv (printMetricsCSV): the header "TS,SKT,CPU,CID," + names joined by ",", then
 * per frame "%d,%s,%s,%s," of collectionStartTime.Unix()+int64(frame.Timestamp), socket, CPU, cgroup, and the
 * values as FormatFloat(v, 'g', 8, 64) joined by ",", with every "NaN" replaced by "". Every slice is written.
 */
function layout3x(cap, perCpu) {
  const base = unixSeconds(cap.startedOn);
  const names = cap.events.map((e) => `${e} per sec`);
  const lines = ['TS,SKT,CPU,CID,' + names.join(',')];
  let prev = 0;
  for (const slice of cap.slices) {
    const t = Number(slice.timeText);
    const ts = base + Math.trunc(t);
    const frames = perCpu ? cap.cpus.map((c) => ({ cpu: String(c), cpus: [c] })) : [{ cpu: '', cpus: cap.cpus }];
    for (const f of frames) {
      const values = cap.events.map((e) => goFormatG(rate(slice, e, f.cpus, t - prev), 8));
      lines.push(`${ts},,${f.cpu},,` + values.join(',').replaceAll('NaN', ''));
    }
    prev = t;
  }
  return lines.join('\n') + '\n';
}

export function layouts(captureText) {
  const cap = readCapture(captureText);
  return {
    'metric_out.sys.csv': layout1x(cap, false),
    'metric_out.cpu.csv': layout1x(cap, true),
    'sys_metrics.csv': layout3x(cap, false),
    'cpu_metrics.csv': layout3x(cap, true),
  };
}

// ---- known answers for the formatters ----

// Go: from strconv's ftoa_test.go (ftoatests); prec 8 cases follow formatDigits (1e6 stays "1000000": its
// exponent 6 is under the precision 8).
const GO_CASES = [
  [400, 2, '4e+02'], [40, 2, '40'], [4, 2, '4'], [0.4, 2, '0.4'], [0.0004, 2, '0.0004'], [0.00004, 2, '4e-05'],
  [0, 5, '0'], [-1, 5, '-1'], [12, 5, '12'], [123456700, 5, '1.2346e+08'], [1.2345e6, 5, '1.2345e+06'],
  [1e23, 17, '9.9999999999999992e+22'], [32, 0, '3e+01'],
  [2.49315018, 8, '2.4931502'], [1.5e-5, 8, '1.5e-05'], [1e6, 8, '1000000'], [123456789, 8, '1.2345679e+08'],
  [1e8, 8, '1e+08'], [0.0001, 8, '0.0001'], [NaN, 8, 'NaN'], [Infinity, 8, '+Inf'],
];
// Python 3.11: repr() and "{:.8f}" (round half to even: 0.001953125 is exactly halfway).
const PY_REPR_CASES = [
  [1002, '1002.0'], [44.919, '44.919'], [1e-5, '1e-05'], [1.2e-5, '1.2e-05'], [1e16, '1e+16'], [1e15, '1000000000000000.0'],
  [123456789012345.6, '123456789012345.6'], [0.0001, '0.0001'], [0.1 + 0.2, '0.30000000000000004'], [5e-324, '5e-324'],
  [0.00012345, '0.00012345'], [12345678.9, '12345678.9'], [0, '0.0'],
];
const PY_ROUND_CASES = [[0.001953125, 0.00195312], [0.005859375, 0.00585938], [2.5, 2.5], [1 / 3, 0.33333333]];

function formatterFailures() {
  const out = [];
  for (const [x, p, want] of GO_CASES) if (goFormatG(x, p) !== want) out.push(`goFormatG(${x}, ${p}) = ${goFormatG(x, p)}, want ${want}`);
  for (const [x, want] of PY_REPR_CASES) if (pyRepr(x) !== want) out.push(`pyRepr(${x}) = ${pyRepr(x)}, want ${want}`);
  for (const [x, want] of PY_ROUND_CASES) if (pyRound8(x) !== want) out.push(`pyRound8(${x}) = ${pyRound8(x)}, want ${want}`);
  return out;
}

function main() {
  const check = process.argv.includes('--check');
  const failures = formatterFailures();
  const files = layouts(readFileSync(new URL(SOURCE, root), 'utf8'));
  if (!check) mkdirSync(new URL(OUT_DIR, root), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const url = new URL(OUT_DIR + name, root);
    if (!check) writeFileSync(url, text);
    else {
      let old = null;
      try {
        old = readFileSync(url, 'utf8');
      } catch {
        // reported below
      }
      if (old !== text) failures.push(`${OUT_DIR}${name} differs from what ${SOURCE} gives`);
    }
  }
  for (const f of failures) console.error(f);
  if (failures.length) process.exit(1);
  console.log(check ? `${Object.keys(files).length} files as generated; formatters pass` : `wrote ${Object.keys(files).join(', ')} to ${OUT_DIR}`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) main();
