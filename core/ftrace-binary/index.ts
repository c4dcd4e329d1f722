/**
 * Binary ftrace: the kernel's ring-buffer pages (per_cpu/cpuN/trace_pipe_raw, and the CPU data of trace-cmd's
 * trace.dat) decoded with tracefs' own format files. Pure TypeScript (DataView/Uint8Array), for Node and the
 * browser alike.
 *
 * Stable API (the live recorder in collector-cli builds on it):
 *
 *   decodeRawCapture({
 *     headerPage: string,            // text of events/header_page (gives the page layout: 8-byte commit on 64-bit kernels)
 *     formats: (string | { system, text })[], // texts of events/<sys>/<name>/format for every enabled event
 *     cpus: { cpu: number; pages: Uint8Array }[], // per CPU, whole pages as read from trace_pipe_raw, concatenated
 *     pageSize: number,              // ring-buffer page size (4096 here; buffer_subbuf_size_kb * 1024 where set)
 *     littleEndian: boolean,
 *     longSize: 4 | 8,
 *     origin?: bigint | 'first-sched-row', // trace-clock ns that becomes ts_ns 0 (default: the earliest record)
 *     onEvent?: (e) => void,         // every record with its decoded fields, sched or not
 *   }) → {
 *     table,                         // the bundle's sched table (same columns and meanings as the ftrace text importer)
 *     eventsByName,                  // records per event name, all of them ("#<id>" for ids without a format)
 *     lostByCpu, lostUncountedByCpu, // lost events per CPU from the page headers: stored counts, and pages flagged
 *                                    // without one (the kernel had no 8 bytes left; only per_cpu/cpuN/stats overrun knows then)
 *     recordsByCpu, pagesByCpu,
 *     origin, firstTs, lastTs,       // trace-clock ns (bigint) or null when there were no records
 *     problems,                      // damage and doubts in words, each saying where; [] when clean
 *   }
 *
 * Throws RawCaptureError (or FormatParseError) when the inputs cannot describe a capture at all (no usable
 * header_page, a page size smaller than the page header, records without any format); damage inside pages is
 * a problem, not an exception.
 *
 * Events other than the sched table's are counted (eventsByName) and handed to onEvent, not stored: the bundle
 * has no generic events table yet (adding one means a new format version and its migration).
 */
export { decodeRawCapture, RawCaptureError, type RawCaptureInput, type RawCaptureResult } from './raw-capture.ts';
export { parseEventFormat, parseHeaderPage, FormatParseError, type EventFormat, type FormatField, type HeaderPage } from './format-file.ts';
export { decodePages, type PageLayout, type PagesReport } from './ring-page.ts';
export type { FieldValue } from './decode-events.ts';
