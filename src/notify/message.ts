// Turns what happened to tasks into the words of a notification. Pure: no clock, no I/O.
import { firstLine } from '../core/text.js';
import type { Task, TaskState } from '../core/task.js';
import { formatDuration } from '../core/duration.js';
import { describeChanges } from '../worktree/changes.js';
import type { Urgency } from './notification.js';

export type NotifyItem =
  | { kind: 'ended'; task: Task }
  | { kind: 'progress'; task: Task; percent: number }
  | { kind: 'started'; task: Task }
  | { kind: 'waiting'; task: Task }
  /** Every task of a plan's phase completed; `task` is the one that ended last. */
  | { kind: 'phase'; task: Task; plan: string; phase: number; of: number; names: string[] };

export interface MessageInput {
  items: NotifyItem[];
  /** An "all background tasks complete" line is added. */
  allDone: boolean;
  urgencyOnError: Urgency;
}

export interface Message {
  title: string;
  body: string;
  urgency: Urgency;
}

/** Body lines listed in a batch before the rest is summarised as "…and N more". */
const MAX_LINES = 8;
export const ALL_DONE_TEXT = 'All background tasks complete.';

const STATE_WORD: Record<TaskState, string> = {
  pending: 'pending',
  running: 'running',
  waiting: 'waiting for you',
  completed: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
  interrupt: 'interrupted',
};

export const stateWord = (state: TaskState): string => STATE_WORD[state];

export { firstLine };

/** What to show under an ending: the result for a success, the reason for anything else. */
export function summaryOf(task: Task): string | null {
  const said = task.state === 'completed'
    ? (firstLine(task.resultPreview) ?? firstLine(task.reason) ?? null)
    : (firstLine(task.reason) ?? firstLine(task.resultPreview) ?? null);
  // A task in its own worktree: what it changed comes first (the work to hand back).
  const changes = task.workspace?.changes;
  return changes ? [describeChanges(changes), said].filter(Boolean).join(' · ') : said;
}

export function durationOf(task: Task): string | null {
  if (task.startedAt === null || task.endedAt === null) return null;
  return formatDuration(Math.max(0, task.endedAt - task.startedAt));
}

function endedHeadline(task: Task): string {
  const duration = durationOf(task);
  return `${task.agent} · ${stateWord(task.state)}${duration ? ` in ${duration}` : ''}`;
}

function itemLine(item: NotifyItem): string {
  const t = item.task;
  switch (item.kind) {
    case 'ended': {
      const duration = durationOf(t);
      const changes = t.workspace?.changes;
      const summary = t.state !== 'completed' ? summaryOf(t) : changes ? describeChanges(changes) : null;
      return `${t.title} — ${stateWord(t.state)} (${t.agent}${duration ? `, ${duration}` : ''})${summary ? `: ${summary}` : ''}`;
    }
    case 'progress':
      return `${t.title} — ${item.percent}%${t.progress.step ? ` (${t.progress.step})` : ''}`;
    case 'started':
      return `${t.title} — started (${t.agent})`;
    case 'waiting':
      return `${t.id} needs your input: ${t.question ?? 'the agent asks something'}`;
    case 'phase':
      return phaseText(item);
  }
}

function phaseText(item: Extract<NotifyItem, { kind: 'phase' }>): string {
  return `${item.plan}: phase ${item.phase} of ${item.of} done: ${item.names.join(', ')}`;
}

function single(item: NotifyItem): { title: string; lines: string[] } {
  const t = item.task;
  switch (item.kind) {
    case 'ended': {
      const summary = summaryOf(t);
      return { title: `${t.title} — ${stateWord(t.state)}`, lines: [endedHeadline(t), ...(summary ? [summary] : [])] };
    }
    case 'progress':
      return { title: `${t.title} — ${item.percent}%`, lines: [t.agent + (t.progress.step ? ` · ${t.progress.step}` : '')] };
    case 'started':
      return { title: `${t.title} — started`, lines: [t.agent + (t.model ? ` · ${t.model}` : '')] };
    case 'waiting':
      return { title: `${t.id} needs your input`, lines: [`${t.title}: ${t.question ?? 'the agent asks something'}`, `panecrew focus ${t.id}`] };
    case 'phase':
      return { title: phaseText(item), lines: [item.phase === item.of ? 'the plan is complete' : `phase ${item.phase + 1} starts`, `panecrew plan show ${t.plan?.id ?? ''}`] };
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function batchTitle(items: NotifyItem[]): string {
  const ended = items.filter((i) => i.kind === 'ended');
  const failed = ended.filter((i) => i.task.state === 'error').length;
  const started = items.filter((i) => i.kind === 'started').length;
  const progress = items.filter((i) => i.kind === 'progress').length;
  const waiting = items.filter((i) => i.kind === 'waiting').length;
  const phases = items.filter((i) => i.kind === 'phase').length;
  const parts: string[] = [];
  if (phases) parts.push(plural(phases, 'plan phase done', 'plan phases done'));
  if (ended.length) parts.push(plural(ended.length, 'task finished', 'tasks finished') + (failed ? `, ${failed} failed` : ''));
  if (waiting) parts.push(plural(waiting, 'task needs your input', 'tasks need your input'));
  if (started) parts.push(`${started} started`);
  if (progress) parts.push(plural(progress, 'progress update', 'progress updates'));
  return parts.join(' · ');
}

export function buildMessage({ items, allDone, urgencyOnError }: MessageInput): Message {
  const hasError = items.some((i) => i.kind === 'ended' && i.task.state === 'error');
  // A question holds an agent up until the person answers: as loud as an ending.
  const hasEnding = items.some((i) => i.kind === 'ended' || i.kind === 'waiting' || i.kind === 'phase');
  const urgency: Urgency = hasError ? urgencyOnError : hasEnding || (allDone && items.length === 0) ? 'normal' : 'low';

  let title: string;
  let lines: string[];
  if (items.length === 0) {
    title = 'All background tasks complete';
    lines = allDone ? ['No panecrew task from this pane is running any more.'] : [];
    return { title, body: lines.join('\n'), urgency };
  }
  if (items.length === 1) {
    ({ title, lines } = single(items[0]!));
  } else {
    title = batchTitle(items);
    lines = items.slice(0, MAX_LINES).map(itemLine);
    if (items.length > MAX_LINES) lines.push(`…and ${items.length - MAX_LINES} more`);
  }
  if (allDone) lines.push(ALL_DONE_TEXT);
  return { title, body: lines.join('\n'), urgency };
}
