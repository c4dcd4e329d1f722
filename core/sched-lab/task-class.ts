/**
 * Task classes: command names with the parts that name one thread, CPU or pool member removed, so that a class
 * means the same thing in every trace (PIDs and per-CPU kernel threads differ between machines and runs).
 */

export const IDLE_NAME = '<idle>';
/** A switch row whose command name was not recorded (null); kept apart from every real name. */
export const NO_COMM_NAME = '<no-comm>';

// A trailing "-12", "_3", ":7", ".0" or "#2" numbers a member of a pool of identical threads.
const MEMBER_SUFFIX = /[-_:.#]\d+$/;

export function normaliseComm(comm: string | null, pid: number): string {
  // Every CPU's idle task is pid 0, named swapper/N; they are one class whatever the CPU.
  if (pid === 0 || (comm !== null && comm.startsWith('swapper'))) return IDLE_NAME;
  if (comm === null || comm === '') return NO_COMM_NAME;
  let name = comm;
  // Kernel threads put their CPU, pool and work item after a slash (kworker/1:2H-events_highpri, irq/24-nvme0q1).
  const slash = name.indexOf('/');
  if (slash > 0) name = name.slice(0, slash);
  for (let next = name.replace(MEMBER_SUFFIX, ''); next !== name && next !== ''; next = name.replace(MEMBER_SUFFIX, '')) {
    name = next;
  }
  return name;
}
