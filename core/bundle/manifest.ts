import { z } from 'zod';
import { MANIFEST_SCHEMA_ID } from './version.ts';
import { BUNDLE_LIMITS } from './limits.ts';

// The reader refuses a manifest over these limits before parsing it (limits.ts); the schema states them too.
const text = () => z.string().max(BUNDLE_LIMITS.manifestStringChars);
const notesArray = () => z.array(text()).max(BUNDLE_LIMITS.manifestArrayItems);

/** Source names a collector or importer can fill. Each maps to the tables it writes. */
/** Sources `tlab record` can record. */
export const SOURCE_NAMES = ['proc', 'psi', 'strace', 'perf', 'sched'] as const;
/**
 * Sources a manifest may name: the recorded ones, plus what only an import brings (a Prometheus server) and the
 * request latency `tlab bench` measures (format 1.1).
 */
export const MANIFEST_SOURCE_NAMES = [...SOURCE_NAMES, 'prometheus', 'bench'] as const;
export type SourceName = (typeof MANIFEST_SOURCE_NAMES)[number];

const nsInt = z.number().int().nonnegative().describe('nanoseconds since the clock origin');

const ToolInfo = z
  .object({
    name: z.string().min(1).describe('Program that produced the data, e.g. "strace"'),
    version: z.string().nullable().describe('Its version as it reported it, null if unknown'),
  })
  .describe('A tool used to record a source');

const sourceFields = {
  settings: z
    .record(z.string(), z.unknown())
    .describe('How the source was recorded: interval, events, options, or the imported file and format'),
  tool: ToolInfo.optional(),
  tables: z.array(z.string()).describe('Tables this source wrote rows to'),
  notes: notesArray().optional().describe('Anything a reader should know, e.g. lines that could not be parsed'),
};

export const SourceInfo = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('ok'), ...sourceFields }),
    z.object({
      status: z.literal('partial'),
      reason: z.string().min(1).describe('Why only part was recorded, e.g. "stopped by SIGINT", "1200 events lost"'),
      ...sourceFields,
    }),
    z.object({
      status: z.literal('unavailable'),
      reason: z.string().min(1).describe('Why nothing was recorded, e.g. "tracefs not mounted and not root"'),
      ...sourceFields,
    }),
  ])
  .describe('One recorded source and what became of it');

export const TableEntry = z
  .object({
    path: z
      .string()
      .regex(/^tables\/[a-z_]+\.arrow$/)
      .optional()
      .describe('The table kept whole: path of its Arrow IPC file inside the zip (every table in format 1; small ones since)'),
    columns: z
      .record(z.string().regex(/^[a-z0-9_]+$/), z.string().regex(/^tables\/[a-z_]+\/[a-z0-9_]+\.arrow$/))
      .optional()
      .describe(
        'The table stored column by column (format 2, large tables): by column name, the path of an Arrow IPC file holding that column alone, so a reader decodes only the columns it needs',
      ),
    rows: z.number().int().nonnegative().describe('Row count'),
  })
  .refine((e) => (e.path === undefined) !== (e.columns === undefined), { message: 'a table has either a path or columns, exactly one of them' })
  .describe('Where a table lies and how many rows it has');

export const RawEntry = z
  .object({
    path: z.string().regex(/^raw\/.+/).describe('Path inside the zip, under raw/'),
    source: z.string().describe('The source it belongs to'),
    description: z.string().describe('What the file is, e.g. "strace -f -ttt -T output"'),
    bytes: z.number().int().nonnegative().describe('Size in bytes'),
  })
  .describe('An original capture kept unchanged');

/** Kinds of co-located interference `tlab bench` runs beside a service (stress-ng stressors). */
export const BENCH_INTERFERENCE_KINDS = ['none', 'cpu', 'io', 'vm'] as const;
export type BenchInterferenceKind = (typeof BENCH_INTERFERENCE_KINDS)[number];

const count = () => z.number().int().nonnegative();

export const BenchInterference = z
  .object({
    kind: z.enum(BENCH_INTERFERENCE_KINDS).describe('"none", or the stress-ng stressor class run beside the service: "cpu" (--cpu), "io" (--hdd), "vm" (--vm)'),
    level: count().describe('Interference level, 0..theta (0 = none)'),
    workers: count().describe('stress-ng workers of that kind running during the configuration (level k = k workers)'),
    command: z.array(text()).max(64).optional().describe('The stress-ng command line, as an argument vector'),
  })
  .describe('What ran beside the service');

export const BenchConfiguration = z
  .object({
    id: text().min(1).describe('Configuration id, the value of the latency table\'s `config` column, e.g. "redis/get/cpu-3"'),
    service: text().min(1).describe('The service, e.g. "redis"'),
    requestMix: text().min(1).describe('What the client asked for, e.g. "get", "set", "get-set" (redis), "small", "large" (nginx)'),
    interference: BenchInterference,
    startNs: nsInt.describe('When the client started sending this configuration\'s requests (an interval boundary)'),
    endNs: nsInt.describe('When it stopped sending (an interval boundary; requests in flight then completed just after)'),
    requests: count().optional().describe('Requests the client completed successfully, by its own count (equals the latency rows\' sum)'),
    errors: count().optional().describe('Requests that failed, by the client\'s own count'),
    serverRequests: count().nullable().optional().describe('Requests the service itself counted over the configuration (redis INFO total_commands_processed, nginx stub_status requests; its own status queries left out); null when it could not be read'),
  })
  .describe('One configuration: a service, a request mix, an interference kind and level, over a time window')
  .refine((c) => c.endNs >= c.startNs, { message: 'endNs must not be before startNs', path: ['endNs'] });

export const BenchSection = z
  .object({
    generator: z
      .object({ name: z.string().min(1), version: z.string().min(1) })
      .describe('The workload generator, e.g. tlab bench and its version'),
    intervalNs: z.number().int().positive().describe('Length of a latency interval (the latency table\'s interval_ns), ns'),
    theta: count().describe('Highest interference level asked for (vPALs\' co-location threshold, default 5)'),
    seed: z.number().int().optional().describe('Seed of the keys, the request mix and the order of configurations'),
    service: z
      .object({
        name: text().min(1).describe('e.g. "redis"'),
        program: text().describe('The program run, e.g. "redis-server"'),
        version: text().nullable().describe('Its version as it reported it'),
        address: text().describe('Where it listened (always loopback), e.g. "127.0.0.1:6390"'),
      })
      .optional()
      .describe('The service this bundle measured (its cgroup is workload.group)'),
    client: z
      .object({
        kind: z.literal('closed-loop').describe('Each connection sends its next request when the reply to the last one has arrived'),
        connections: z.number().int().positive().describe('Concurrent connections'),
        request: text().describe('What one request is, per request mix'),
        completedRequests: count().optional().describe('Successful requests the client completed over the whole run, by its own count'),
        errors: count().optional().describe('Failed requests over the whole run, by its own count'),
      })
      .describe('The load generator'),
    configurations: z.array(BenchConfiguration).max(BUNDLE_LIMITS.manifestArrayItems).describe('Every configuration run, in the order run'),
    notes: notesArray().optional().describe('Anything a reader should know about the run'),
  })
  .describe('How `tlab bench` made the labels in the latency table (format 1.1)');

export const Manifest = z
  .object({
    $schema: z.literal(MANIFEST_SCHEMA_ID).describe('Identifies this schema'),
    formatVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/)
      .describe('Bundle format version (semver). Readers refuse a newer major version.'),
    producer: z
      .object({ name: z.string().min(1), version: z.string().min(1) })
      .describe('Program that wrote the bundle'),
    createdAt: z.iso.datetime({ offset: true }).describe('When the bundle was written (ISO 8601)'),
    host: z
      .object({
        hostname: z.string().nullable().describe('Host name, or null when redacted'),
        kernel: z.string().nullable().describe('Kernel release (uname -r); null when unknown (imported files)'),
        arch: z.string().nullable().describe('Machine architecture (uname -m); null when unknown'),
        cpuCount: z.number().int().positive().nullable().describe('Online CPUs; null when unknown'),
        memoryBytes: z.number().int().nonnegative().nullable().describe('MemTotal in bytes; null when unknown'),
      })
      .describe('The machine the data was recorded on'),
    clock: z
      .object({
        domain: z
          .enum(['monotonic', 'boottime', 'realtime', 'trace', 'unknown'])
          .describe('Clock the timestamps were taken from before being shifted to the origin'),
        unit: z.literal('ns').describe('Unit of every *_ns column and field'),
        originUnixNs: z
          .string()
          .regex(/^\d+$/)
          .nullable()
          .describe('Wall-clock time of ts 0 as Unix nanoseconds (a decimal string: it exceeds 2^53), null if unknown'),
      })
      .describe('The time base of all timestamps'),
    workload: z
      .object({
        label: text().min(1).describe('Short name of the workload, e.g. "gzip -9 of the kernel tree"'),
        description: text().optional().describe('Longer free text'),
        command: z.array(z.string()).nullable().describe('Command line as an argument vector, null when attached or imported'),
        startNs: nsInt.describe('Start of the recording'),
        endNs: nsInt.describe('End of the recording'),
        exit: z
          .object({
            code: z.number().int().nullable().describe('Exit code, null if killed by a signal'),
            signal: z.string().nullable().describe('Signal that ended it, e.g. "SIGKILL"'),
          })
          .nullable()
          .describe('How the command ended; null when it did not end or is unknown'),
        group: z
          .object({
            kind: z.enum(['cgroup', 'process-group', 'pid', 'system', 'none']).describe('How the processes were grouped'),
            path: z.string().nullable().describe('cgroup path, or null'),
            note: z.string().optional().describe('Why this grouping was used, e.g. a fallback'),
          })
          .describe('What the "group" scope covers'),
      })
      .describe('What was recorded')
      .refine((w) => w.endNs >= w.startNs, { message: 'endNs must not be before startNs', path: ['endNs'] }),
    // Known keys are listed for the schema and the types; other keys are accepted (catchall) because a later
    // 1.x version may add a source or a table, and a 1.0 reader must still open the bundle and ignore them.
    sources: z
      .object({
        proc: SourceInfo.optional(),
        psi: SourceInfo.optional(),
        strace: SourceInfo.optional(),
        perf: SourceInfo.optional(),
        sched: SourceInfo.optional(),
        prometheus: SourceInfo.optional(),
        bench: SourceInfo.optional(),
      } satisfies Record<SourceName, unknown>)
      .catchall(SourceInfo)
      .describe('Each source that was asked for, with its settings and status'),
    tables: z
      .object({
        samples: TableEntry.optional(),
        psi: TableEntry.optional(),
        counters: TableEntry.optional(),
        syscalls: TableEntry.optional(),
        sched: TableEntry.optional(),
        latency: TableEntry.optional(),
      })
      .catchall(TableEntry)
      .describe('The tables present in the bundle'),
    raw: z.array(RawEntry).max(BUNDLE_LIMITS.manifestArrayItems).default([]).describe('Original captures kept unchanged under raw/'),
    overhead: z
      .record(z.string(), z.number())
      .optional()
      .describe('What recording cost, e.g. collectorCpuSeconds, straceSlowdown'),
    bench: BenchSection.optional(),
    notes: notesArray().optional().describe('Free notes'),
  })
  .describe('Telemetry Lab bundle manifest');

export type Manifest = z.infer<typeof Manifest>;
export type ManifestInput = z.input<typeof Manifest>;
export type SourceInfo = z.infer<typeof SourceInfo>;
export type BenchSection = z.infer<typeof BenchSection>;
export type BenchConfiguration = z.infer<typeof BenchConfiguration>;
export type BenchInterference = z.infer<typeof BenchInterference>;
