import type { ComputeBackend } from '../compute/useComputeBackend.ts';
import type { BackendName } from '../../workers/compute/types.ts';

/** The backend a lab trains on: the app's choice; plain CPU only when the probe failed, said on the page. */
export function backendFor(compute: ComputeBackend): BackendName | null {
  if (compute.active) return compute.active;
  return compute.status === 'error' ? 'cpu' : null;
}
