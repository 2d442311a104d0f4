// Text for the model: what a task is doing, its result and output, in a few plain lines.
import { ANSI_ESCAPES } from '../core/text.js';
import type { ListedTask } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';

// Agents paint their output for the pane; the model wants the text.
// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string): string => text.replace(ANSI_ESCAPES, '').replace(/\r(?!\n)/g, '\n');

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : ms < 120_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`;
}

/** panecrew's own tmux session: where a pane goes when it has no launching pane to open beside. */
const DETACHED = "panecrew's detached tmux session (watch it with: panecrew attach)";

/** True once where the task runs is known: placed, queued with a reason, or ended. */
export function placementKnown(t: ListedTask): boolean {
  if (isFinal(t.state) || t.placement !== null) return true;
  // 'queued' only means the scheduler has not looked at it yet: it starts next.
  return t.state === 'pending' && t.waiting !== null && t.waiting !== 'queued';
}

/** Where the task runs, or will run once it starts. */
export function whereItRuns(t: ListedTask): string {
  const pane = t.paneId ? ` (${t.paneId})` : '';
  // A pane or window placed with a note was not opened beside its launcher (whose tmux server was
  // gone): it went to the detached session. An overflow pane's note is why it overflowed.
  const beside = t.placementNote && t.placement !== 'overflow' ? undefined : t.origin.tmuxPane;
  switch (t.placement) {
    case 'pane':
      return beside ? `a tmux pane${pane} beside ${beside}` : `a tmux pane${pane} in ${DETACHED}`;
    case 'overflow':
      return `a tmux pane${pane} in the overflow window (${t.placementNote ?? `no room beside ${beside ?? 'the main pane'} yet`})${beside ? '' : ` of ${DETACHED}`}`;
    case 'window':
      return `its own tmux window${pane}${beside ? '' : ` in ${DETACHED}`}`;
    case 'headless':
      return `a detached process without a pane (headless)${t.pid ? `, pid ${t.pid}` : ''}${t.placementNote ? ` because ${t.placementNote}` : ''}`;
    case null: {
      if (isFinal(t.state)) return 'nowhere: it ended before it started';
      const now = t.state === 'pending' ? `not started yet (${t.waiting ?? 'queued'})` : 'starting';
      if (t.requestedPlacement === 'headless') return `${now}; then a detached process without a pane (headless)`;
      if (t.requestedPlacement === 'window') return `${now}; then its own tmux window`;
      // The controller decides: a pane when it has tmux, headless when tmux is off or missing.
      return `${now}; then a tmux pane ${beside ? `beside ${beside}` : `in ${DETACHED}`} (headless if the controller runs without tmux)`;
    }
  }
}

export function stateLine(t: ListedTask, now = Date.now()): string {
  const parts = [`${t.id}: ${t.state}`];
  if (t.state === 'pending') parts.push(t.waiting ?? 'queued');
  if (t.state === 'running' && t.startedAt) parts.push(`running for ${seconds(now - t.startedAt)}`);
  if (t.state === 'waiting') parts.push(`needs the person: ${t.question ?? 'the agent asks something'} (panecrew focus ${t.id})`);
  if (isFinal(t.state) && t.startedAt && t.endedAt) parts.push(`ran ${seconds(t.endedAt - t.startedAt)}`);
  if (t.reason && t.state !== 'completed') parts.push(t.reason);
  return parts.join(' — ');
}

export function describeTask(t: ListedTask): string[] {
  const lines = [`task ${stateLine(t)}`, `title: ${t.title}`, `agent: ${t.agent}${t.category ? ` (${t.category})` : ''}${t.model ? `, model ${t.model}` : ''}, key ${t.key}`, `runs in: ${whereItRuns(t)}`];
  const p = t.progress;
  const progress = [p.percent !== undefined ? `${p.percent}%` : '', p.toolCalls ? `${p.toolCalls} tool call${p.toolCalls === 1 ? '' : 's'}` : '', p.step ? `now: ${p.step}` : ''].filter(Boolean);
  if (progress.length) lines.push(`progress: ${progress.join(', ')}`);
  if (t.exitCode !== null && isFinal(t.state)) lines.push(`exit code: ${t.exitCode}${t.signal ? `, signal ${t.signal}` : ''}`);
  if (t.usage.inputTokens || t.usage.outputTokens) lines.push(`usage: ${t.usage.inputTokens} in / ${t.usage.outputTokens} out tokens${t.usage.costUsd !== undefined ? `, $${t.usage.costUsd.toFixed(4)}` : ''}`);
  return lines;
}
