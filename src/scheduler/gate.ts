// The resource gate: keeps our starts from overloading the machine (CPU busy over the last seconds,
// memory our agents are expected to take), never from running at all (see Gate.minRunning in plan.ts).
import { CpuSampler } from './cpu.js';
import { readMemory, type MemoryReading } from './memory.js';
import type { Gate } from './plan.js';

const MB = 1024 * 1024;

export interface GateOptions {
  enabled: boolean;
  cpuPercent: number;
  memoryPercent: number;
  minRunning: number;
  expectedRssMb: Record<string, number>;
  defaultRssMb: number;
}

/** What an agent never measured is expected to take (bytes): its configured default, else the general one. */
export function configuredRss(options: Pick<GateOptions, 'expectedRssMb' | 'defaultRssMb'>): (agent: string) => number {
  return (agent) => (Object.hasOwn(options.expectedRssMb, agent) ? options.expectedRssMb[agent]! : options.defaultRssMb) * MB;
}

export interface MachineReadings {
  /** Busy % of all CPUs over the last seconds; null while being measured. */
  cpuPercent: number | null;
  memory: MemoryReading;
  /** What our running tasks are still expected to grow by before their peak. */
  growingBytes: number;
}

const pct = (n: number): string => `${n.toFixed(0)}%`;

/** The gate from readings (pure). */
export function gateFrom(readings: MachineReadings, options: GateOptions, expectedRss: (agent: string) => number): Gate {
  if (!options.enabled) return { open: true, detail: 'disabled' };
  const { cpuPercent, memory, growingBytes } = readings;
  const used = memory.totalBytes - memory.availableBytes;
  const headroomBytes = (options.memoryPercent / 100) * memory.totalBytes - used - growingBytes;
  const base = { minRunning: options.minRunning, memory: { headroomBytes, percent: options.memoryPercent, expectedRss } };
  const memoryNote = `memory ${pct((used / memory.totalBytes) * 100)}${growingBytes ? ` + ${Math.round(growingBytes / MB)} MB still growing` : ''}`;
  const cpuOver = cpuPercent === null || cpuPercent > options.cpuPercent;
  const memoryOver = headroomBytes <= 0;
  const cpuNote = cpuPercent === null ? 'cpu being measured' : `cpu ${pct(cpuPercent)}${cpuOver ? ` > ${options.cpuPercent}%` : ''}`;
  const detail = `${cpuNote}, ${memoryNote}${memoryOver ? ` > ${options.memoryPercent}%` : ''}`;
  return { ...base, open: !cpuOver && !memoryOver, detail };
}

export interface GateContext {
  /** Our running tasks with their group's last sampled RSS (RssTracker.current; null: not sampled
   *  yet): what each is still expected to take beyond it is set aside. */
  running?: Iterable<{ agent: string; rssBytes: number | null }>;
  /** Measured peaks (PeakStore.expectedRss); the configured defaults without it. */
  expectedRss?: (agent: string) => number;
  cpu?: CpuSampler;
}

let machineCpu: CpuSampler | undefined;

/** Reads the machine and builds the gate for one plan pass: two small /proc reads, no process scan. */
export function readGate(options: GateOptions, context: GateContext = {}): Gate {
  if (!options.enabled) return { open: true, detail: 'disabled' };
  const expectedRss = context.expectedRss ?? configuredRss(options);
  let growingBytes = 0;
  for (const t of context.running ?? []) growingBytes += Math.max(0, expectedRss(t.agent) - (t.rssBytes ?? 0));
  const cpu = context.cpu ?? (machineCpu ??= new CpuSampler());
  return gateFrom({ cpuPercent: cpu.percent(), memory: readMemory(), growingBytes }, options, expectedRss);
}
