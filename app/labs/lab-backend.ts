import type { ComputeBackend } from '../compute/useComputeBackend.ts';
import type { BackendName } from '../../workers/compute/types.ts';

/** The backend a lab trains on: the app's choice; the engine (always there) when the probe failed, said on the page. */
export function backendFor(compute: ComputeBackend): BackendName | null {
  if (compute.active) return compute.active;
  return compute.status === 'error' ? 'engine' : null;
}
