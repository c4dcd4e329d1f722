import type { SchedTimeline } from './sched-slices.ts';
import type { SyscallTracks } from './syscall-tracks.ts';
import type { DetailTrack, TimelineInfo } from './view.ts';

export * from './lod.ts';
export * from './sched-slices.ts';
export * from './syscall-latency.ts';
export * from './syscall-tracks.ts';
export * from './view.ts';

/** A CPU's runs as view tracks: the tooltip's number is the wake-up latency, its label the end state. */
export function schedDetailTracks(tl: SchedTimeline): DetailTrack[] {
  return tl.tracks.map((t) => ({ start: t.start, end: t.end, key: t.key, value: t.wakeLatency, code: t.endState }));
}

export function schedInfo(tl: SchedTimeline): TimelineInfo {
  return {
    kind: 'sched',
    trackLabels: tl.tracks.map((t) => `CPU ${t.cpu}`),
    keyLabels: tl.tasks.map((k) => `${k.comm} ${k.pid}`),
    keyPids: tl.tasks.map((k) => k.pid),
    codeLabels: tl.states,
    minS: tl.minS,
    maxS: tl.maxS,
    slices: tl.tracks.reduce((n, t) => n + t.start.length, 0),
    hasWakeups: tl.hasWakeups,
  };
}

export function syscallInfo(st: SyscallTracks): TimelineInfo {
  return {
    kind: 'syscalls',
    trackLabels: st.tids.map((t) => (t.tid === t.pid ? `pid ${t.pid}` : `tid ${t.tid} (pid ${t.pid})`)),
    keyLabels: st.names,
    keyPids: st.names.map(() => -1),
    codeLabels: st.errnos,
    minS: st.minS,
    maxS: st.maxS,
    slices: st.calls,
    hasWakeups: false,
  };
}
