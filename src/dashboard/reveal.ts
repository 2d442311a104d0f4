// After the controller focused a task's pane: select-window/select-pane change only what that pane's
// session shows. When the pane is in another session of the dashboard's own tmux server (e.g. the
// detached `panecrew` session), the dashboard's client is switched there, so Enter always shows it.
import type { ListedTask } from '../controller/protocol.js';
import { TmuxClient } from '../tmux/client.js';
import { OPT } from '../tmux/pane-ops.js';

/** Shows the task's pane on the dashboard's tmux client if needed; resolves with a note for the message line. */
export async function revealPane(env: NodeJS.ProcessEnv, task: ListedTask): Promise<string> {
  const focused = `focused ${task.id} in pane ${task.paneId}`;
  const socket = env.TMUX?.split(',')[0];
  if (!socket || !task.paneId) return focused;
  if (task.origin.tmuxSocket && task.origin.tmuxSocket !== socket) return `${focused} of the tmux server ${task.origin.tmuxSocket}`;
  const tmux = new TmuxClient({ socketPath: socket });
  // The dashboard's own pane; in a popup (no TMUX_PANE) tmux finds the client from $TMUX itself.
  const own = env.TMUX_PANE ? ['-t', env.TMUX_PANE] : [];
  const [mine, theirs] = await Promise.all([
    tmux.run(['display-message', '-p', ...own, '#{session_id} #{client_tty}']).catch(() => null),
    tmux.displayFields(task.paneId, ['session_id', 'session_name', OPT.task] as const).catch(() => null),
  ]);
  const [session, clientTty] = mine?.split(' ') ?? [];
  // Pane ids are per server: a pane of that id that is not the task's belongs to another server.
  if (!session || !theirs || theirs[OPT.task] !== task.id || theirs.session_id === session) return focused;
  const hint = `${focused}, in session ${theirs.session_name}: switch with prefix s or tmux switch-client -t ${task.paneId}`;
  if (!clientTty) return hint;
  try {
    await tmux.run(['switch-client', '-c', clientTty, '-t', task.paneId]);
    return `${focused} (session ${theirs.session_name})`;
  } catch {
    return hint;
  }
}
