/** The probe's timed step, the same on the engine and every tfjs backend. */
export const BENCHMARK_WHAT = 'Adam step, dense MLP 32→64→1 (ReLU), batch 256, loss read back each step; median step time';
