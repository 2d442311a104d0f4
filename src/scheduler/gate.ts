// The resource gate: no new task starts while the machine is busier than the configured thresholds.
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Gate } from './plan.js';

export interface GateOptions {
  enabled: boolean;
  cpuPercent: number;
  memoryPercent: number;
}

export function readGate(options: GateOptions): Gate {
  if (!options.enabled) return { open: true, detail: 'disabled' };
  const cpu = (loadavg()[0]! / Math.max(1, cpus().length)) * 100;
  const memory = (1 - freemem() / totalmem()) * 100;
  const over: string[] = [];
  if (cpu > options.cpuPercent) over.push(`cpu load ${cpu.toFixed(0)}% > ${options.cpuPercent}%`);
  if (memory > options.memoryPercent) over.push(`memory ${memory.toFixed(0)}% > ${options.memoryPercent}%`);
  return over.length ? { open: false, detail: over.join(', ') } : { open: true, detail: `cpu ${cpu.toFixed(0)}%, memory ${memory.toFixed(0)}%` };
}
