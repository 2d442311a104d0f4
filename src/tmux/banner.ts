// The ending banner: the pane is respawned with a fixed script that shows the agent's last output
// and the outcome, and stays alive until the pane closes.
import type { TmuxClient } from './client.js';

/** Shows $1's last $2 lines (when $1 is set), then the remaining arguments one per line, and stays. */
const BANNER_SCRIPT = '[ -n "$1" ] && tail -n "$2" -- "$1"; shift 2; printf "%s\\n" "$@"; exec sleep 2147483647';

/**
 * Shows the tail of the output file when the caller has one, else the rows tmux has on screen, then
 * the banner lines, in a pane `height` rows high; `before` runs in the same tmux call first.
 * Everything variable goes in as positional arguments of the fixed script, never into its text.
 *
 * Why not leave the dead pane as it is: tmux can drop the last bytes a process wrote just before it
 * exited (the pty reports EOF before everything was read), so neither the agent's final lines nor a
 * banner printed by a process that exits at once are reliably on screen. A live process and the
 * output file avoid both. tmux's "Pane is dead" line is switched off with an empty
 * remain-on-exit-format for when the user ends the script by hand.
 */
export async function showBanner(client: TmuxClient, paneId: string, height: number, banner: string[], outputFile?: string, before: string[][] = []): Promise<void> {
  const rows = Math.max(0, height - banner.length - 1);
  let lines: string[] = [];
  if (!outputFile) {
    // History too (-S -): a pane that shrank after its output pushed its top rows there. Rows as
    // drawn (no -J), so each is at most the pane's width and the respawn stays far under tmux's
    // 16 KB command limit.
    // No -e: colour codes would make rows longer than the pane is wide.
    const screen = await client.run(['capture-pane', '-p', '-S', '-', '-t', paneId]);
    lines = screen.split('\n');
    while (lines.length > 0 && (lines[lines.length - 1]!.trim() === '' || /^Pane is dead/.test(lines[lines.length - 1]!))) lines.pop();
    lines = rows ? lines.slice(-rows) : [];
  }
  await client.runAll([
    ...before,
    ['set-option', '-p', '-t', paneId, 'remain-on-exit', 'on'],
    ['set-option', '-p', '-t', paneId, 'remain-on-exit-format', ''],
    ['respawn-pane', '-k', '-t', paneId, '--', 'sh', '-c', BANNER_SCRIPT, 'panecrew-banner', outputFile ?? '', String(rows), ...lines, '\u001b[0m', ...banner],
  ]);
}
