// The life of the control connection that a TmuxClient and its withTimeout copies share: attached on
// demand, detached when idle or at shutdown, and, after a refusal, not tried again for a while.
import type { TmuxControl } from './control.js';

/**
 * A control connection unused this long detaches. While attached, tmux counts it among the session's
 * clients (`tmux ls` says attached), and until the person next presses a key it is the session's
 * "best" client: the one a tmux command with no client of its own (no -c, not run from a key) acts on.
 */
export const CONTROL_IDLE_MS = 10_000;

/** A session whose attach failed is not tried again for this long. */
export const CONTROL_RETRY_MS = 30_000;

export class ControlLink {
  private control: TmuxControl | null = null;
  private opening = false;
  private stopped = false;
  /** The session of the last attach: resume attaches there again. */
  sessionId: string | null = null;
  /** The attaching client's idle time. */
  private idleMs = CONTROL_IDLE_MS;
  /** A session whose attach failed (an old tmux without attach -f, the session gone) is not tried again before retryAt. */
  private failed: { sessionId: string; retryAt: number } | null = null;
  /** A refusal was reported (onRefused) and no attach has succeeded since. */
  private refusedSaid = false;
  private idle: NodeJS.Timeout | undefined;

  /** Attaches with `open` unless attached, attaching, stopped or refused lately; never fails. */
  attach(sessionId: string, idleMs: number, open: () => Promise<TmuxControl>, onRefused?: (err: Error) => void): void {
    if (this.control?.alive || this.opening || this.stopped) return;
    if (this.failed?.sessionId === sessionId && Date.now() < this.failed.retryAt) return;
    this.opening = true;
    this.sessionId = sessionId;
    this.idleMs = idleMs;
    open().then(
      (control) => {
        this.opening = false;
        if (this.stopped) return control.close();
        this.control = control;
        this.refusedSaid = false;
        control.onClose(() => {
          if (this.control === control) this.control = null;
        });
        this.touch();
      },
      (err: Error) => {
        this.opening = false; // calls go on spawning clients meanwhile
        this.failed = { sessionId, retryAt: Date.now() + CONTROL_RETRY_MS };
        if (!this.refusedSaid) onRefused?.(err);
        this.refusedSaid = true;
      },
    );
  }

  get attached(): boolean {
    return this.control?.alive === true;
  }

  /** The live connection for a call (its idle time starts again), or null: the call spawns a client. */
  forCall(): TmuxControl | null {
    if (!this.control?.alive) return null;
    this.touch();
    return this.control;
  }

  /** Detaches for good (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.idle);
    this.control?.close();
  }

  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.control?.close(), this.idleMs).unref();
  }
}
