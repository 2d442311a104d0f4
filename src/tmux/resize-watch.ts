// Window resizes reach the pane manager at once, without polling: the windows it lays out carry a
// window-resized hook that signals a tmux wait-for channel, and one `tmux wait-for` client per
// server waits on it. A signal sent while nobody waits is kept by tmux for the next waiter.
import type { TmuxClient } from './client.js';

export const RESIZE_CHANNEL = 'panecrew-window-resized';

/** What the window-resized hook runs: fixed text only. */
export const RESIZE_HOOK = `wait-for -S ${RESIZE_CHANNEL}`;

export class ResizeWatch {
  private waiting: { cancel(): void } | null = null;
  private stopped = false;
  private signalled = false;

  constructor(
    private readonly client: TmuxClient,
    private readonly onResize: () => void,
  ) {}

  /** Starts waiting unless already waiting; a wait that ended without a signal (server gone) stops until the next start. */
  start(): void {
    if (this.waiting || this.stopped) return;
    // A controller killed with SIGKILL leaves its waiter behind, which would take the next resize's
    // signal: the first signal wakes it (and may wake ours, a harmless extra relayout).
    if (!this.signalled) void this.client.run(['wait-for', '-S', RESIZE_CHANNEL]).catch(() => {});
    this.signalled = true;
    const wait = this.client.waitFor(RESIZE_CHANNEL);
    this.waiting = wait;
    void wait.done.then((signalled) => {
      this.waiting = null;
      if (!signalled || this.stopped) return;
      this.onResize();
      this.start();
    });
  }

  stop(): void {
    this.stopped = true;
    this.waiting?.cancel();
    this.waiting = null;
  }
}
