// npm run bench [-- --json] [--only parse|read|load|worker|record|sched|skipgram|models|verify|fingerprint|trace-dat] [--load FILE.tlab ...]: prints measured figures; it asserts nothing.
import { readdirSync } from 'node:fs';
import { enableRelaxedSimd } from '../collector-cli/src/relaxed-simd.ts';
import { useZlibInflate } from '../collector-cli/src/zlib-inflate.ts';
import { benchBrowserLoad } from './browser-load.ts';
import { benchReadInNode } from './node-read.ts';
import { benchWorkerRequests } from './worker-requests.ts';
import { benchParseStrace } from './parse-strace.ts';
import { benchRecordOverhead } from './record-overhead.ts';
import { benchSchedInference } from './sched-inference.ts';
import { benchSkipGram } from './skipgram.ts';
import { benchModels } from './models.ts';
import { benchVerify } from './verify.ts';
import { benchFingerprint } from './fingerprint.ts';
import { benchTraceDat } from './trace-dat.ts';
import { printRows, type BenchRow } from './report.ts';

const args = process.argv.slice(2);
// Before any WebAssembly compiles: the engine's fused multiply-add kernels, as in the CLI and Chromium.
enableRelaxedSimd();
useZlibInflate();
const json = args.includes('--json');
const extra = args.flatMap((a, i) => (args[i - 1] === '--load' ? [a] : []));
const datasets = new URL('../public/datasets/', import.meta.url).pathname;
const files = [...readdirSync(datasets).filter((f) => f.endsWith('.tlab')).map((f) => datasets + f), ...extra];

const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));
const want = (suite: string) => only.length === 0 || only.includes(suite);

const rows: BenchRow[] = [];
if (want('parse')) rows.push(...(await benchParseStrace()));
if (want('read')) rows.push(...(await benchReadInNode(files)));
if (want('load')) rows.push(...(await benchBrowserLoad(files)));
if (want('worker')) rows.push(...(await benchWorkerRequests(`${datasets}messaging.tlab`)));
if (want('record')) rows.push(...(await benchRecordOverhead()));
if (want('sched')) rows.push(...(await benchSchedInference(`${datasets}messaging.tlab`)));
if (want('skipgram')) rows.push(...(await benchSkipGram()));
if (want('models')) rows.push(...(await benchModels()));
if (want('verify')) rows.push(...(await benchVerify()));
if (want('fingerprint')) rows.push(...(await benchFingerprint()));
if (want('trace-dat')) rows.push(...(await benchTraceDat()));
printRows(rows, json);
