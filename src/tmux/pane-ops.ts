// Small tmux operations the pane manager is built from. Each names its target explicitly
// (`%pane`, `@window`, `$session`) and never takes focus.
import { escapeFormat, TmuxError, type TmuxClient } from './client.js';

/** Pane options panecrew sets on its own panes and windows. */
export const OPT = {
  task: '@panecrew_task',
  /** Creation order, zero-padded so that it sorts as text: overflow panes are promoted oldest first. */
  seq: '@panecrew_seq',
  /** The window an overflow pane belongs to (where it is promoted). */
  home: '@panecrew_home',
  /** Window option: the main pane of a window that holds agent panes. */
  main: '@panecrew_main',
  /** Window option: this window is an overflow window. */
  overflow: '@panecrew_overflow',
  /** Pane option: kept open on purpose (keep_failed_panes); a restarted controller leaves it alone. */
  kept: '@panecrew_kept',
  /** Pane options shown in the border: "id agent title", and the task's state. */
  label: '@panecrew_label',
  state: '@panecrew_state',
  /** Window option: panecrew turned border labels on here (see labels.ts). */
  labels: '@panecrew_labels',
  /** Pane option set by runner.sh: its exit status, when it could not write exit.json (a full disk). */
  exit: '@panecrew_exit',
} as const;

/**
 * What a new pane runs until its real command replaces it (respawn-pane -k). Starting with a
 * placeholder lets us set remain-on-exit and the task tag before the real command can exit, so a
 * fast-failing task still leaves a pane (and its output) behind.
 */
const PLACEHOLDER = ['sleep', '86400'];

export interface PaneGeometry {
  paneId: string;
  taskId: string;
  seq: string;
  width: number;
  height: number;
  left: number;
  top: number;
}

export async function windowPanes(client: TmuxClient, windowId: string): Promise<PaneGeometry[]> {
  const rows = await client.listPanes(windowId, ['pane_id', OPT.task, OPT.seq, 'pane_width', 'pane_height', 'pane_left', 'pane_top'] as const);
  return rows.map((r) => ({
    paneId: r.pane_id,
    taskId: r[OPT.task],
    seq: r[OPT.seq],
    width: Number(r.pane_width),
    height: Number(r.pane_height),
    left: Number(r.pane_left),
    top: Number(r.pane_top),
  }));
}

export interface WindowInfo {
  windowId: string;
  sessionId: string;
  width: number;
  height: number;
  mainPane: string;
  isOverflow: boolean;
  /** Border labels are on (labels.ts). */
  labels: boolean;
}

export async function windowInfo(client: TmuxClient, windowId: string): Promise<WindowInfo | null> {
  try {
    const f = await client.displayFields(windowId, ['window_id', 'session_id', 'window_width', 'window_height', OPT.main, OPT.overflow, OPT.labels] as const);
    // display-message can fall back to another target when this one vanished: check the id.
    if (f.window_id !== windowId) return null;
    return {
      windowId: f.window_id,
      sessionId: f.session_id,
      width: Number(f.window_width),
      height: Number(f.window_height),
      mainPane: f[OPT.main],
      isOverflow: f[OPT.overflow] === '1',
      labels: f[OPT.labels] === '1',
    };
  } catch (err) {
    if (err instanceof TmuxError && err.isMissingTarget) return null;
    throw err;
  }
}

export interface PaneInfo {
  paneId: string;
  windowId: string;
  sessionId: string;
  taskId: string;
  home: string;
  dead: boolean;
  pid: number;
}

/** Where a pane is now, or null when it no longer exists. */
export async function paneInfo(client: TmuxClient, paneId: string): Promise<PaneInfo | null> {
  try {
    const f = await client.displayFields(paneId, ['pane_id', 'window_id', 'session_id', OPT.task, OPT.home, 'pane_dead', 'pane_pid'] as const);
    // display-message -t %N of a vanished pane fails; a stale id can also resolve to nothing.
    if (f.pane_id !== paneId) return null;
    return { paneId: f.pane_id, windowId: f.window_id, sessionId: f.session_id, taskId: f[OPT.task], home: f[OPT.home], dead: f.pane_dead === '1', pid: Number(f.pane_pid) };
  } catch (err) {
    if (err instanceof TmuxError && err.isMissingTarget) return null;
    throw err;
  }
}

/** The split direction that keeps both halves usable: side by side when the pane is wide. */
export function splitFlag(p: { width: number; height: number }): '-h' | '-v' {
  return p.width >= 2 * p.height ? '-h' : '-v';
}

export interface SplitOptions {
  flag?: '-h' | '-v';
  /** Columns (-h) or rows (-v) of the new pane: its planned size, so the layout after it moves nothing. */
  size?: number;
  /** Commands run in the same tmux invocation first: the panes see one resize, not one per command. */
  before?: string[][];
}

/** Splits `target` without taking focus; the new pane runs the placeholder. */
export async function splitPane(client: TmuxClient, target: PaneGeometry, cwd: string, opts: SplitOptions = {}): Promise<string> {
  const size = opts.size ? ['-l', String(opts.size)] : [];
  const split = ['split-window', '-d', opts.flag ?? splitFlag(target), ...size, '-t', target.paneId, '-c', cwd, '-P', '-F', '#{pane_id}', '--', ...PLACEHOLDER];
  return client.runAll([...(opts.before ?? []), split]);
}

/** A new window (not selected) whose only pane runs the placeholder. */
export async function newWindow(client: TmuxClient, sessionId: string, name: string, cwd: string): Promise<{ windowId: string; paneId: string }> {
  const out = await client.run(['new-window', '-d', '-t', `${sessionId}:`, '-n', escapeFormat(name), '-c', cwd, '-P', '-F', '#{window_id} #{pane_id}', '--', ...PLACEHOLDER]);
  const [windowId = '', paneId = ''] = out.split(' ');
  return { windowId, paneId };
}

/** tmux runs a one-element command through the shell; `env -- cmd` keeps it a plain exec. */
export function execArgv(command: readonly string[]): string[] {
  if (command.length === 0) throw new Error('an agent pane needs a command (argv array), got an empty one');
  return command.length === 1 ? ['env', '--', command[0]!] : [...command];
}

export interface TagInfo {
  taskId: string;
  seq: string;
  home: string;
  title: string;
}

/**
 * Tags a placeholder pane, lets `beforeStart` lay the window out (so the command starts at its final
 * size: a pane that shrinks after its output pushes the top lines out of view), then replaces the
 * placeholder with the real command. Returns its pid.
 */
export async function startInPane(client: TmuxClient, paneId: string, tag: TagInfo, command: readonly string[], cwd: string, beforeStart?: () => Promise<void>): Promise<number> {
  await client.runAll([
    ['set-option', '-p', '-t', paneId, OPT.task, tag.taskId],
    ['set-option', '-p', '-t', paneId, OPT.seq, tag.seq],
    ...(tag.home ? [['set-option', '-p', '-t', paneId, OPT.home, tag.home]] : []),
    ['set-option', '-p', '-t', paneId, 'remain-on-exit', 'on'],
    // select-pane -T expands formats (#(...) would run a command): the title goes escaped. The
    // border label is our own copy: agents retitle their pane with escape sequences.
    ['select-pane', '-t', paneId, '-T', escapeFormat(tag.title)],
    ['set-option', '-p', '-t', paneId, OPT.label, escapeFormat(tag.title)],
  ]);
  await beforeStart?.();
  const pid = await client.runAll([
    ['respawn-pane', '-k', '-t', paneId, '-c', cwd, '--', ...execArgv(command)],
    ['display-message', '-p', '-t', paneId, '#{pane_pid}'],
  ]);
  return Number(pid);
}

/** kill-pane that does not mind the pane being gone already. */
export async function killPane(client: TmuxClient, paneId: string): Promise<void> {
  try {
    await client.run(['kill-pane', '-t', paneId]);
  } catch (err) {
    if (!(err instanceof TmuxError && err.isMissingTarget)) throw err;
  }
}
