/**
 * What KernelOracle2 reported, beside what this lab measures, with the ways the two metrics differ spelt out:
 * a number is only comparable when its definition is.
 */
export const KERNELORACLE2_REPORTED = {
  tcnTop1Seen: 0.917,
  tcnTop1Unseen: 0.985,
  /** Batch of 128 on one CPU thread, divided by 128: an amortised figure, not a per-event latency. */
  msPerSampleAmortised: 1.39,
  samplesPerSecond: 720,
} as const;

export const METRIC_DIFFERENCES: readonly { readonly aspect: string; readonly theirs: string; readonly ours: string }[] = [
  {
    aspect: 'target',
    theirs: 'next PID as a class index; every PID not seen in training maps to the idle task\'s class (PID 0)',
    ours: 'next task class (normalised comm), PID-independent; idle, unknown and rare are three separate classes',
  },
  {
    aspect: 'unseen workloads',
    theirs: 'predicting "idle/unknown" scores whenever an unseen PID runs next, which inflates unseen accuracy',
    ours: 'an unknown task counts as its own class and the share of such positions is shown; accuracies are also given excluding idle',
  },
  {
    aspect: 'model selection',
    theirs: 'best checkpoint picked on the test set',
    ours: 'early stopping on a chronological validation tail of the training traces; test traces are never looked at',
  },
  {
    aspect: 'windows',
    theirs: 'windows cross trace boundaries; inputs not normalised',
    ours: 'windows stay inside one CPU of one trace; times log-scaled and normalised on training data only',
  },
  {
    aspect: 'baselines',
    theirs: 'none',
    ours: 'most frequent, repeat-last, ping-pong and n-gram (order 1–3) scored on exactly the same positions',
  },
  {
    aspect: 'latency',
    theirs: 'batch time ÷ 128 (amortised)',
    ours: 'per-event streaming latency with state carried forward (p50/p99), and batched throughput separately',
  },
];
