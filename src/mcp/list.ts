// background_list: the calling session's own tasks by default (a main agent's context is not the
// place for every project's tasks), newest activity first, short entries, a limit with a note.
import { originFromEnv } from '../controller/launch-env.js';
import type { KeyStats, ListedTask, Stats } from '../controller/protocol.js';
import { isActive, isFinal } from '../core/task.js';
import { seconds } from './render.js';

export const DEFAULT_LIST_LIMIT = 20;
const TITLE_CHARS = 60;

/**
 * The tasks this MCP server's session launched: from its tmux pane (same server, same pane), or,
 * outside tmux, the pane-less tasks whose folder is the server's folder or inside it.
 */
export function ownTasks(tasks: ListedTask[], env: NodeJS.ProcessEnv, cwd: string): { mine: ListedTask[]; scope: string } {
  const origin = originFromEnv(env);
  if (origin.tmuxPane) {
    const mine = tasks.filter((t) => t.origin.tmuxPane === origin.tmuxPane && t.origin.tmuxSocket === origin.tmuxSocket);
    return { mine, scope: `launched from this session's pane ${origin.tmuxPane}` };
  }
  const inside = (dir: string) => dir === cwd || dir.startsWith(cwd.endsWith('/') ? cwd : `${cwd}/`);
  return { mine: tasks.filter((t) => !t.origin.tmuxPane && inside(t.cwd)), scope: `launched outside tmux in ${cwd}` };
}

/** Running first, then pending, then the most recently ended. */
function byRelevance(a: ListedTask, b: ListedTask): number {
  const rank = (t: ListedTask) => (isActive(t.state) ? 0 : t.state === 'pending' ? 1 : 2);
  return rank(a) - rank(b) || (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt);
}

function entry(t: ListedTask, now: number): string {
  const title = t.title.length > TITLE_CHARS ? `${t.title.slice(0, TITLE_CHARS - 1)}…` : t.title;
  let detail = '';
  if (t.state === 'pending') detail = ` (${t.waiting ?? 'queued'})`;
  else if (t.state === 'waiting') detail = ` for you: ${t.question ?? 'the agent asks something'} (panecrew focus ${t.id})`;
  else if (t.state === 'running' && t.startedAt) detail = ` for ${seconds(now - t.startedAt)}`;
  else if (isFinal(t.state) && t.endedAt) detail = ` ${seconds(now - t.endedAt)} ago`;
  return `  ${t.id}: ${t.state}${detail} — ${t.agent} — ${title}`;
}

function keyLine(k: KeyStats): string {
  return `${k.key}: ${k.running}/${k.limit} slots in use${k.pending ? `, ${k.pending} waiting` : ''} (limit from ${k.limitSource})`;
}

export interface ListView {
  tasks: ListedTask[];
  /** Which tasks these are, e.g. "launched from this session's pane %3". */
  scope: string;
  limit: number;
  /** Recent tasks of other sessions, left out (0 when listing all). */
  others: number;
}

/** The tasks the list shows, in its order: `limit` of them. */
export function shownTasks(view: ListView): ListedTask[] {
  return [...view.tasks].sort(byRelevance).slice(0, view.limit);
}

export function renderList(view: ListView, stats: Stats, now = Date.now()): string {
  const lines = [`${stats.running} running, ${stats.pending} pending in all (global cap ${stats.globalCap})${stats.gate.enabled && !stats.gate.open ? `; resource gate closed: ${stats.gate.detail}` : ''}`];
  if (stats.keys.length) lines.push('slots:', ...stats.keys.map((k) => `  ${keyLine(k)}`));
  const shown = shownTasks(view);
  lines.push(view.tasks.length ? `tasks ${view.scope}:` : `no tasks ${view.scope}`, ...shown.map((t) => entry(t, now)));
  const more = view.tasks.length - shown.length;
  if (more) lines.push(`… ${more} more (pass limit: ${view.tasks.length} to see them)`);
  if (view.others) lines.push(`${view.others} recent task${view.others === 1 ? '' : 's'} of other sessions not shown (all: true lists every task)`);
  return lines.join('\n');
}
