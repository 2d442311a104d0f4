// Per-task timers: the stale timeout, the stability window of agents that go idle without exiting, and
// the task's own timeout. Activity only records a time; each timer re-arms itself lazily when it fires
// early, so a chatty agent costs no timer churn.

/** setTimeout fires at once for delays over 2^31-1 ms (~24.8 days): longer waits re-arm. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` at `at` (epoch ms), however far away that is. */
export function timerAt(at: number, fn: () => void): { clear(): void } {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = at - Date.now();
    timer = setTimeout(() => (at - Date.now() > 0 ? arm() : fn()), Math.max(0, Math.min(wait, MAX_TIMER_MS)));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}

export interface MonitorOptions {
  /** 0: no stale timeout. */
  staleMs: number;
  /** Set for agents whose completion is `idle`. */
  stabilityMs: number | null;
  /** Absolute deadline (epoch ms) of the task's timeout, if any. */
  deadline: number | null;
}

export interface MonitorHandlers {
  /** Quiet for the stale timeout. Return true when another sign of life says the task is alive
   *  (it used CPU): that counts as activity and the timeout starts again. */
  stale(quietMs: number): boolean | void;
  idle(): void;
  timeout(): void;
}

export class TaskMonitor {
  private lastActivity: number;
  private staleTimer: { clear(): void } | undefined;
  private idleTimer: { clear(): void } | undefined;
  private timeoutTimer: { clear(): void } | undefined;
  private idleReported = false;

  constructor(
    private readonly options: MonitorOptions,
    private readonly handlers: MonitorHandlers,
    lastActivity = Date.now(),
  ) {
    this.lastActivity = lastActivity;
    this.armStale();
    this.armIdle();
    if (options.deadline !== null) this.timeoutTimer = timerAt(options.deadline, () => handlers.timeout());
  }

  get quietMs(): number {
    return Date.now() - this.lastActivity;
  }

  activity(at = Date.now()): void {
    this.lastActivity = at;
    if (this.idleReported) {
      this.idleReported = false;
      this.armIdle();
    }
  }

  private armStale(): void {
    if (this.options.staleMs === 0) return;
    this.staleTimer = timerAt(this.lastActivity + this.options.staleMs, () => {
      if (this.quietMs < this.options.staleMs) return this.armStale();
      if (this.handlers.stale(this.quietMs) !== true) return;
      this.activity();
      this.armStale();
    });
  }

  private armIdle(): void {
    const window = this.options.stabilityMs;
    if (window === null) return;
    this.idleTimer?.clear();
    this.idleTimer = timerAt(this.lastActivity + window, () => {
      if (this.quietMs >= window) {
        this.idleReported = true;
        this.handlers.idle();
      } else this.armIdle();
    });
  }

  stop(): void {
    this.staleTimer?.clear();
    this.idleTimer?.clear();
    this.timeoutTimer?.clear();
  }
}
