import * as Comlink from 'comlink';
import { pca2 } from '../core/embeddings/projection.ts';
import { SkipGramCancelledError } from '../core/embeddings/skipgram-settings.ts';
import { trainSkipGramTyped } from '../core/embeddings/skipgram-typed.ts';
import { syscallCorpus } from '../core/embeddings/syscall-corpus.ts';
import { syscallKind } from '../core/embeddings/syscall-kinds.ts';
import { runForecastExperiment } from '../core/forecast/experiment.ts';
import { applySavedForecaster, parseSavedForecaster } from '../core/forecast/saved-model.ts';
import { buildSeries, listSeries } from '../core/forecast/series.ts';
import { parseForecastSpec } from '../core/forecast/spec.ts';
import { CancelledError } from '../core/ml/train.ts';
import { computeLabel, selectCompute } from './compute/select.ts';
import type { BackendName } from './compute/types.ts';
import type { ForecastLabApi } from './forecast-lab/protocol.ts';
import { acceptLoaderPort, readLabBundle as bundleOf, sourceName as nameOf } from './lab-bundles.ts';

let controller: AbortController | null = null;
const READ_SHARE = 0.05;

/** One job at a time: a new run or embedding cancels the previous one. */
function takeController(): AbortController {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  return mine;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const api: ForecastLabApi = {
  async run(specInput, source, backend, onProgress) {
    const mine = takeController();
    try {
      const spec = parseForecastSpec(specInput);
      await selectCompute(backend);
      onProgress({ fraction: 0, message: `reading ${nameOf(source)}` });
      const bundle = await bundleOf(source, mine.signal);
      // Reading took the first 5%: the experiment's own 0..1 is mapped onto the rest, so the bar never goes back.
      const results = await runForecastExperiment(spec, bundle, {
        backend: computeLabel(backend),
        signal: mine.signal,
        onProgress: (p) => onProgress({ ...p, fraction: READ_SHARE + (1 - READ_SHARE) * p.fraction }),
      });
      return { ok: true, results };
    } catch (e) {
      const cancelled = e instanceof CancelledError || mine.signal.aborted;
      return { ok: false, cancelled, message: cancelled ? 'cancelled' : message(e) };
    } finally {
      if (controller === mine) controller = null;
    }
  },

  async series(source) {
    try {
      const bundle = await bundleOf(source);
      const series = listSeries(bundle);
      if (series.length === 0) return { ok: false, message: `${nameOf(source)} has neither a samples table nor a time series (counters or PSI rows): there is nothing to forecast` };
      const frame = buildSeries(bundle, [series[0]!.id]);
      return { ok: true, series, intervals: frame.tNs.length, intervalS: frame.intervalS };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },

  async embeddings(source, settings, onProgress) {
    const mine = takeController();
    try {
      onProgress({ fraction: 0, message: `reading ${nameOf(source)}` });
      const bundle = await bundleOf(source, mine.signal);
      const corpus = syscallCorpus(bundle, { minCount: settings.minCount });
      const calls = corpus.tokenIds.reduce((a, t) => a + t.length, 0);
      if (calls === 0) throw new Error(`${nameOf(source)} has a syscalls table but no system calls in it`);
      const trained = await trainSkipGramTyped(corpus, settings, {
        signal: mine.signal,
        onProgress: (p) =>
          onProgress({
            fraction: p.fraction,
            message: `epoch ${p.epoch + 1}/${settings.epochs}: ${p.pairs.toLocaleString('en-US')} pairs, ${Math.round(p.pairsPerSecond).toLocaleString('en-US')} pairs/s, loss ${Number.isFinite(p.loss) ? p.loss.toFixed(3) : '–'}`,
          }),
      });
      const { tokens, counts } = corpus.vocab;
      const pca = pca2(trained.embedding);
      return {
        ok: true,
        results: {
          tokens: [...tokens],
          kinds: tokens.map(syscallKind),
          counts: Float64Array.from(counts),
          vectors: trained.embedding.data,
          dim: trained.embedding.dim,
          points: pca.points,
          explained: pca.explained,
          threads: corpus.tokenIds.length,
          calls,
          pairs: trained.pairs,
          seconds: trained.seconds,
          pairsPerSecond: trained.pairsPerSecond,
          epochLoss: trained.epochLoss,
          settings,
        },
      };
    } catch (e) {
      const cancelled = e instanceof SkipGramCancelledError || mine.signal.aborted;
      return { ok: false, cancelled, message: cancelled ? 'cancelled' : message(e) };
    } finally {
      if (controller === mine) controller = null;
    }
  },

  async applySaved(savedJson, source, backend: BackendName = 'engine') {
    try {
      const saved = parseSavedForecaster(savedJson);
      await selectCompute(backend);
      const bundle = await bundleOf(source);
      const present = new Set(listSeries(bundle).map((s) => s.id));
      const ids = [...new Set([...saved.layout.featureIds, saved.layout.targetId])];
      // Only series the bundle has go into the frame: the core then names the missing ones.
      const frame = buildSeries(bundle, ids.filter((id) => present.has(id)));
      const applied = await applySavedForecaster(saved, frame);
      const t0 = frame.tNs[0] ?? 0;
      const info = frame.infos.find((s) => s.id === saved.layout.targetId);
      return {
        ok: true,
        results: {
          ...applied,
          tS: Float64Array.from(applied.targetIndex, (i) => (frame.tNs[i]! - t0) / 1e9),
          intervals: frame.tNs.length,
          bundle: nameOf(source),
          targetName: info?.name ?? saved.layout.targetId,
          targetUnit: info?.unit ?? '',
        },
      };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },

  cancel() {
    controller?.abort();
  },
};

acceptLoaderPort(self);
Comlink.expose(api);
