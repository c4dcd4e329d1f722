import { z } from 'zod';
import type { WeightData } from '../ml/weights.ts';
import { parseSpec } from '../specs/parse.ts';
import { reluNetFromWeights } from '../verify/relu-net.ts';
import type { Direction, MonotoneSpec } from '../verify/spec.ts';
import { verifyMonotone, type VerifyMode, type VerifyResult } from '../verify/verify.ts';
import type { MinMax, TargetScaling } from './scaling.ts';

/**
 * A verified model travels with its certificate: what was proven (the spec and the box, in the inputs' units and
 * as the network sees them), how, with what result, and a fingerprint of the exact weights it was proven for. A
 * loaded model is re-checked by hashing its weights and running the verifier again on the certificate's box.
 */
export const CERTIFICATE_FORMAT = 'telemetry-lab-monotonicity-certificate/1';

export interface Certificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly inputs: readonly { readonly id: string; readonly direction: Direction; readonly lo: number; readonly hi: number }[];
  /** The box and directions as the network sees them (after MinMax scaling). */
  readonly spec: MonotoneSpec;
  readonly method: VerifyMode;
  readonly result: VerifyResult['status'];
  readonly verifiedVolume: number;
  readonly seconds: number;
  readonly boxes: number;
  /** Fingerprint (hashWeights, 16 hex digits) of the weights' names, shapes and float32 bits. */
  readonly weightsHash: string;
  /** Engine and verifier that produced it, e.g. "engine · wasm-relaxed-simd". */
  readonly engine: string;
  readonly createdAt: string;
}

/** A model as the lab exports it: weights, the scaling its inputs and output need, and its certificate. */
export interface VerifiedModelFile {
  readonly format: 'telemetry-lab-verified-model/1';
  readonly service: string;
  readonly target: string;
  readonly inputs: readonly string[];
  readonly inputScaling: MinMax;
  readonly targetScaling: TargetScaling;
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly data: readonly number[] }[];
  readonly certificate: Certificate;
}

export function hashWeights(weights: readonly WeightData[]): string {
  // A fingerprint against loading the wrong weights, not a defence against forgery: two 32-bit FNV-1a streams
  // with different offsets and primes, concatenated.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const byte = (b: number) => {
    h1 = Math.imul(h1 ^ b, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ b, 0x01000193 + 0x1000) >>> 0;
  };
  const text = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      byte(c & 0xff);
      byte(c >>> 8);
    }
  };
  for (const w of [...weights].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    text(w.name);
    text(w.shape.join('x'));
    const bits = new Uint8Array(Float32Array.from(w.data).buffer);
    for (let i = 0; i < bits.length; i++) byte(bits[i]!);
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export interface RecheckResult {
  readonly ok: boolean;
  /** What was checked and what was found, in words. */
  readonly message: string;
  readonly result?: VerifyResult;
}

/**
 * Re-checks a certificate against the weights it came with: the hash must match, and the verifier, run again on
 * the certificate's box with the certificate's method, must reach the same verdict.
 */
export function recheckCertificate(weights: readonly WeightData[], cert: Certificate, maxSeconds = 60): RecheckResult {
  if (cert.format !== CERTIFICATE_FORMAT) return { ok: false, message: `unknown certificate format "${String(cert.format)}" (this version reads ${CERTIFICATE_FORMAT})` };
  const hash = hashWeights(weights);
  if (hash !== cert.weightsHash) return { ok: false, message: `the weights are not the ones certified (hash ${hash}, certificate ${cert.weightsHash})` };
  const result = verifyMonotone(reluNetFromWeights(weights), cert.spec, { mode: cert.method, maxSeconds });
  if (result.status !== cert.result) {
    return { ok: false, result, message: `re-verification says ${result.status} (${(result.verifiedVolume * 100).toFixed(1)}% of the box proven in ${result.seconds.toFixed(1)} s); the certificate says ${cert.result}` };
  }
  return { ok: true, result, message: `re-verified: ${result.status} in ${result.seconds.toFixed(1)} s (${result.boxes} boxes), weights hash ${hash}` };
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const CertificateSchema = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  inputs: z.array(z.object({ id: z.string(), direction: z.enum(['increasing', 'decreasing', 'free']), lo: finite, hi: finite })),
  spec: z.object({ directions: z.array(z.enum(['increasing', 'decreasing', 'free'])), lo: z.array(finite), hi: z.array(finite) }),
  method: z.enum(['complete', 'ouroboros']),
  result: z.enum(['verified', 'falsified', 'unknown', 'not-proven']),
  verifiedVolume: z.number().min(0).max(1),
  seconds: z.number().min(0),
  boxes: z.number().int().min(0),
  weightsHash: z.string().regex(/^[0-9a-f]{16}$/),
  engine: z.string(),
  createdAt: z.string(),
});

const ModelFileSchema = z.object({
  format: z.literal('telemetry-lab-verified-model/1'),
  service: z.string(),
  target: z.string(),
  inputs: z.array(z.string()).min(1),
  inputScaling: z.object({ min: z.array(finite), max: z.array(finite) }),
  targetScaling: z.object({ transform: z.enum(['none', 'log']), min: finite, max: finite }),
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().positive()), data: z.array(finite) })).min(2),
  certificate: CertificateSchema,
});

/** Validates an exported model (JSON as parsed), with an error naming the first bad field. */
export function parseVerifiedModelFile(json: unknown): VerifiedModelFile {
  const file = parseSpec(ModelFileSchema, json, 'verified model');
  for (const w of file.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (n !== w.data.length) throw new Error(`invalid verified model: weight "${w.name}" has shape ${w.shape.join('×')} (${n} values) but ${w.data.length} values`);
  }
  return file;
}

/** The exported form of a trained, certified model. */
export function verifiedModelFile(o: { service: string; target: string; inputs: readonly string[]; inputScaling: MinMax; targetScaling: TargetScaling; weights: readonly WeightData[]; certificate: Certificate }): VerifiedModelFile {
  return {
    format: 'telemetry-lab-verified-model/1',
    service: o.service,
    target: o.target,
    inputs: [...o.inputs],
    inputScaling: o.inputScaling,
    targetScaling: o.targetScaling,
    weights: o.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: Array.from(w.data) })),
    certificate: o.certificate,
  };
}
