// Border labels: the windows panecrew manages show each agent pane's task id, agent, title and
// state in its top border (pane-border-status), and get the window's own settings back when the
// last agent leaves. Only fixed text goes into the border format; the label itself lives in pane
// options, which tmux shows without expanding (#{...} and #(...) stay text, `#` is doubled for
// the border's style parser).
import { escapeFormat, type TmuxClient } from './client.js';
import { OPT } from './pane-ops.js';

const BORDER_FORMAT = `#{?${OPT.task}, #{${OPT.label}}#{?${OPT.state}, · #{${OPT.state}},} , #{pane_title} }`;

/** Window options panecrew turns on, and where it keeps the window's own values meanwhile. */
const BORDER_OPTIONS = [
  ['pane-border-status', 'top', '@panecrew_saved_border_status'],
  ['pane-border-format', BORDER_FORMAT, '@panecrew_saved_border_format'],
] as const;

/** The commands that turn labels on in the window (none when they are on already; `on` when the caller knows). */
export async function labelsOnCommands(client: TmuxClient, windowId: string, on?: boolean): Promise<string[][]> {
  if (on ?? (await client.display(windowId, `#{${OPT.labels}}`)) === '1') return [];
  const commands: string[][] = [['set-option', '-w', '-t', windowId, OPT.labels, '1']];
  for (const [name, value, saved] of BORDER_OPTIONS) {
    // -q: empty when the window has no value of its own (it follows the global one).
    const own = await client.run(['show-options', '-wqv', '-t', windowId, name]);
    if (own) commands.push(['set-option', '-w', '-t', windowId, saved, own]);
    commands.push(['set-option', '-w', '-t', windowId, name, value]);
  }
  return commands;
}

/** The commands that give the window its own border settings back. */
export async function labelsOffCommands(client: TmuxClient, windowId: string): Promise<string[][]> {
  if ((await client.display(windowId, `#{${OPT.labels}}`)) !== '1') return [];
  const commands: string[][] = [['set-option', '-uw', '-t', windowId, OPT.labels]];
  for (const [name, , saved] of BORDER_OPTIONS) {
    const own = await client.display(windowId, `#{${saved}}`);
    commands.push(own ? ['set-option', '-w', '-t', windowId, name, own] : ['set-option', '-uw', '-t', windowId, name]);
    if (own) commands.push(['set-option', '-uw', '-t', windowId, saved]);
  }
  return commands;
}

/** Sets the state shown after the label; an empty state shows none. */
export function stateCommand(paneId: string, state: string): string[] {
  return state ? ['set-option', '-p', '-t', paneId, OPT.state, escapeFormat(state)] : ['set-option', '-up', '-t', paneId, OPT.state];
}
