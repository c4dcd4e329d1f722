const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * What recording cost, for manifest.overhead. The trace_pipe reading runs inside this process, so it is
 * part of collectorCpuSeconds and reported separately only for information; strace and perf are separate
 * processes whose time is added to the share.
 */
export function overheadFigures(p: {
  cpuAtStart: NodeJS.CpuUsage;
  /** This process's CPU from the sources' start (ts 0) until the workload ended: not the setup before, nor the
   * finishing after (decoding trace_pipe_raw pages, writing the bundle). */
  cpuWhileRecording?: NodeJS.CpuUsage;
  wallNs: number;
  straceCpuSeconds: number | undefined;
  perfCpuSeconds: number | undefined;
  tracePipeReaderCpuSeconds: number | undefined;
  /** With --baseline: the command's wall time recorded and unrecorded. */
  workload?: { recordedWallSeconds: number; baselineWallSeconds: number };
}): Record<string, number> {
  const cpu = process.cpuUsage(p.cpuAtStart);
  const own = (cpu.user + cpu.system) / 1e6;
  const wallS = Math.max(1e-9, p.wallNs / 1e9);
  const out: Record<string, number> = { collectorCpuSeconds: round(own) };
  if (p.straceCpuSeconds !== undefined) out.straceCpuSeconds = round(p.straceCpuSeconds);
  if (p.perfCpuSeconds !== undefined) out.perfCpuSeconds = round(p.perfCpuSeconds);
  if (p.tracePipeReaderCpuSeconds !== undefined) out.tracePipeReaderCpuSeconds = round(p.tracePipeReaderCpuSeconds);
  out.wallSeconds = round(wallS);
  // Share of one CPU taken by recording: this process plus strace and perf.
  out.collectorCpuShareOfOneCpu = round((own + (p.straceCpuSeconds ?? 0) + (p.perfCpuSeconds ?? 0)) / wallS);
  if (p.cpuWhileRecording) {
    // What the collector took from the workload while it ran; the rest (decoding pages, writing the bundle) came after.
    const during = (p.cpuWhileRecording.user + p.cpuWhileRecording.system) / 1e6;
    out.collectorCpuSecondsWhileRecording = round(during);
    out.collectorCpuShareWhileRecording = round((during + (p.straceCpuSeconds ?? 0) + (p.perfCpuSeconds ?? 0)) / wallS);
  }
  if (p.workload) {
    out.workloadWallSeconds = round(p.workload.recordedWallSeconds);
    out.baselineWallSeconds = round(p.workload.baselineWallSeconds);
    out.workloadSlowdown = round(p.workload.recordedWallSeconds / Math.max(1e-9, p.workload.baselineWallSeconds));
  }
  return out;
}
