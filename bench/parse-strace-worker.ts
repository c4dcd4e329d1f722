import { parentPort } from 'node:worker_threads';
import { straceInput, timeOpenSource, timeParser } from './parse-strace-runs.ts';

// The same measurements as on the main thread, inside a worker_threads worker (the loader worker's situation:
// its own isolate and heap). The input is built here, so no transfer is timed.
const big = straceInput();
const parser = await timeParser(big);
const open = await timeOpenSource(big);
parentPort!.postMessage({ parser, open });
