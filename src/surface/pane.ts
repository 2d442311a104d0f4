// Panes: each attempt's runner in a tmux pane beside the pane it was launched from (or in the overflow
// window, or the detached panecrew session), one pane manager per tmux server.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatDuration } from '../core/duration.js';
import type { Config } from '../config/schema.js';
import type { Attempt, Task } from '../core/task.js';
import { TmuxClient } from '../tmux/client.js';
import { PaneManager } from '../tmux/pane-manager.js';
import { headlessSurface } from './headless.js';
import type { Moved, Surface } from './surface.js';

function banner(task: Task, attempt: Attempt): string[] {
  const took = attempt.endedAt ? ` · ${formatDuration(attempt.endedAt - attempt.startedAt)}` : '';
  const code = attempt.exitCode != null ? ` · exit ${attempt.exitCode}` : '';
  const lines = [`── panecrew ${task.id}: ${task.state}${code}${took} ──`];
  if (task.reason) lines.push(task.reason);
  return lines;
}

class PaneSurface implements Surface {
  readonly mode = 'pane' as const;
  private readonly managers = new Map<string, PaneManager>();
  private readonly movedListeners: Array<(move: Moved) => void> = [];

  constructor(
    private readonly config: Config,
    private readonly controllerEnv: NodeJS.ProcessEnv,
    private readonly tasksDir: string,
    private readonly log: (m: string) => void,
  ) {}

  /** One pane manager per tmux server: the launcher's (from its $TMUX), else the controller's default. */
  private manager(task: Task): PaneManager {
    const socket = task.origin.tmuxSocket ?? this.controllerEnv.TMUX?.split(',')[0] ?? '';
    let mgr = this.managers.get(socket);
    if (!mgr) {
      mgr = new PaneManager(new TmuxClient(socket ? { socketPath: socket } : {}, { timeoutMs: this.config.tmux.command_timeout_ms }), this.config.tmux, this.log);
      mgr.onPlacement((c) => {
        for (const l of this.movedListeners) l({ taskId: c.taskId, paneId: c.paneId, placement: c.placement, note: c.reason ?? null });
      });
      this.managers.set(socket, mgr);
    }
    return mgr;
  }

  /** Labels are a courtesy: a failure is logged, never fatal. */
  private label(task: Task, paneId: string, state: string): void {
    this.manager(task)
      .setLabel(paneId, task.id, state)
      .catch((err: unknown) => this.log(`labelling pane ${paneId} of ${task.id} failed: ${(err as Error).message}`));
  }

  async host({ task, argv }: { task: Task; argv: string[] }) {
    const opened = await this.manager(task).open({
      taskId: task.id,
      title: task.title,
      agent: task.agent,
      command: argv,
      cwd: task.cwd,
      mainPane: task.origin.tmuxPane,
      requested: task.requestedPlacement === 'window' ? 'window' : 'pane',
    });
    this.label(task, opened.paneId, 'running');
    return { pid: opened.pid, placement: opened.placement, paneId: opened.paneId, note: opened.overflowReason ?? null };
  }

  ended(task: Task, attempt: Attempt): void {
    const paneId = attempt.paneId;
    if (!paneId) return;
    const mgr = this.manager(task);
    this.log(`${task.id} ${task.state}: ${task.state === 'cancelled' ? 'closing' : 'finishing'} pane ${paneId}`);
    if (task.state !== 'cancelled') this.label(task, paneId, task.state);
    const done =
      task.state === 'cancelled'
        ? mgr.kill(paneId, task.id)
        : mgr.finish(paneId, {
            banner: banner(task, attempt),
            keep: this.config.tmux.keep_failed_panes && task.state !== 'completed' && task.state !== 'pending',
            outputFile: join(this.tasksDir, task.id, 'output.log'),
            taskId: task.id,
          });
    done.then(
      () => this.log(`${task.id}: pane ${paneId} tidied`),
      (err: unknown) => this.log(`tmux: tidying pane ${paneId} of ${task.id} failed: ${(err as Error).message}`),
    );
  }

  async locate(task: Task) {
    const pane = (await this.manager(task).listTagged()).find((p) => p.taskId === task.id && !p.dead);
    return pane ? { paneId: pane.paneId, pid: pane.pid } : null;
  }

  async focus(task: Task): Promise<void> {
    if (task.paneId) await this.manager(task).focus(task.paneId, task.id);
  }

  /** Every tmux server the known tasks came from (and the controller's own) is swept. */
  async tidy(isActive: (taskId: string) => boolean, tasks: Iterable<Task>): Promise<void> {
    const seen = new Set<string>();
    for (const task of [...tasks, { origin: {} } as Task]) {
      const mgr = this.manager(task);
      const key = task.origin.tmuxSocket ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const closed = await mgr.tidyLeftovers(isActive);
        if (closed.length) this.log(`closed ${closed.length} pane(s) left from ended tasks: ${closed.join(', ')}`);
      } catch (err) {
        this.log(`tidying the panes of ${key || 'the default tmux server'} failed: ${(err as Error).message}`);
      }
    }
  }

  onMoved(listener: (move: Moved) => void): void {
    this.movedListeners.push(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.managers.values()].map((m) => m.dispose()));
  }
}

function tmuxInstalled(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface Surfaces {
  surfaceFor(task: Task): Surface;
  /** Each surface that exists (headless always, panes when tmux is enabled). */
  all(): Surface[];
  close(): Promise<void>;
}

/** Panes when tmux is enabled and installed and the task did not ask to run headless. */
export function createSurfaces(config: Config, env: NodeJS.ProcessEnv, tasksDir: string, log: (m: string) => void): Surfaces {
  const panes = config.tmux.enabled && tmuxInstalled() ? new PaneSurface(config, env, tasksDir, log) : null;
  if (config.tmux.enabled && !panes) log('tmux is not installed: every task runs headless');
  return {
    surfaceFor: (task) => (panes && task.requestedPlacement !== 'headless' && task.placement !== 'headless' ? panes : headlessSurface),
    all: () => (panes ? [panes, headlessSurface] : [headlessSurface]),
    close: async () => panes?.close(),
  };
}
