import { useEffect, useState } from 'react';
import { csvSeparator, splitCsv } from '../../core/importers/csv-fields.ts';
import type { CsvMapping as Mapping } from '../../core/importers/importer.ts';

const UNITS = ['s', 'ms', 'us', 'ns'] as const;
/** The time select's value for "no time column: rows evenly spaced". */
const NO_TIME = '';
/** Enough of the file for its header line (read on the main thread: a slice, never the file). */
const HEAD_BYTES = 64 * 1024;

/** The column names of a CSV: its first line that is not blank (a "# " comment header counts, as in sadf -d). */
async function columnsOf(file: File): Promise<string[]> {
  const text = await file.slice(0, HEAD_BYTES).text();
  const header = text.split('\n').find((l) => l.trim() !== '');
  if (!header) return [];
  const line = header.replace(/\r$/, '').replace(/^#\s*/, '');
  return splitCsv(line, csvSeparator(line)).map((c) => c.trim());
}

/**
 * Which columns of a time-series CSV to import: the time column and what it counts (or none, the rows evenly
 * spaced), and the series. Shown for a dropped CSV, whether its layout was recognised (to change it) or not (to
 * say it); applying it imports the file again with the csv-series importer's mapping (the same as tlab import
 * --time --unit --series, or --interval).
 */
export function CsvMapping({ file, detectedTime, onApply }: { file: File; detectedTime: string | null; onApply: (m: Mapping) => void }) {
  const [columns, setColumns] = useState<string[] | null>(null);
  const [time, setTime] = useState('');
  const [unit, setUnit] = useState('');
  const [interval, setRowInterval] = useState('1');
  const [series, setSeries] = useState<Set<string>>(new Set());

  useEffect(() => {
    let live = true;
    void columnsOf(file).then((cols) => {
      if (!live) return;
      const t = detectedTime && cols.includes(detectedTime) ? detectedTime : (cols[0] ?? '');
      setColumns(cols);
      setTime(t);
      setSeries(new Set(cols.filter((c) => c !== t)));
    });
    return () => {
      live = false;
    };
  }, [file, detectedTime]);

  if (!columns || columns.length < 2) return null;
  const toggle = (c: string) =>
    setSeries((s) => {
      const next = new Set(s);
      if (!next.delete(c)) next.add(c);
      return next;
    });
  // The column that was the time becomes a series again (checked), the new time column stops being one.
  const pickTime = (t: string) => {
    setSeries((s) => {
      const next = new Set(s);
      if (time !== NO_TIME) next.add(time);
      next.delete(t);
      return next;
    });
    setTime(t);
  };
  const chosen = columns.filter((c) => c !== time && series.has(c));
  const seconds = Number(interval);
  const evenly = time === NO_TIME;
  const ready = chosen.length > 0 && (!evenly || (Number.isFinite(seconds) && seconds > 0));
  const apply = () =>
    onApply(evenly ? { rowIntervalS: seconds, series: chosen } : { time, ...(unit ? { unit: unit as Mapping['unit'] } : {}), series: chosen });
  return (
    <section className="notice csv-mapping" data-testid="csv-mapping" aria-label="CSV columns">
      <strong>Columns of {file.name}</strong>{' '}
      <label>
        time{' '}
        <select data-testid="csv-time" value={time} onChange={(e) => pickTime(e.target.value)}>
          <option value={NO_TIME}>none: rows evenly spaced</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>{' '}
      {evenly ? (
        <label>
          one row every{' '}
          <input data-testid="csv-interval" type="number" min="0" step="any" value={interval} onChange={(e) => setRowInterval(e.target.value)} style={{ width: '6em' }} /> s
        </label>
      ) : (
        <label>
          counts{' '}
          <select data-testid="csv-unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value="">as detected (ISO dates need none)</option>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
      )}{' '}
      <span role="group" aria-label="series">
        series:{' '}
        {columns
          .filter((c) => c !== time)
          .map((c) => (
            <label key={c}>
              <input type="checkbox" data-testid={`csv-series-${c}`} checked={series.has(c)} onChange={() => toggle(c)} /> {c}{' '}
            </label>
          ))}
      </span>
      <button type="button" data-testid="csv-apply" disabled={!ready} onClick={apply}>
        Import with these columns
      </button>
    </section>
  );
}
