// The notifier: task changes in, batched and throttled notifications out through every channel.
// onTaskChange only records and arms a timer; delivery happens later and never reaches the caller.
import type { Origin, Task } from '../core/task.js';
import { buildMessage, type NotifyItem } from './message.js';
import type { ChannelHealth, ChannelReport, Notification } from './notification.js';
import type { NotificationOptions } from './options.js';
import { GuardedChannel } from './channel-guard.js';
import { TaskClassifier } from './strategy.js';
import { createDesktopChannel } from './desktop.js';
import { createTmuxChannel } from './tmux-channel.js';
import { createBellChannel } from './bell.js';
import { createCommandChannel } from './command.js';

export interface NotifierDeps {
  log(msg: string): void;
  /** Tasks of this origin (see originKeyOf) still pending or running, this change included. */
  activeCountFor(originKey: string): number;
  /** The tmux server socket for a task whose origin does not name one. */
  tmuxSocketFor?(task: Task): string | undefined;
  /** Merged over process.env for every program a channel runs (notify-send, tmux, the command). */
  env?: NodeJS.ProcessEnv;
}

export const HEADLESS_ORIGIN = 'headless';

/** Groups tasks by the pane that launched them; "all background tasks complete" is per group. */
export function originKeyOf(task: Pick<Task, 'origin'>): string {
  return task.origin.tmuxPane ?? HEADLESS_ORIGIN;
}

interface OriginTarget {
  tmuxSocket?: string;
  tmuxPane?: string;
}

export class Notifier {
  private readonly classifier: TaskClassifier;
  private readonly desktop: GuardedChannel;
  private readonly tmux: GuardedChannel;
  private readonly bell: GuardedChannel;
  private readonly command: GuardedChannel;
  private pending: NotifyItem[] = [];
  /** Origins where a task ended since the last flush: candidates for "all done". */
  private endedOrigins = new Map<string, OriginTarget>();
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly options: NotificationOptions,
    private readonly deps: NotifierDeps,
  ) {
    this.classifier = new TaskClassifier(options);
    const env = deps.env ? { ...process.env, ...deps.env } : undefined;
    const log = (msg: string) => this.safeLog(msg);
    this.desktop = new GuardedChannel(createDesktopChannel({ sound: options.desktop.sound, env }), options.desktop.enabled, log);
    this.tmux = new GuardedChannel(createTmuxChannel({ durationMs: options.tmux.duration_ms, env }), options.tmux.enabled, log);
    this.bell = new GuardedChannel(createBellChannel({ env }), options.bell.enabled, log);
    this.command = new GuardedChannel(
      createCommandChannel({ argv: options.command.argv, timeoutMs: options.command.timeout_ms, env }),
      options.command.enabled,
      log,
    );
  }

  private get channels(): GuardedChannel[] {
    return [this.desktop, this.tmux, this.bell, this.command];
  }

  onTaskChange(task: Task, previous: Task | undefined): void {
    if (this.closed || this.options.strategy === 'silent') return;
    try {
      const { ended, item } = this.classifier.classify(task, previous);
      if (ended) this.endedOrigins.set(originKeyOf(task), this.targetOf(task));
      if (item) this.enqueue(item);
      // What is learnt of a task after its change was queued (a worktree's change summary) is sent
      // with it when it arrives before the batch goes out.
      else this.pending = this.pending.map((p) => (p.task.id === task.id && p.kind === 'ended' ? { ...p, task } : p));
      if (item || (ended && this.options.all_done)) this.schedule();
    } catch (err) {
      this.safeLog(`notify: could not handle the change of task ${task.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A plan's phase completed (the controller knows plans): delivered like an ending. */
  onPlanPhase(item: Extract<NotifyItem, { kind: 'phase' }>): void {
    if (this.closed || this.options.strategy === 'silent') return;
    this.enqueue(item);
    this.schedule();
  }

  /** Sends one notification through every channel and says what happened to it. */
  async test(origin?: Origin): Promise<ChannelReport[]> {
    const n: Notification = {
      title: 'panecrew test notification',
      body: 'If you can read this, notifications reach you.',
      urgency: 'normal',
      tasks: [],
      tmuxSocket: origin?.tmuxSocket,
      tmuxPane: origin?.tmuxPane,
    };
    return Promise.all(this.channels.map((c) => this.track(c.deliver(n))));
  }

  health(): ChannelHealth[] {
    return this.channels.map((c) => c.health());
  }

  /** Sends what is still waiting for its batch window, then waits for deliveries in flight. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flush();
    }
    this.closed = true;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private enqueue(item: NotifyItem): void {
    // A newer item about the same task supersedes a waiting progress item: one line per task.
    this.pending = this.pending.filter((p) => !(p.task.id === item.task.id && p.kind === 'progress'));
    this.pending.push(item);
  }

  private schedule(): void {
    if (this.timer) return;
    const now = Date.now();
    const delay = Math.max(this.options.batch_window_ms, this.lastFlushAt + this.options.throttle_ms - now, 0);
    this.timer = setTimeout(() => this.flush(), delay);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const items = this.pending;
    const ended = this.endedOrigins;
    this.pending = [];
    this.endedOrigins = new Map();

    const allDone = new Map<string, OriginTarget>();
    if (this.options.all_done) {
      for (const [key, target] of ended) if (this.activeCount(key) === 0) allDone.set(key, target);
    }
    if (items.length === 0 && allDone.size === 0) return;
    this.lastFlushAt = Date.now();
    const urgencyOnError = this.options.desktop.urgency_on_error;

    // Desktop and command: one notification for everything, wherever it was launched from.
    const origins = new Map<string, OriginTarget>(allDone);
    for (const item of items) origins.set(originKeyOf(item.task), this.targetOf(item.task));
    const only = origins.size === 1 ? [...origins.values()][0] : undefined;
    const global: Notification = {
      ...buildMessage({ items, allDone: allDone.size > 0, urgencyOnError }),
      tasks: uniqueTasks(items),
      ...only,
    };
    this.dispatch(this.desktop, global);
    this.dispatch(this.command, global);

    // tmux and bell: each launching pane hears about its own tasks only.
    for (const [key, target] of origins) {
      if (!target.tmuxPane) continue;
      const own = items.filter((i) => originKeyOf(i.task) === key);
      const n: Notification = {
        ...buildMessage({ items: own, allDone: allDone.has(key), urgencyOnError }),
        tasks: uniqueTasks(own),
        ...target,
      };
      this.dispatch(this.tmux, n);
      // Progress and starts do not ring: a bell is for something that needs a look.
      if (n.urgency !== 'low') this.dispatch(this.bell, n);
    }
  }

  private dispatch(channel: GuardedChannel, n: Notification): void {
    if (!channel.enabled) return;
    void this.track(channel.deliver(n));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private targetOf(task: Task): OriginTarget {
    const tmuxPane = task.origin.tmuxPane;
    if (!tmuxPane) return {};
    const tmuxSocket = task.origin.tmuxSocket ?? this.deps.tmuxSocketFor?.(task);
    return tmuxSocket ? { tmuxSocket, tmuxPane } : { tmuxPane };
  }

  private activeCount(key: string): number {
    try {
      return this.deps.activeCountFor(key);
    } catch (err) {
      this.safeLog(`notify: activeCountFor(${key}) failed: ${err instanceof Error ? err.message : String(err)}`);
      return Number.POSITIVE_INFINITY;
    }
  }

  private safeLog(msg: string): void {
    try {
      this.deps.log(msg);
    } catch {
      // a broken logger must not break notifications
    }
  }
}

function uniqueTasks(items: NotifyItem[]): Task[] {
  const byId = new Map<string, Task>();
  for (const i of items) byId.set(i.task.id, i.task);
  return [...byId.values()];
}
