// What the pane manager knows of a tmux server before it acts: every window and pane (with our
// options), and the border options of the windows it may relabel, read in ONE tmux call. Each tmux
// call starts a client process; reading pane, window, neighbours and labels one call at a time was
// most of the time a launch took (issue 16).
import { FIELD_SEPARATOR, type TmuxClient } from './client.js';
import { OPT } from './pane-ops.js';

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

export interface PaneRow {
  paneId: string;
  windowId: string;
  taskId: string;
  seq: string;
  /** The window an overflow pane belongs to. */
  home: string;
  dead: boolean;
  pid: number;
  /** Its position in the window, counted from pane-base-index: `@window.index` names it. */
  index: number;
  width: number;
  height: number;
}

/** A window's own border options and the ones panecrew saved while its labels are on (labels.ts). */
export interface Borders {
  status: string;
  format: string;
  savedStatus: string;
  savedFormat: string;
}

const WINDOW_FIELDS = ['window_id', 'session_id', 'window_width', 'window_height', OPT.main, OPT.overflow, OPT.labels] as const;
const PANE_FIELDS = ['pane_id', 'window_id', OPT.task, OPT.seq, OPT.home, 'pane_dead', 'pane_pid', 'pane_index', 'pane_width', 'pane_height'] as const;
const BORDER_OPTIONS = ['pane-border-status', 'pane-border-format', '@panecrew_saved_border_status', '@panecrew_saved_border_format'] as const;

const format = (fields: readonly string[]) => fields.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);

/** -q: an option the window has no value of its own for prints nothing. */
function borderQueries(target: string): string[][] {
  return BORDER_OPTIONS.map((name) => ['show-options', '-wqv', '-t', target, name]);
}

function bordersFrom(values: string[]): Borders {
  const [status = '', format = '', savedStatus = '', savedFormat = ''] = values;
  return { status, format, savedStatus, savedFormat };
}

/** The border options of one window (or of a pane's window), in one call. */
export async function readBorders(client: TmuxClient, target: string): Promise<Borders> {
  return bordersFrom(await client.runEach(borderQueries(target)));
}

export class Snapshot {
  constructor(
    readonly windows: readonly WindowInfo[],
    /** Every pane of the server, each once, in window order. */
    readonly panes: readonly PaneRow[],
    /** Border options by the target they were read for (a window id, or a pane id for its window). */
    readonly borders: ReadonlyMap<string, Borders>,
  ) {}

  window(windowId: string): WindowInfo | undefined {
    return this.windows.find((w) => w.windowId === windowId);
  }

  pane(paneId: string): PaneRow | undefined {
    return this.panes.find((p) => p.paneId === paneId);
  }

  panesIn(windowId: string): PaneRow[] {
    return this.panes.filter((p) => p.windowId === windowId);
  }

  /** Agent panes of this home window that wait elsewhere (the overflow window), oldest and live first. */
  waitingFor(homeWindowId: string): PaneRow[] {
    return this.panes
      .filter((p) => p.taskId && p.home === homeWindowId && p.windowId !== homeWindowId)
      .sort((a, b) => Number(a.dead) - Number(b.dead) || a.seq.localeCompare(b.seq));
  }

  overflowOf(sessionId: string): WindowInfo | undefined {
    return this.windows.find((w) => w.isOverflow && w.sessionId === sessionId);
  }
}

/**
 * Every window and pane of the server, and the border options of `bordersOf` (window or pane ids),
 * in one tmux call. Rejects with a TmuxError when a `bordersOf` target does not exist
 * (isMissingTarget) or no server runs (isNoServer).
 */
export async function readSnapshot(client: TmuxClient, bordersOf: readonly string[] = []): Promise<Snapshot> {
  const [windowLines = '', paneLines = '', ...borderValues] = await client.runEach([
    ['list-windows', '-a', '-F', format(WINDOW_FIELDS)],
    ['list-panes', '-a', '-F', format(PANE_FIELDS)],
    ...bordersOf.flatMap(borderQueries),
  ]);
  // A window linked into several sessions is listed once per session: the first listing counts.
  const windows = new Map<string, WindowInfo>();
  for (const line of lines(windowLines)) {
    const [windowId = '', sessionId = '', width, height, main = '', overflow, labels] = line.split(FIELD_SEPARATOR);
    if (!windows.has(windowId)) windows.set(windowId, { windowId, sessionId, width: Number(width), height: Number(height), mainPane: main, isOverflow: overflow === '1', labels: labels === '1' });
  }
  const panes = new Map<string, PaneRow>();
  for (const line of lines(paneLines)) {
    const [paneId = '', windowId = '', taskId = '', seq = '', home = '', dead, pid, index, width, height] = line.split(FIELD_SEPARATOR);
    if (!panes.has(paneId)) panes.set(paneId, { paneId, windowId, taskId, seq, home, dead: dead === '1', pid: Number(pid), index: Number(index), width: Number(width), height: Number(height) });
  }
  const borders = new Map(bordersOf.map((target, i) => [target, bordersFrom(borderValues.slice(i * 4, i * 4 + 4))]));
  return new Snapshot([...windows.values()], [...panes.values()], borders);
}

function lines(out: string): string[] {
  return out === '' ? [] : out.split('\n');
}
