// Text for the model: what a task is doing, its result and output, in a few plain lines.
import { ANSI_ESCAPES } from '../core/text.js';
import type { KeyStats, ListedTask, Stats } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';

// Agents paint their output for the pane; the model wants the text.
// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string): string => text.replace(ANSI_ESCAPES, '').replace(/\r(?!\n)/g, '\n');

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : ms < 120_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`;
}

/** Where the task runs, or will run once it starts. */
export function whereItRuns(t: ListedTask): string {
  switch (t.placement) {
    case 'pane':
      return `a tmux pane${t.paneId ? ` (${t.paneId})` : ''}${t.origin.tmuxPane ? ` beside ${t.origin.tmuxPane}` : ''}`;
    case 'overflow':
      return `a pane${t.paneId ? ` (${t.paneId})` : ''} in the overflow window (no room beside ${t.origin.tmuxPane ?? 'the launcher'} yet)`;
    case 'window':
      return `its own tmux window${t.paneId ? ` (${t.paneId})` : ''}`;
    case 'headless':
      return `a detached process (headless)${t.pid ? `, pid ${t.pid}` : ''}`;
    case null:
      if (isFinal(t.state)) return 'nowhere: it ended before it started';
      if (t.requestedPlacement === 'headless') return 'a detached process (headless), once it starts';
      if (t.requestedPlacement === 'window') return 'its own tmux window, once it starts';
      if (t.origin.tmuxPane) return `a tmux pane beside ${t.origin.tmuxPane}, once it starts`;
      return 'a detached process (headless: no tmux pane to open beside), once it starts';
  }
}

export function stateLine(t: ListedTask, now = Date.now()): string {
  const parts = [`${t.id}: ${t.state}`];
  if (t.state === 'pending') parts.push(t.waiting ?? 'queued');
  if (t.state === 'running' && t.startedAt) parts.push(`running for ${seconds(now - t.startedAt)}`);
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

function keyLine(k: KeyStats): string {
  return `${k.key}: ${k.running}/${k.limit} slots in use${k.pending ? `, ${k.pending} waiting` : ''} (limit from ${k.limitSource})`;
}

export function renderList(tasks: ListedTask[], stats: Stats): string {
  const lines = [`${stats.running} running, ${stats.pending} pending (global cap ${stats.globalCap})${stats.gate.enabled && !stats.gate.open ? `; resource gate closed: ${stats.gate.detail}` : ''}`];
  if (stats.keys.length) lines.push('slots:', ...stats.keys.map((k) => `  ${keyLine(k)}`));
  if (!tasks.length) lines.push('no tasks');
  else lines.push('tasks:', ...tasks.map((t) => `  ${stateLine(t)} — ${t.agent}, key ${t.key} — ${t.title}`));
  return lines.join('\n');
}
