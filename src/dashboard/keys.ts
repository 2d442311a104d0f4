// Keys → a new state and, for what needs the controller, an action. Pure, like the view.
import { isFinal } from '../core/task.js';
import { move, reselect, selected, visibleTasks, type DashboardState } from './state.js';

export type Action =
  | { kind: 'quit' }
  | { kind: 'focus' }
  | { kind: 'cancel'; taskId: string }
  | { kind: 'relaunch' };

export interface KeyInfo {
  name?: string;
  full: string;
  ctrl: boolean;
}

export interface KeyResult {
  state: DashboardState;
  action?: Action;
}

/** Lines an output-view page scrolls. */
const OUTPUT_PAGE = 20;

function movement(s: DashboardState, name: string | undefined, ch: string | undefined, page: number): DashboardState | null {
  const rows = visibleTasks(s).length;
  if (name === 'down' || ch === 'j') return move(s, 1);
  if (name === 'up' || ch === 'k') return move(s, -1);
  if (name === 'pagedown') return move(s, page);
  if (name === 'pageup') return move(s, -page);
  if (name === 'home' || ch === 'g') return move(s, -rows);
  if (name === 'end' || ch === 'G') return move(s, rows);
  return null;
}

export function handleKey(s: DashboardState, ch: string | undefined, key: KeyInfo, page: number): KeyResult {
  if (key.full === 'C-c') return { state: s, action: { kind: 'quit' } };
  const name = key.name;
  // blessed reports one Enter twice, as 'enter' and then 'return' (program.js): acting on both made
  // the Enter that closes the filter or the help also focus a pane. Only 'return' counts.
  if (name === 'enter') return { state: s };
  const o = s.overlay;

  if (o.kind === 'help') return { state: { ...s, overlay: { kind: 'none' } } };

  if (o.kind === 'confirm-cancel') {
    const next = { ...s, overlay: { kind: 'none' } as const };
    return ch === 'y' || ch === 'Y' ? { state: next, action: { kind: 'cancel', taskId: o.taskId } } : { state: { ...next, message: { text: 'not cancelled', error: false } } };
  }

  if (o.kind === 'filter') {
    if (name === 'escape') return { state: reselect({ ...s, filter: '', overlay: { kind: 'none' } }, s) };
    if (name === 'return') return { state: { ...s, overlay: { kind: 'none' } } };
    if (name === 'backspace') return { state: reselect({ ...s, filter: [...s.filter].slice(0, -1).join('') }, s) };
    if (name === 'down' || name === 'up') return { state: move(s, name === 'down' ? 1 : -1) };
    if (ch && !key.ctrl && ch >= ' ' && ch !== '\x7f') return { state: reselect({ ...s, filter: s.filter + ch }, s) };
    return { state: s };
  }

  if (o.kind === 'output') {
    // `scroll` is null while following the end; `top` is the first row last shown (the view clamps).
    const at = (scroll: number | null): KeyResult => ({ state: { ...s, overlay: { ...o, scroll } } });
    if (name === 'escape' || ch === 'q' || ch === 'o') return { state: { ...s, overlay: { kind: 'none' } } };
    if (name === 'down' || ch === 'j') return o.scroll === null ? { state: s } : at(o.top + 1);
    if (name === 'up' || ch === 'k') return at(Math.max(0, o.top - 1));
    if (name === 'pagedown' || ch === ' ') return o.scroll === null ? { state: s } : at(o.top + OUTPUT_PAGE);
    if (name === 'pageup') return at(Math.max(0, o.top - OUTPUT_PAGE));
    if (name === 'home' || ch === 'g') return at(0);
    if (name === 'end' || ch === 'G') return at(null);
    return { state: s };
  }

  const moved = movement(s, name, ch, page);
  if (moved) return { state: moved };
  const t = selected(s);
  switch (ch) {
    case 'q':
      return { state: s, action: { kind: 'quit' } };
    case '?':
      return { state: { ...s, overlay: { kind: 'help' } } };
    case '/':
      return { state: { ...s, overlay: { kind: 'filter' }, message: null } };
    case 'a':
      return { state: reselect({ ...s, showFinished: !s.showFinished }, s) };
    case 'o':
      return t ? { state: { ...s, overlay: { kind: 'output', scroll: null, top: 0 } } } : { state: s };
    case 'c':
      if (!t) return { state: s };
      if (isFinal(t.state)) return { state: { ...s, message: { text: `${t.id} has already ended (${t.state})`, error: true } } };
      return { state: { ...s, overlay: { kind: 'confirm-cancel', taskId: t.id }, message: null } };
    case 'r':
      return t ? { state: s, action: { kind: 'relaunch' } } : { state: s };
  }
  if (name === 'return' && t) return { state: s, action: { kind: 'focus' } };
  if (name === 'escape' && s.filter) return { state: reselect({ ...s, filter: '' }, s) };
  return { state: s };
}
