import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictColumn, FORMAT_VERSION, numberColumn, type Bundle } from '../../core/bundle/index.ts';
import { cgroup2Mount, isRoot, pathWithout, readBack, runTlab, tempDir, TLAB } from './helpers.ts';

// tlab bench against the real services from Debian (redis-server, nginx) and stress-ng, started by the test:
// the labels are checked against the client's own counts and the services' own counters, and nothing it started
// may be left running. CI installs the packages (scripts/test-all.sh) and runs as root (cgroups, perf).

function installed(name: string): boolean {
  for (const d of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    try {
      accessSync(join(d, name), constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}
const haveServices = ['redis-server', 'nginx', 'stress-ng'].every(installed);
if (!haveServices) console.warn('collector-cli/test/bench.test.ts: redis-server, nginx or stress-ng is missing, so the bench runs are SKIPPED (apt-get install redis-server nginx stress-ng)');

const CLK_TCK = 100;
const SERVICE_COMMS = /^(redis-server|nginx|stress-ng.*)$/;

/** Seconds since boot, on the clock /proc/PID/stat's starttime counts in. */
function uptimeTicks(): number {
  return Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * CLK_TCK);
}

/** redis-server, nginx and stress-ng processes that started at or after `sinceTicks` (so not someone else's older ones). */
function servicesStartedSince(sinceTicks: number): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const start = Number(fields[19]);
      if (SERVICE_COMMS.test(comm) && start >= sinceTicks) out.push(`${name} ${comm} (${fields[0]})`);
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PIDs of every process the bench said (--json) it started. */
function startedPids(stderr: string): number[] {
  const pids: number[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { type: string; pid?: number | null };
    if (m.type === 'process' && typeof m.pid === 'number') pids.push(m.pid);
  }
  return pids;
}

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

/** The latency table agrees with the manifest's configurations and with the client's and the service's own counts. */
function checkLabels(b: Bundle, service: string): void {
  const bench = b.manifest.bench!;
  expect(bench.service?.name).toBe(service);
  const t = b.tables.latency!;
  expect(t.numRows).toBeGreaterThan(0);
  const requests = numberColumn(t, 'requests');
  const errors = numberColumn(t, 'errors');
  const ts = numberColumn(t, 'ts_ns');
  const len = numberColumn(t, 'interval_ns');
  const mean = numberColumn(t, 'mean_us');
  const p50 = numberColumn(t, 'p50_us');
  const p99 = numberColumn(t, 'p99_us');
  const max = numberColumn(t, 'max_us');
  const { codes, values } = dictColumn(t, 'config');
  const services = dictColumn(t, 'service');
  // Every row's latency statistics are ordered; a row without requests has none.
  for (let i = 0; i < t.numRows; i++) {
    expect(services.values[services.codes[i]!]).toBe(service);
    if (requests[i]! > 0) {
      expect(p50[i]!, `row ${i}`).toBeGreaterThan(0);
      expect(p50[i]!, `row ${i}`).toBeLessThanOrEqual(p99[i]!);
      expect(p99[i]!, `row ${i}`).toBeLessThanOrEqual(max[i]!);
      expect(mean[i]!, `row ${i}`).toBeLessThanOrEqual(max[i]!);
    } else {
      expect(Number.isNaN(p50[i]!)).toBe(true);
    }
  }
  // The rows' requests add up to the client's own count, over the run and per configuration.
  expect(sum(requests)).toBe(bench.client.completedRequests);
  expect(sum(errors)).toBe(bench.client.errors);
  const ids = new Set(bench.configurations.map((c) => c.id));
  expect(new Set(values)).toEqual(ids);
  for (const c of bench.configurations) {
    const rows = [...codes.keys()].filter((i) => values[codes[i]!] === c.id);
    expect(rows.length, c.id).toBeGreaterThan(0);
    expect(rows.reduce((s, i) => s + requests[i]!, 0), c.id).toBe(c.requests);
    for (const i of rows) {
      expect(ts[i]!, c.id).toBeGreaterThan(c.startNs);
      expect(ts[i]!, c.id).toBeLessThanOrEqual(c.endNs);
      expect(len[i]!, c.id).toBeLessThanOrEqual(bench.intervalNs);
    }
    expect(c.requests, c.id).toBeGreaterThan(0);
    // The service's own counter saw exactly the requests the client sent in the window.
    if (c.errors === 0) expect(c.serverRequests, c.id).toBe(c.requests);
    expect(c.interference.workers).toBe(c.interference.level);
  }
}

describe.sequential('tlab bench', { timeout: 90_000 }, () => {
  it.skipIf(!haveServices)('measures redis and nginx under cpu interference: labels agree with the client and the services, and nothing is left running', async () => {
    const since = uptimeTicks();
    const dir = tempDir();
    let tlabPid = 0;
    const run = await runTlab(
      ['bench', '--out', dir, '--services', 'redis,nginx', '--redis-mixes', 'get', '--nginx-mixes', 'large', '--interference', 'cpu', '--levels', '0..1', '--seconds-per-level', '2', '--interval', '0.5', '--connections', '2', '--order', 'ascending', '--json'],
      { onStderr: (_, pid) => (tlabPid = pid) },
    );
    expect(run.stderr).not.toMatch(/"type":"error"|failed/);
    expect(run.code).toBe(0);
    for (const service of ['redis', 'nginx']) {
      const b = await readBack(join(dir, `${service}.tlab`));
      const m = b.manifest;
      expect(m.formatVersion).toBe(FORMAT_VERSION);
      expect(m.sources.bench?.status, JSON.stringify(m.sources.bench)).toBe('ok');
      expect(m.bench!.configurations.map((c) => c.id)).toEqual([`${service}/${service === 'redis' ? 'get' : 'large'}/none-0`, `${service}/${service === 'redis' ? 'get' : 'large'}/cpu-1`]);
      expect(m.bench!.theta).toBe(1);
      checkLabels(b, service);
      // The recorder's own sources ran beside the bench; as root the group is the service's cgroup, with its PSI.
      expect(m.sources.proc?.status).toBe('ok');
      expect(m.sources.psi?.status).toBe('ok');
      const scopes = dictColumn(b.tables.psi!, 'scope');
      const psiScopes = new Set(Array.from(scopes.codes, (c) => scopes.values[c]));
      expect(psiScopes.has('system')).toBe(true);
      if (isRoot && cgroup2Mount()) {
        expect(m.workload.group.kind).toBe('cgroup');
        expect(psiScopes.has('cgroup')).toBe(true);
      }
    }
    // Nothing it started is left: not by PID, not in /proc, not as a cgroup.
    const pids = startedPids(run.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(6); // two services, two clients, two stress-ng
    expect(pids.filter(alive)).toEqual([]);
    expect(servicesStartedSince(since)).toEqual([]);
    const mount = cgroup2Mount();
    if (mount && tlabPid) expect(readdirSync(mount).filter((d) => d.startsWith(`tlab-${tlabPid}-`))).toEqual([]);
  });

  it.skipIf(!haveServices)('SIGTERM mid-run: the bundle is written, marked partial, its labels still agree, and everything is stopped', async () => {
    const since = uptimeTicks();
    const dir = tempDir();
    const child = spawn(process.execPath, [TLAB, 'bench', '--out', dir, '--services', 'redis,nginx', '--redis-mixes', 'set', '--interference', 'cpu', '--levels', '0..3', '--seconds-per-level', '2', '--order', 'ascending', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Once the first interference (cpu level 1) is running, about one configuration in.
      if (!signalled && /"role":"interference"/.test(stderr)) {
        signalled = true;
        setTimeout(() => child.kill('SIGTERM'), 700);
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    const b = await readBack(join(dir, 'redis.tlab'));
    expect(b.manifest.sources.bench?.status).toBe('partial');
    expect(b.manifest.sources.bench?.status === 'partial' && b.manifest.sources.bench.reason).toBe('stopped by SIGTERM');
    expect(b.manifest.notes?.join(' ')).toMatch(/partial/);
    expect(b.manifest.bench!.configurations.length).toBeLessThan(4);
    checkLabels(b, 'redis');
    // The next service was never started.
    expect(existsSync(join(dir, 'nginx.tlab'))).toBe(false);
    expect(startedPids(stderr).filter(alive)).toEqual([]);
    expect(servicesStartedSince(since)).toEqual([]);
  });

  it('refuses a missing service with the Debian package to install, before starting anything', async () => {
    const dir = tempDir();
    const run = await runTlab(['bench', '--out', dir, '--services', 'redis', '--quiet'], { env: { ...process.env, PATH: pathWithout(['redis-server']) } });
    expect(run.code).toBe(127);
    expect(run.stderr).toContain('redis-server not found: install the Debian package redis-server');
    expect(readdirSync(dir)).toEqual([]);
  });
});
