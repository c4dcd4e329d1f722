// Syscall embeddings for the Forecast lab. The TensorFlow.js trainer is not re-exported: import
// './skipgram-tfjs.ts' directly where tfjs is wanted, so the typed-array path does not pull tfjs in.
export * from './syscall-corpus.ts';
export * from './syscall-kinds.ts';
export * from './skipgram-settings.ts';
export * from './skipgram-pairs.ts';
export * from './skipgram-typed.ts';
export * from './projection.ts';
export * from './projector-export.ts';
export * from './interval-vectors.ts';
export * from './synthetic-corpus.ts';
