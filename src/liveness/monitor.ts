// Per-task timers: the stale timeout, the stability window of agents that go idle without exiting, and
// the task's own timeout. Activity only records a time; each timer re-arms itself lazily when it fires
// early, so a chatty agent costs no timer churn.

export interface MonitorOptions {
  staleMs: number;
  /** Set for agents whose completion is `idle`. */
  stabilityMs: number | null;
  /** Absolute deadline (epoch ms) of the task's timeout, if any. */
  deadline: number | null;
}

export interface MonitorHandlers {
  stale(quietMs: number): void;
  idle(): void;
  timeout(): void;
}

export class TaskMonitor {
  private lastActivity: number;
  private staleTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private idleReported = false;

  constructor(
    private readonly options: MonitorOptions,
    private readonly handlers: MonitorHandlers,
    lastActivity = Date.now(),
  ) {
    this.lastActivity = lastActivity;
    this.armStale();
    this.armIdle();
    if (options.deadline !== null) {
      this.timeoutTimer = setTimeout(() => handlers.timeout(), Math.max(0, options.deadline - Date.now()));
    }
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
    const wait = Math.max(0, this.lastActivity + this.options.staleMs - Date.now());
    this.staleTimer = setTimeout(() => {
      if (this.quietMs >= this.options.staleMs) this.handlers.stale(this.quietMs);
      else this.armStale();
    }, wait);
  }

  private armIdle(): void {
    const window = this.options.stabilityMs;
    if (window === null) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.quietMs >= window) {
        this.idleReported = true;
        this.handlers.idle();
      } else this.armIdle();
    }, Math.max(0, this.lastActivity + window - Date.now()));
  }

  stop(): void {
    clearTimeout(this.staleTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.timeoutTimer);
  }
}
