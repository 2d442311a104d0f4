// Small tmux operations the pane manager is built from. Each names its target explicitly
// (`%pane`, `@window`, `$session`) and never takes focus.
import { escapeFormat, type TmuxClient } from './client.js';

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
  /** Pane option set by the runner: its exit status, when it could not write exit.json (a full disk). */
  exit: '@panecrew_exit',
} as const;

/**
 * What a new window's pane runs until its real command replaces it (respawn-pane -k): the window's
 * id is only known once it exists, and remain-on-exit and the task tag must be set before the real
 * command can exit, so that a fast-failing task still leaves a pane (and its output) behind. (A
 * split needs none: opening.ts names the new pane by its index in the same call.)
 */
const PLACEHOLDER = ['sleep', '86400'];

/** The split direction that keeps both halves usable: side by side when the pane is wide. */
export function splitFlag(p: { width: number; height: number }): '-h' | '-v' {
  return p.width >= 2 * p.height ? '-h' : '-v';
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
  /** Shown after the label in the border (labels.ts), e.g. "running". */
  state?: string;
}

/**
 * The commands that tag a new pane as the task's. They run in the same tmux call as its start and
 * its window's layout, so the command's output lands at the pane's final size: a pane that shrinks
 * after its output pushes the top lines out of view.
 */
export function tagCommands(paneId: string, tag: TagInfo): string[][] {
  return [
    ['set-option', '-p', '-t', paneId, OPT.task, tag.taskId],
    ['set-option', '-p', '-t', paneId, OPT.seq, tag.seq],
    ...(tag.home ? [['set-option', '-p', '-t', paneId, OPT.home, tag.home]] : []),
    ['set-option', '-p', '-t', paneId, 'remain-on-exit', 'on'],
    // select-pane -T expands formats (#(...) would run a command): the title goes escaped. The
    // border label is our own copy: agents retitle their pane with escape sequences.
    ['select-pane', '-t', paneId, '-T', escapeFormat(tag.title)],
    ['set-option', '-p', '-t', paneId, OPT.label, escapeFormat(tag.title)],
    ...(tag.state ? [stateCommand(paneId, tag.state)] : []),
  ];
}

/** Runs `before` (tags, layout), then replaces the placeholder with the real command; resolves with its pid. */
export async function startInPane(client: TmuxClient, paneId: string, command: readonly string[], cwd: string, before: string[][]): Promise<number> {
  const pid = await client.runAll([...before, ['respawn-pane', '-k', '-t', paneId, '-c', cwd, '--', ...execArgv(command)], ['display-message', '-p', '-t', paneId, '#{pane_pid}']]);
  return Number(pid);
}

/** Sets the state shown after the label; an empty state shows none. */
export function stateCommand(paneId: string, state: string): string[] {
  return state ? ['set-option', '-p', '-t', paneId, OPT.state, escapeFormat(state)] : ['set-option', '-up', '-t', paneId, OPT.state];
}
