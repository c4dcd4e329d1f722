import type { ECharts } from 'echarts/core';
import type { ModelBenchRequest, ModelBenchResult } from '../../workers/model-bench/page.ts';

/**
 * A small typed API on window for end-to-end tests and experiment replays (the Perfetto pattern):
 * `await window.__tlab.waitForIdle()` resolves when no load is running and every chart has rendered.
 */
interface ChartSeriesData {
  name: string;
  type: string;
  data: unknown[];
  /** Category labels of the chart's category axis, when it has one. */
  categories: string[] | null;
}

const charts = new Map<string, ECharts>();
// Views drawn without ECharts (the canvas timelines): each registers a getter of what it draws now.
const views = new Map<string, () => unknown>();
// The lab on screen's last results, as its JSON export writes them (what `tlab replay` saves).
let labResults: { lab: string; get: () => unknown } | null = null;
const pendingCharts = new Set<string>();
let busy = 0;
let loadStartedAt: number | null = null;
let firstChartAt: number | null = null;
let waiters: (() => void)[] = [];

const isIdle = () => busy === 0 && pendingCharts.size === 0;
let checkScheduled = false;

function settle(): void {
  if (!isIdle() || checkScheduled || waiters.length === 0) return;
  checkScheduled = true;
  // Look again after a frame and a short pause: a finished load has only just set React state, and the
  // charts it causes register themselves in effects that run after that frame.
  requestAnimationFrame(() =>
    setTimeout(() => {
      checkScheduled = false;
      if (!isIdle()) return;
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }, 50),
  );
}

export const testHooks = {
  beginWork(): void {
    busy++;
  },
  /** Marks the start of a bundle load; the next chart to render marks "first chart". */
  loadStarted(): void {
    loadStartedAt = performance.now();
    firstChartAt = null;
    performance.mark('tlab:load-start');
  },
  endWork(): void {
    busy = Math.max(0, busy - 1);
    settle();
  },
  chartPending(id: string): void {
    pendingCharts.add(id);
  },
  chartRendered(id: string, chart: ECharts): void {
    if (loadStartedAt !== null && firstChartAt === null) {
      firstChartAt = performance.now();
      performance.mark('tlab:first-chart');
    }
    charts.set(id, chart);
    pendingCharts.delete(id);
    settle();
  },
  /** A canvas view's data getter (null removes it), read by window.__tlab.viewData(id). */
  setView(id: string, get: (() => unknown) | null): void {
    if (get) views.set(id, get);
    else views.delete(id);
  },
  /** The shown lab's finished results (null: none, or the lab left). */
  setLabResults(lab: string, get: (() => unknown) | null): void {
    if (get) labResults = { lab, get };
    else if (labResults?.lab === lab) labResults = null;
  },
  chartRemoved(id: string): void {
    charts.delete(id);
    pendingCharts.delete(id);
    settle();
  },
};

declare global {
  interface Window {
    __tlab: {
      waitForIdle(): Promise<void>;
      chartIds(): string[];
      chartData(id: string): ChartSeriesData[] | null;
      /** Each series' colour as ECharts holds it (issue 13: a name keeps its colour across zooms). */
      chartColours(id: string): { name: string; color: string }[] | null;
      /** What a canvas view (a timeline) draws now, as it registered it; null when it is not shown. */
      viewData(id: string): unknown;
      /** The shown lab's last finished run: its name and its results as its JSON export writes them; null when none. */
      labResults(): { lab: string; results: unknown } | null;
      state?: unknown;
      /** ms from the start of the last load to its first rendered chart, null until then. */
      msToFirstChart(): number | null;
      /**
       * Where a data value of one series is drawn, in viewport pixels (for page.mouse.move), or null when the
       * chart is not shown or the value is off its axes.
       */
      chartPixel(id: string, seriesIndex: number, value: (number | string)[]): [number, number] | null;
      /** The chart's HTML tooltip while it is shown: its text and its markup; null when hidden. */
      chartTooltip(id: string): { text: string; html: string } | null;
      /** Zooms a time chart (and so every connected one) to start..end percent of its axis. */
      zoom(id: string, start: number, end: number): boolean;
      /** The loader worker's counts: sources read from their bytes, requests answered from open bundles. */
      loaderStats(): Promise<{ reads: number; hits: number; heldBytes: number; bundles: number } | null>;
      /** The `models` bench suite for one backend in a fresh dedicated worker (npm run bench -- --only models). */
      benchModels(req: ModelBenchRequest): Promise<ModelBenchResult>;
    };
  }
}

window.__tlab = {
  waitForIdle: () =>
    new Promise<void>((resolve) => {
      waiters.push(resolve);
      settle();
    }),
  chartIds: () => [...charts.keys()],
  chartColours: (id) => {
    const chart = charts.get(id);
    if (!chart) return null;
    const series = (chart.getOption() as { series?: { name?: string; color?: unknown }[] }).series ?? [];
    return series.map((s) => ({ name: String(s.name ?? ''), color: String(s.color ?? '') }));
  },
  viewData: (id) => views.get(id)?.() ?? null,
  labResults: () => (labResults ? { lab: labResults.lab, results: labResults.get() } : null),
  chartPixel: (id, seriesIndex, value) => {
    const chart = charts.get(id);
    if (!chart) return null;
    const p = chart.convertToPixel({ seriesIndex }, value) as number[] | undefined;
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
    const box = chart.getDom().getBoundingClientRect();
    return [box.left + p[0]!, box.top + p[1]!];
  },
  chartTooltip: (id) => {
    const chart = charts.get(id);
    if (!chart) return null;
    // ECharts' HTML tooltip is a div it appends to the chart's element (z-index 9999999, hidden by display/opacity).
    const el = [...chart.getDom().children].find((c): c is HTMLElement => c instanceof HTMLElement && c.style.zIndex === '9999999');
    if (!el || el.style.display === 'none' || el.style.opacity === '0' || el.style.visibility === 'hidden') return null;
    return { text: el.innerText, html: el.innerHTML };
  },
  zoom: (id, start, end) => {
    const chart = charts.get(id);
    if (!chart) return false;
    chart.dispatchAction({ type: 'dataZoom', start, end });
    return true;
  },
  loaderStats: () => import('../loading/loader-ports.ts').then((m) => m.loaderStats()),
  // Lazy: the bench's worker and its code load only when a bench calls this.
  benchModels: (req) => import('../../workers/model-bench/page.ts').then((m) => m.benchModelsInWorker(req)),
  msToFirstChart: () => (loadStartedAt !== null && firstChartAt !== null ? firstChartAt - loadStartedAt : null),
  chartData: (id) => {
    const chart = charts.get(id);
    if (!chart) return null;
    // What ECharts itself holds, not what we meant to give it.
    const option = chart.getOption() as {
      series?: { name?: string; type?: string; data?: unknown[] }[];
      xAxis?: { type?: string; data?: unknown[] }[];
      yAxis?: { type?: string; data?: unknown[] }[];
    };
    const axis = [...(option.xAxis ?? []), ...(option.yAxis ?? [])].find((a) => a.type === 'category');
    const categories = axis?.data ? axis.data.map(String) : null;
    return (option.series ?? []).map((s) => ({ name: String(s.name ?? ''), type: String(s.type ?? ''), data: s.data ?? [], categories }));
  },
};
