// Border labels: the windows panecrew manages show each agent pane's task id, agent, title and
// state in its top border (pane-border-status), and get the window's own settings back when the
// last agent leaves. Only fixed text goes into the border format; the label itself lives in pane
// options, which tmux shows without expanding (#{...} and #(...) stay text, `#` is doubled for
// the border's style parser).
import type { TmuxClient } from './client.js';
import { OPT } from './pane-ops.js';
import { readBorders, type Borders } from './snapshot.js';

const BORDER_FORMAT = `#{?${OPT.task}, #{${OPT.label}}#{?${OPT.state}, · #{${OPT.state}},} , #{pane_title} }`;

/** Window options panecrew turns on, and where it keeps the window's own values meanwhile. */
const BORDER_OPTIONS = [
  ['pane-border-status', 'top', '@panecrew_saved_border_status', 'status', 'savedStatus'],
  ['pane-border-format', BORDER_FORMAT, '@panecrew_saved_border_format', 'format', 'savedFormat'],
] as const;

/** A window panecrew just created: no border options of its own. */
export const FRESH_WINDOW_BORDERS: Borders = { status: '', format: '', savedStatus: '', savedFormat: '' };

/**
 * The commands that turn labels on in the window (none when they are on already). `borders`: the
 * window's border options when the caller read them already (readSnapshot), else they are read.
 */
export async function labelsOnCommands(client: TmuxClient, windowId: string, on: boolean, borders?: Borders): Promise<string[][]> {
  return on ? [] : labelsOn(windowId, borders ?? (await readBorders(client, windowId)));
}

/** Turns labels on, keeping the window's own border options (if any) to give back later. */
export function labelsOn(windowId: string, borders: Borders): string[][] {
  const commands: string[][] = [['set-option', '-w', '-t', windowId, OPT.labels, '1']];
  for (const [name, value, saved, own] of BORDER_OPTIONS) {
    // Empty when the window has no value of its own (it follows the global one).
    if (borders[own]) commands.push(['set-option', '-w', '-t', windowId, saved, borders[own]]);
    commands.push(['set-option', '-w', '-t', windowId, name, value]);
  }
  return commands;
}

/** The commands that give the window its own border settings back (none when labels are off). */
export async function labelsOffCommands(client: TmuxClient, windowId: string, on: boolean, borders?: Borders): Promise<string[][]> {
  if (!on) return [];
  const values = borders ?? (await readBorders(client, windowId));
  const commands: string[][] = [['set-option', '-uw', '-t', windowId, OPT.labels]];
  for (const [name, , saved, , savedKey] of BORDER_OPTIONS) {
    const own = values[savedKey];
    commands.push(own ? ['set-option', '-w', '-t', windowId, name, own] : ['set-option', '-uw', '-t', windowId, name]);
    if (own) commands.push(['set-option', '-uw', '-t', windowId, saved]);
  }
  return commands;
}
