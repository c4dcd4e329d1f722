import { concatBytes } from '../bytes/concat.ts';
import { Inflate, Unzip, type UnzipFile } from 'fflate';
import { BundleErrorException, type BundleError } from './errors.ts';
import { BUNDLE_LIMITS } from './limits.ts';

const EOCD_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
// End-of-central-directory record (22 bytes) plus the longest comment a zip may carry.
const EOCD_WINDOW = 22 + 0xffff;
/**
 * fflate's Unzip handles the entries of one pushed chunk by recursion (a frame or two per entry), so a chunk
 * of 100,000 tiny entries overflows the stack; fed in slices of this size it never nests more than ~3000 deep.
 */
const UNZIP_SLICE = 64 << 10;
/**
 * fflate's Inflate inflates all it is given at once, so compressed bytes go in slices: at deflate's best ratio
 * (~1032:1) a slice of MIN_SLICE yields at most ~8.5 MB before the running size is checked again. Where more
 * is allowed (under the entry's limit and the ratio check), slices are as large as that allows even at the best
 * ratio, up to MAX_SLICE: each push costs fflate a 32 KiB window copy and a buffer grown by at least 128 KiB,
 * so small slices spent more time copying than inflating.
 */
const MIN_SLICE = 8 << 10;
const MAX_SLICE = 256 << 10;
const BEST_RATIO = 1032;
/**
 * Compressed bytes handed to the native inflate at a time (its output is checked between them): at least
 * NATIVE_SLICE, more as the entry's allowance grows (as for fflate: what the slice may yield at the best ratio),
 * up to MAX_NATIVE_SLICE. Each write costs a round trip through the stream: Node's DecompressionStream inflated a
 * 31 MB entry (4.3 MB compressed) in 204 ms in 64 KiB slices and in 83 ms in 256 KiB ones.
 */
const NATIVE_SLICE = 64 << 10;
const MAX_NATIVE_SLICE = 1 << 20;
/** An entry is inflated into one buffer of its declared size up to this size (a hostile zip may declare more than it holds). */
const PREALLOCATE_MAX = 256 << 20;

/**
 * What to do with an entry: skip it (never inflated), keep it up to `limit` bytes, hold it compressed until the
 * manifest is known (defer), or hold it compressed for the caller to inflate when it is needed (hold: a column a
 * projected read left out), against the limit given now.
 */
export type EntryPlan =
  | { readonly action: 'skip' }
  | { readonly action: 'defer' }
  /** `later`: a deflated entry is held compressed and inflated by inflatePending() with the platform's native inflate. */
  | { readonly action: 'keep'; readonly limit: number; readonly basis: string; readonly later?: boolean }
  | { readonly action: 'hold'; readonly limit: number; readonly basis: string };

/** An entry held compressed (EntryPlan 'hold'): UnzipCollector.inflateHeld() inflates it against its limit. */
export interface HeldEntry {
  readonly name: string;
  /** Zip method: 0 stored, 8 deflated. */
  readonly compression: number;
  readonly parts: readonly Uint8Array[];
  readonly declared: number | null;
  readonly limit: number;
  readonly basis: string;
}

/**
 * A one-shot raw inflate that stops once its output would pass `maxOutput` bytes, saying 'too-large' then: Node's
 * zlib.inflateRawSync with maxOutputLength, which Node entry points register (useOneShotInflate). Through
 * DecompressionStream Node inflated messaging.tlab's overview columns (12 MB) in 94-142 ms, its output handed
 * over in 16 KiB pieces through web streams; in one call, 29-33 ms. A browser has no such call.
 */
export type OneShotInflate = (compressed: Uint8Array, maxOutput: number, expectedSize: number | null) => Uint8Array | 'too-large';
let oneShot: OneShotInflate | null = null;

/** Registers the platform's one-shot inflate (null: none), used for entries inflated after the zip is read. */
export function useOneShotInflate(inflate: OneShotInflate | null): void {
  oneShot = inflate;
}

/**
 * An entry for an inflate worker: its compressed bytes in a buffer of their own (transferable), and the limits it
 * is inflated against there, exactly as it would be here (the worker runs UnzipCollector.inflateHeld).
 */
export interface PoolTask {
  readonly name: string;
  readonly compressed: Uint8Array;
  readonly declared: number | null;
  readonly limit: number;
  readonly basis: string;
  readonly limits: NonNullable<CollectorOptions['limits']>;
}
/** An inflate worker's answer: the entry's bytes, the typed error that stopped them, or null: not inflated there (do it here). */
export type PoolAnswer = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: BundleError } | null;
/**
 * Other threads that inflate entries while this one decodes and summarises: the browser's DecompressionStream runs
 * on the thread that calls it, and in Chromium's worker inflating sched's overview columns of messaging.tlab took
 * ~185 ms of the loader's ~620 ms, after the smaller tables' ~275 ms that could have run beside it.
 */
export interface InflatePool {
  /** `take()` withdraws the task if no worker has started it (true: its answer is null, inflate it here). */
  inflate(task: PoolTask, signal?: AbortSignal): { readonly answer: Promise<PoolAnswer>; take(): boolean };
}
let pool: InflatePool | null = null;
/** Compressed entries smaller than this are inflated where they are read: the trip costs more than it saves. */
const POOL_MIN_BYTES = 64 << 10;

/** Registers inflate workers (null: none): entries held for the native inflate go to them as soon as they are complete. */
export function useInflatePool(p: InflatePool | null): void {
  pool = p;
}

function jsInflateAsked(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.TLAB_JS_INFLATE === '1';
}

/**
 * The platform's own inflate (zlib in Node, the browser's in a page or worker): DecompressionStream('deflate-raw'),
 * in Node >= 18 and every current browser (with a registered one-shot inflate first where there is one), several
 * times faster than fflate's JavaScript inflate. Absent, or turned off with TLAB_JS_INFLATE=1 (Node) to compare, entries are inflated by
 * fflate as they stream by.
 */
export function nativeInflateAvailable(): boolean {
  // The one-shot inflate takes only entries of a believable declared size: the stream reads the others.
  return !jsInflateAsked() && typeof DecompressionStream !== 'undefined';
}

/** Which inflate reads entries now, for benches and reports. */
export function inflateBackend(): 'one-shot' | 'decompression-stream' | 'fflate' {
  if (!nativeInflateAvailable()) return 'fflate';
  return oneShot ? 'one-shot' : 'decompression-stream';
}

/** What the sink needs of a decoder: the compressed bytes so far (for the ratio check), a way to stop it. */
interface Decoder {
  compressedBytes: number;
  allowance: number;
  terminate(): void;
}

export interface CollectorOptions {
  /** Called once per entry, when its header has been read (and again for a deferred entry once the manifest is known). */
  readonly plan: (name: string) => EntryPlan;
  /** Called when a kept entry is complete; may throw a BundleErrorException to stop the read. */
  readonly onEntry?: (name: string, bytes: Uint8Array) => void;
  readonly limits?: { readonly zipEntries: number; readonly maxRatio: number; readonly ratioCheckAfterBytes: number };
  /** Drops entries still queued for the inflate pool when the read is cancelled. */
  readonly signal?: AbortSignal;
}

/**
 * Deflate (zip method 8) as fflate decoder: inflates in small slices and stops when told to, or passes the
 * compressed bytes through untouched (an entry held until the manifest says how large it may be), or drops them.
 */
class SlicedInflate {
  static readonly compression = 8;
  ondata: (err: Error | null, data: Uint8Array, final: boolean) => void = () => {};
  compressedBytes = 0;
  /** Bytes the entry may still inflate to (its sink keeps this up to date); sets the slice size. */
  allowance = 0;
  private stopped = false;
  private readonly inflate: Inflate | null;

  constructor(readonly mode: 'inflate' | 'raw' | 'skip') {
    this.inflate = mode === 'inflate' ? new Inflate((data, final) => this.ondata(null, data, final)) : null;
  }

  push(data: Uint8Array, final: boolean): void {
    if (this.stopped || this.mode === 'skip') return;
    if (!this.inflate) return this.ondata(null, data, final);
    try {
      for (let off = 0, size = 0; off < data.byteLength || (off === 0 && final); off += size) {
        size = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.floor(this.allowance / BEST_RATIO)));
        const slice = data.subarray(off, off + size);
        this.compressedBytes += slice.byteLength;
        this.inflate.push(slice, final && off + size >= data.byteLength);
        if (this.stopped) return;
        if (data.byteLength === 0) break;
      }
    } catch (e) {
      this.stopped = true;
      this.ondata(e instanceof Error ? e : new Error(String(e)), new Uint8Array(0), final);
    }
  }

  terminate(): void {
    this.stopped = true;
  }
}

interface EntryState {
  readonly name: string;
  readonly declared: number | null;
  done: boolean;
  parts: Uint8Array[];
  /** Held compressed (or stored) until the manifest is known. */
  deferred: { compression: number } | null;
  /** Held compressed, to be inflated natively by inflatePending() against this plan. */
  later: Extract<EntryPlan, { action: 'keep' }> | null;
  /** Held compressed for the caller (held()), with this zip method and plan. */
  held: { compression: number; plan: Extract<EntryPlan, { action: 'hold' }> } | null;
}

/**
 * Feeds chunks to fflate's streaming unzip and keeps the entries `plan` selects, each inflated against the limit
 * the plan gives before its first byte is inflated; everything else is skipped without being inflated. It also
 * keeps the tail of the stream, because only the end-of-central-directory record proves a zip was not cut short.
 */
export class UnzipCollector {
  private readonly unzip = new Unzip();
  private readonly entries = new Map<string, EntryState>();
  private readonly complete = new Map<string, Uint8Array>();
  private readonly declared = new Map<string, number>();
  readonly names: string[] = [];
  private tail: Uint8Array = new Uint8Array(0);
  private failure: BundleErrorException | null = null;
  private nextMode: SlicedInflate['mode'] = 'skip';
  private lastDecoder: SlicedInflate | null = null;
  private readonly limits: NonNullable<CollectorOptions['limits']>;
  bytesRead = 0;

  constructor(private readonly options: CollectorOptions) {
    this.limits = options.limits ?? BUNDLE_LIMITS;
    const collector = this;
    this.unzip.register(
      class extends SlicedInflate {
        constructor() {
          super(collector.nextMode);
          collector.lastDecoder = this;
        }
      },
    );
    this.unzip.onfile = (file: UnzipFile) => this.onFile(file);
  }

  private fail(error: BundleError): void {
    this.failure ??= new BundleErrorException(error);
  }

  private onFile(file: UnzipFile): void {
    if (this.failure) return;
    if (this.names.length >= this.limits.zipEntries) {
      this.fail({ kind: 'too-many-entries', count: this.names.length + 1, limit: this.limits.zipEntries });
      return;
    }
    this.names.push(file.name);
    const declared = typeof file.originalSize === 'number' && file.originalSize >= 0 ? file.originalSize : null;
    if (declared !== null && !this.declared.has(file.name)) this.declared.set(file.name, declared);
    // A second entry of the same name is never read: the first one is the one the manifest was checked against.
    const plan: EntryPlan = this.entries.has(file.name) ? { action: 'skip' } : this.options.plan(file.name);
    if (plan.action === 'skip') {
      // Started with a decoder that drops everything, so fflate does not hold the compressed bytes either.
      file.ondata = () => {};
      this.start(file, 'skip');
      return;
    }
    const state: EntryState = { name: file.name, declared, done: false, parts: [], deferred: null, later: null, held: null };
    this.entries.set(file.name, state);
    if (plan.action === 'defer' || plan.action === 'hold') {
      if (plan.action === 'defer') {
        state.deferred = { compression: file.compression };
        this.waiting.push(state);
      } else {
        state.held = { compression: file.compression, plan };
        this.heldStates.push(state);
      }
      file.ondata = (err, chunk, final) => {
        if (err) return this.fail({ kind: 'zip-corrupt', entry: file.name, detail: err.message });
        state.parts.push(chunk);
        if (final) state.done = true;
      };
      this.start(file, 'raw');
      return;
    }
    if (plan.later && file.compression === 8 && nativeInflateAvailable()) {
      this.holdForLater(file, state, plan);
      return;
    }
    // While start() runs, the decoder it makes is the last one constructed; afterwards it is looked up.
    file.ondata = this.sink(state, plan, () => (this.decoders.has(file) ? this.decoders.get(file)! : this.lastDecoder));
    this.start(file, 'inflate');
    const decoder = this.decoders.get(file);
    if (decoder) decoder.allowance = Math.min(plan.limit, this.limits.ratioCheckAfterBytes);
  }

  /** Collects an entry's compressed bytes (bounded by the file's size) for inflatePending() to inflate. */
  private holdForLater(file: UnzipFile, state: EntryState, plan: Extract<EntryPlan, { action: 'keep' }>): void {
    state.later = plan;
    this.later.push(state);
    file.ondata = (err, chunk, final) => {
      if (err) return this.fail({ kind: 'zip-corrupt', entry: file.name, detail: err.message });
      state.parts.push(chunk);
      if (!final) return;
      state.done = true;
      this.toPool(state);
    };
    this.start(file, 'raw');
  }

  /**
   * A complete entry held for later goes to the inflate pool, if there is one and it is large enough, at once: in
   * zip order, which is the writer's table order, smallest tables first, so what the reader needs next is queued
   * first. Its parts stay until the answer comes (a null answer means: inflate it here).
   */
  private toPool(state: EntryState): void {
    if (!pool || this.pooled.has(state) || !state.later) return;
    let size = 0;
    for (const p of state.parts) size += p.byteLength;
    if (size < POOL_MIN_BYTES) return;
    // A copy: the parts are views of the stream's chunks, which must not be detached by the transfer.
    const compressed = state.parts.length === 1 ? state.parts[0]!.slice() : concatBytes(state.parts);
    const task: PoolTask = { name: state.name, compressed, declared: state.declared, limit: state.later.limit, basis: state.later.basis, limits: this.limits };
    this.pooled.set(state, pool.inflate(task, this.options.signal));
  }

  private readonly pooled = new Map<EntryState, ReturnType<InflatePool['inflate']>>();
  private readonly later: EntryState[] = [];
  private readonly heldStates: EntryState[] = [];
  private readonly decoders = new WeakMap<UnzipFile, SlicedInflate | null>();
  private readonly waiting: EntryState[] = [];

  private start(file: UnzipFile, mode: SlicedInflate['mode']): void {
    this.nextMode = mode;
    this.lastDecoder = null;
    try {
      file.start();
      // Method 0 (stored) uses fflate's pass-through: no decoder of ours, nothing to slice.
      this.decoders.set(file, this.lastDecoder);
    } catch (e) {
      if (mode !== 'skip') this.fail({ kind: 'zip-corrupt', entry: file.name, detail: (e as Error).message });
    }
  }

  /** Receives an entry's inflated bytes, checking the running size against the plan's limit and the compression ratio. */
  private sink(state: EntryState, plan: Extract<EntryPlan, { action: 'keep' }>, decoder: () => Decoder | null) {
    let bytes = 0;
    // The entry goes straight into one buffer of the size the zip declares (when that is within the limit), not
    // into parts copied together at the end; past the declared size (a zip that lies) it falls back to parts.
    let whole: Uint8Array | null = null;
    return (err: Error | null, chunk: Uint8Array, final: boolean) => {
      if (this.failure || state.done) return;
      if (err) return this.fail({ kind: 'zip-corrupt', entry: state.name, detail: err.message });
      bytes += chunk.byteLength;
      const d = decoder();
      const tooLarge = (limit: number, basis: string) => {
        d?.terminate();
        state.parts = [];
        whole = null;
        this.fail({ kind: 'entry-too-large', entry: state.name, inflatedBytes: bytes, declaredBytes: state.declared, limit, basis });
      };
      if (bytes > plan.limit) return tooLarge(plan.limit, plan.basis);
      if (d && bytes > this.limits.ratioCheckAfterBytes && bytes > this.limits.maxRatio * d.compressedBytes) {
        return tooLarge(
          Math.floor(this.limits.maxRatio * d.compressedBytes),
          `it inflates more than ${this.limits.maxRatio} times its compressed size, which no real bundle entry does`,
        );
      }
      // The next slice may yield no more than the limit, nor more than the ratio check allows, at the best ratio.
      if (d) d.allowance = Math.min(plan.limit, Math.max(this.limits.ratioCheckAfterBytes, this.limits.maxRatio * d.compressedBytes)) - bytes;
      if (bytes === chunk.byteLength && state.declared !== null && state.declared <= Math.min(plan.limit, PREALLOCATE_MAX)) {
        whole = new Uint8Array(state.declared);
      }
      if (whole && bytes <= whole.byteLength) {
        whole.set(chunk, bytes - chunk.byteLength);
      } else {
        if (whole) state.parts.push(whole.subarray(0, bytes - chunk.byteLength));
        whole = null;
        state.parts.push(chunk);
      }
      if (!final) return;
      const all = whole ? whole.subarray(0, bytes) : concatBytes(state.parts);
      whole = null;
      state.parts = [];
      this.completeEntry(state, all);
      if (!this.failure) this.resolveDeferred();
    };
  }

  /** An entry inflated whole: kept, and told to onEntry (which may stop the read with a BundleErrorException). */
  private completeEntry(state: EntryState, bytes: Uint8Array): void {
    state.done = true;
    this.complete.set(state.name, bytes);
    try {
      this.options.onEntry?.(state.name, bytes);
    } catch (e) {
      if (e instanceof BundleErrorException) this.failure ??= e;
      else throw e;
    }
  }

  /** Entries held compressed are planned again (the manifest may now be known) and inflated or dropped. */
  private resolveDeferred(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const state = this.waiting[i]!;
      if (this.failure) return;
      const plan = state.done ? this.options.plan(state.name) : ({ action: 'defer' } as const);
      if (plan.action === 'defer') {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      const parts = state.parts;
      const { compression } = state.deferred!;
      state.deferred = null;
      state.parts = [];
      if (plan.action === 'skip') continue;
      if (plan.action === 'hold') {
        state.parts = parts;
        state.held = { compression, plan };
        this.heldStates.push(state);
        continue;
      }
      state.done = false;
      if (compression === 0) {
        this.sink(state, plan, () => null)(null, concatBytes(parts), true);
      } else if (compression === 8 && plan.later && nativeInflateAvailable()) {
        state.parts = parts;
        state.done = true;
        state.later = plan;
        this.later.push(state);
        this.toPool(state);
      } else if (compression === 8) {
        const decoder = new SlicedInflate('inflate');
        decoder.allowance = Math.min(plan.limit, this.limits.ratioCheckAfterBytes);
        decoder.ondata = this.sink(state, plan, () => decoder);
        for (const p of parts) {
          decoder.push(p, false);
          if (this.failure) return;
        }
        decoder.push(new Uint8Array(0), true);
      } else {
        this.fail({ kind: 'zip-corrupt', entry: state.name, detail: `unknown compression type ${compression}` });
      }
    }
  }

  push(chunk: Uint8Array, final: boolean): void {
    this.bytesRead += chunk.byteLength;
    this.keepTail(chunk);
    for (let off = 0; off < chunk.byteLength || (off === 0 && final); off += UNZIP_SLICE) {
      const last = off + UNZIP_SLICE >= chunk.byteLength;
      try {
        this.unzip.push(chunk.subarray(off, off + UNZIP_SLICE), final && last);
      } catch (e) {
        const entry = this.names.at(-1) ?? '(zip structure)';
        // fflate fails on a final push that ends mid-entry; without an end record that is a cut-short file.
        this.failure ??=
          final && !this.hasEndRecord()
            ? new BundleErrorException({ kind: 'zip-truncated', bytesRead: this.bytesRead, lostEntries: this.unfinished(entry) })
            : new BundleErrorException({ kind: 'zip-corrupt', entry, detail: e instanceof RangeError ? 'the zip structure is too deep to read' : (e as Error).message });
      }
      if (this.failure) throw this.failure;
      if (chunk.byteLength === 0) break;
    }
  }

  /**
   * After the final push (and finish(), which says whether the zip was cut short): inflates the entries held for
   * the native inflate that `names` lists, in that order (all of them when omitted), each against its plan's limit
   * and the ratio check, as the streaming path does. Returns every complete entry so far. The reader inflates one
   * table's entries at a time, smallest table first, so small tables are drawn before a large one is inflated.
   */
  async inflatePending(signal?: AbortSignal, names?: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>> {
    await this.inflateLater(signal, names);
    return this.complete;
  }

  /** The entries held compressed (EntryPlan 'hold'), complete ones only; call after finish(). */
  held(): HeldEntry[] {
    return this.heldStates
      .filter((s) => s.done)
      .map((s) => ({ name: s.name, compression: s.held!.compression, parts: s.parts, declared: s.declared, limit: s.held!.plan.limit, basis: s.held!.plan.basis }));
  }

  /**
   * Inflates entries held by an earlier read, each against its limit and the ratio check as if it were read now
   * (by the platform's inflate where there is one). The held parts are not consumed: a failed or cancelled call
   * can be made again.
   */
  static async inflateHeld(held: readonly HeldEntry[], signal?: AbortSignal, limits?: CollectorOptions['limits']): Promise<Map<string, Uint8Array>> {
    const plans = new Map(held.map((h) => [h.name, { action: 'keep', limit: h.limit, basis: h.basis, later: true } as const]));
    const c = new UnzipCollector({ plan: (n) => plans.get(n) ?? { action: 'skip' }, ...(limits ? { limits } : {}), ...(signal ? { signal } : {}) });
    for (const h of held) {
      const state: EntryState = { name: h.name, declared: h.declared, done: true, parts: [...h.parts], deferred: { compression: h.compression }, later: null, held: null };
      c.entries.set(h.name, state);
      c.waiting.push(state);
    }
    c.resolveDeferred();
    await c.inflateLater(signal);
    if (c.failure) throw c.failure;
    return c.complete;
  }

  private async inflateLater(signal?: AbortSignal, names?: readonly string[]): Promise<void> {
    let take: EntryState[];
    if (names) {
      const byName = new Map(this.later.map((st) => [st.name, st]));
      take = names.flatMap((n) => byName.get(n) ?? []);
      const taken = new Set(take);
      for (let i = this.later.length - 1; i >= 0; i--) if (taken.has(this.later[i]!)) this.later.splice(i, 1);
    } else {
      take = this.later.splice(0);
    }
    // Entries a worker has not started are taken back and inflated here first, then those it is inflating are
    // waited for: this thread is not idle while there is work it could do.
    const running = new Map<EntryState, Promise<PoolAnswer>>();
    for (const state of take) {
      const pooled = this.pooled.get(state);
      this.pooled.delete(state);
      if (pooled && !pooled.take()) running.set(state, pooled.answer.catch((): PoolAnswer => null));
    }
    for (const state of [...take.filter((s) => !running.has(s)), ...running.keys()]) {
      if (this.failure) break;
      if (signal?.aborted) throw new BundleErrorException({ kind: 'cancelled' });
      // An entry cut short is reported by finish() as lost, not inflated.
      if (!state.done) continue;
      const answer = running.has(state) ? await running.get(state)! : null;
      if (signal?.aborted) throw new BundleErrorException({ kind: 'cancelled' });
      if (answer) {
        state.parts = [];
        state.done = false;
        if (answer.ok) this.completeEntry(state, answer.bytes);
        else this.fail(answer.error);
        continue;
      }
      const parts = state.parts;
      state.parts = [];
      state.done = false;
      if (oneShot && this.inflateAtOnce(oneShot, state, state.later!, parts)) continue;
      await this.inflateNatively(state, state.later!, parts);
    }
    if (this.failure) throw this.failure;
  }

  /**
   * The whole entry in one call, when the zip declares its size within the entry's limit, the ratio check and
   * PREALLOCATE_MAX: zlib stops at the declared size, so nothing past what the streaming paths would allow is
   * inflated. False when it cannot be done so (no believable size, or the entry holds more than it declares):
   * the streaming inflate then reads it, checking as it goes.
   */
  private inflateAtOnce(inflate: OneShotInflate, state: EntryState, plan: Extract<EntryPlan, { action: 'keep' }>, parts: readonly Uint8Array[]): boolean {
    const declared = state.declared;
    if (declared === null) return false;
    const compressed = parts.length === 1 ? parts[0]! : concatBytes(parts);
    const byRatio = Math.max(this.limits.ratioCheckAfterBytes, this.limits.maxRatio * compressed.byteLength);
    if (declared > Math.min(plan.limit, byRatio, PREALLOCATE_MAX)) return false;
    let out: Uint8Array | 'too-large';
    try {
      out = inflate(compressed, declared, declared);
    } catch (e) {
      this.fail({ kind: 'zip-corrupt', entry: state.name, detail: e instanceof Error ? e.message : String(e) });
      return true;
    }
    if (out === 'too-large') return false;
    this.completeEntry(state, out);
    return true;
  }

  private async inflateNatively(state: EntryState, plan: Extract<EntryPlan, { action: 'keep' }>, parts: readonly Uint8Array[]): Promise<void> {
    let stopped = false;
    // The ratio check weighs the output against the compressed bytes handed over so far, as the streaming path
    // does: they go in slices, one at a time, each accepted only as the output is read (backpressure), so a
    // bomb is refused after a few MiB of output, not after the ratio times the whole entry.
    const decoder: Decoder = { compressedBytes: 0, allowance: 0, terminate: () => (stopped = true) };
    const sink = this.sink(state, plan, () => decoder);
    const stream = new DecompressionStream('deflate-raw');
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    const writing = (async () => {
      for (const p of parts) {
        for (let off = 0; off < p.byteLength && !stopped; ) {
          const size = Math.min(MAX_NATIVE_SLICE, Math.max(NATIVE_SLICE, Math.floor(decoder.allowance / BEST_RATIO)));
          const slice = p.subarray(off, off + size);
          off += slice.byteLength;
          decoder.compressedBytes += slice.byteLength;
          await writer.write(slice as Uint8Array<ArrayBuffer>);
        }
      }
      await writer.close();
    })();
    writing.catch(() => {});
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        sink(null, value, false);
        if (stopped || this.failure) {
          await reader.cancel().catch(() => {});
          return;
        }
      }
      await writing;
    } catch (e) {
      this.fail({ kind: 'zip-corrupt', entry: state.name, detail: e instanceof Error ? e.message : String(e) });
      return;
    }
    sink(null, new Uint8Array(0), true);
  }

  /** After the final push: the complete entries that were kept, or an error saying what was lost (entries held for later are complete, not yet inflated). */
  finish(): Map<string, Uint8Array> {
    const lost = this.unfinished();
    if (!this.hasEndRecord() || lost.length > 0) {
      throw new BundleErrorException({ kind: 'zip-truncated', bytesRead: this.bytesRead, lostEntries: lost });
    }
    return this.complete;
  }

  /** The uncompressed size an entry's local header claims, if it gives one. */
  declaredSize(name: string): number | null {
    return this.declared.get(name) ?? null;
  }

  private unfinished(current?: string): string[] {
    const lost = [...this.entries.values()].filter((s) => !s.done && !s.deferred).map((s) => s.name);
    for (const s of this.entries.values()) if (s.deferred && !s.done) lost.push(s.name);
    if (current && !lost.includes(current) && !this.complete.has(current) && !this.entries.get(current)?.done) lost.push(current);
    return lost;
  }

  private keepTail(chunk: Uint8Array): void {
    if (chunk.byteLength >= EOCD_WINDOW) {
      this.tail = chunk.slice(chunk.byteLength - EOCD_WINDOW);
      return;
    }
    const merged = concatBytes([this.tail, chunk]);
    this.tail = merged.subarray(Math.max(0, merged.byteLength - EOCD_WINDOW));
  }

  private hasEndRecord(): boolean {
    const t = this.tail;
    for (let i = t.byteLength - 22; i >= 0; i--) {
      if (t[i] === EOCD_SIGNATURE[0] && t[i + 1] === EOCD_SIGNATURE[1] && t[i + 2] === EOCD_SIGNATURE[2] && t[i + 3] === EOCD_SIGNATURE[3]) {
        const commentLength = t[i + 20]! | (t[i + 21]! << 8);
        if (i + 22 + commentLength === t.byteLength) return true;
      }
    }
    return false;
  }
}

