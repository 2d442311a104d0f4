// The Claude Code UserPromptSubmit hook: notices of background tasks that ended and that the main
// agent has not read yet. It must be fast and never fail the prompt, so it never starts the
// controller and gives up quietly after a short deadline.
import { firstLine } from '../core/text.js';
import { ControllerClient } from '../controller/client.js';
import type { ListedTask } from '../controller/protocol.js';

export const HOOK_DEADLINE_MS = 2_000;

/** ` (title)`, cut at 60 characters; '' without one. */
export const titled = (t: ListedTask): string => (t.title ? ` (${t.title.length > 60 ? `${t.title.slice(0, 57)}...` : t.title})` : '');

export function notice(t: ListedTask): string {
  const verb = t.state === 'completed' ? 'completed' : t.state === 'cancelled' ? 'was cancelled' : 'failed';
  const line = (t.state === 'completed' ? firstLine(t.resultPreview) : (firstLine(t.reason) ?? firstLine(t.resultPreview))) ?? '';
  const shown = line.length > 200 ? `${line.slice(0, 197)}...` : line;
  return `🔔 Background task ${t.id}${titled(t)} ${verb}${shown ? `: ${shown}` : ''}`;
}

/**
 * Announces the endings not yet collected by the main agent of this pane (`$TMUX_PANE`, or
 * `headless` outside tmux), each once: reads them without marking, hands their notices to `write`,
 * and only then marks exactly those tasks collected — so a notice is never marked without being
 * written. `write` is called at most once, and never after the deadline; when the deadline passes
 * while marking, the unmarked ones are announced again next time (a repeat, never a loss). Resolves
 * by the deadline at the latest; the connection is closed in every path. `settled`, if given, gets
 * the promise of all the work, which ends once the connection is closed and nothing more will happen.
 */
export async function announceUncollected(
  env: NodeJS.ProcessEnv,
  write: (notices: string[]) => void,
  deadlineMs = HOOK_DEADLINE_MS,
  settled?: (work: Promise<void>) => void,
  /** The main agent's session id (from the hook's input): then the endings are claimed for it, the
   *  way the rewake waiter claims them, so the two never tell the same one. */
  session?: string,
): Promise<void> {
  let client: ControllerClient | undefined;
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    client = await ControllerClient.connect({ env, autostart: false });
    if (expired) return;
    if (session) {
      // A claim is recorded before it is answered: told at most once, even if the deadline cuts in.
      const { tasks } = await client.request({ op: 'claim', session, pane: env.TMUX_PANE || 'headless' });
      // Asked for (the person typed): told whatever the strategy, which governs only the wakes.
      if (!expired && tasks.length) write(tasks.map(notice));
      return;
    }
    const ended = await client.request({ op: 'uncollected', origin: env.TMUX_PANE || 'headless', mark: false });
    if (expired || !ended.length) return;
    write(ended.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0)).map(notice));
    // `result` with collect marks one task read (and no other that ended meanwhile).
    const c = client;
    await Promise.all(ended.map((t) => c.request({ op: 'result', taskId: t.id, collect: true })));
  })()
    .catch(() => {})
    .finally(() => client?.close());
  settled?.(work);
  const deadline = new Promise<void>(
    (resolve) =>
      (timer = setTimeout(() => {
        expired = true;
        client?.close();
        resolve();
      }, deadlineMs)),
  );
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The notices announceUncollected would write (already marked collected): the caller prints them. */
export async function uncollectedNotices(env: NodeJS.ProcessEnv, deadlineMs = HOOK_DEADLINE_MS): Promise<string[]> {
  const notices: string[] = [];
  await announceUncollected(env, (n) => notices.push(...n), deadlineMs);
  return notices;
}
