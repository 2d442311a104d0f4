// The side-by-side table of bench:e2e for interactive agents: for each agent (the real CLIs, a
// fixture, and the stability fallback for agents without signals), how long from the agent's own
// signal to the controller's task event. Each measure file adds its row (figures.ts recordRow).
import { readFileSync } from 'node:fs';
import type { AgentSignal } from '../../src/core/signal.js';

export const SIGNAL_TABLE = 'interactive agents: signal → task event';
export const TURN_COLUMN = 'turn end → `completed`';
export const WAITING_COLUMN = 'permission prompt → `waiting`';

/** The time of the latest signal of `kind` in a signals file, read with the agent's adapter. */
export function lastSignalAt(file: string, read: (line: string) => AgentSignal | null, kind: AgentSignal['kind']): number {
  const signals = readFileSync(file, 'utf8').split('\n').flatMap((l) => read(l) ?? []);
  const found = signals.reverse().find((s) => s.kind === kind);
  if (!found) throw new Error(`no ${kind} signal in ${file}`);
  return found.at;
}
