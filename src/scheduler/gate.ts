// The resource gate: keeps our starts from overloading the machine (CPU busy over the last seconds,
// memory our agents are expected to take), never from running at all (see Gate.minRunning in plan.ts).
import type { Task } from '../core/task.js';
import { CpuSampler } from './cpu.js';
import { processGroupsRss, readMemory, type MemoryReading } from './memory.js';
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
  const over: string[] = [];
  if (cpuPercent === null) over.push('measuring cpu use');
  else if (cpuPercent > options.cpuPercent) over.push(`cpu ${pct(cpuPercent)} > ${options.cpuPercent}%`);
  if (headroomBytes <= 0) over.push(`${memoryNote} > ${options.memoryPercent}%`);
  if (over.length) return { ...base, open: false, detail: over.join(', ') };
  return { ...base, open: true, detail: `cpu ${pct(cpuPercent!)}, ${memoryNote}` };
}

export interface GateContext {
  /** Our running tasks: what each is expected to take beyond its group's current RSS is set aside. */
  running?: Iterable<Pick<Task, 'agent' | 'pid'>>;
  /** Measured peaks (PeakStore.expectedRss); the configured defaults without it. */
  expectedRss?: (agent: string) => number;
  cpu?: CpuSampler;
}

let machineCpu: CpuSampler | undefined;

/** Reads the machine (/proc) and builds the gate for one plan pass. */
export function readGate(options: GateOptions, context: GateContext = {}): Gate {
  if (!options.enabled) return { open: true, detail: 'disabled' };
  const expectedRss = context.expectedRss ?? configuredRss(options);
  const running = [...(context.running ?? [])];
  const rss = processGroupsRss(running.flatMap((t) => (t.pid === null ? [] : [t.pid])));
  const growingBytes = running.reduce((sum, t) => sum + Math.max(0, expectedRss(t.agent) - (t.pid === null ? 0 : (rss.get(t.pid) ?? 0))), 0);
  const cpu = context.cpu ?? (machineCpu ??= new CpuSampler());
  return gateFrom({ cpuPercent: cpu.percent(), memory: readMemory(), growingBytes }, options, expectedRss);
}
