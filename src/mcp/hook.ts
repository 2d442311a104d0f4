// The Claude Code UserPromptSubmit hook: notices of background tasks that ended and that the main
// agent has not read yet. It must be fast and never fail the prompt, so it never starts the
// controller and gives up quietly after a short deadline.
import { ControllerClient } from '../controller/client.js';
import type { ListedTask } from '../controller/protocol.js';

export const HOOK_DEADLINE_MS = 2_000;

const firstLine = (text: string | null | undefined): string =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';

export function notice(t: ListedTask): string {
  const verb = t.state === 'completed' ? 'completed' : t.state === 'cancelled' ? 'was cancelled' : 'failed';
  const line = t.state === 'completed' ? firstLine(t.resultPreview) : firstLine(t.reason) || firstLine(t.resultPreview);
  const shown = line.length > 200 ? `${line.slice(0, 197)}...` : line;
  return `🔔 Background task ${t.id} ${verb}${shown ? `: ${shown}` : ''}`;
}

/**
 * The endings not yet collected by the main agent of this pane (`$TMUX_PANE`, or `headless` outside
 * tmux), marked collected as they are returned so each is announced once. Empty when no controller
 * answers within the deadline.
 */
export async function uncollectedNotices(env: NodeJS.ProcessEnv, deadlineMs = HOOK_DEADLINE_MS): Promise<string[]> {
  let client: ControllerClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    client = await ControllerClient.connect({ env, autostart: false });
    const ended = await client.request<ListedTask[]>({ op: 'uncollected', origin: env.TMUX_PANE || 'headless', mark: true });
    return ended.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0)).map(notice);
  })();
  const expired = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), deadlineMs)));
  try {
    return await Promise.race([work.catch(() => []), expired]);
  } finally {
    clearTimeout(timer);
    client?.close();
  }
}
