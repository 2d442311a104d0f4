// Panes: each attempt's runner in a tmux pane beside the pane it was launched from (or in the overflow
// window, or the detached panecrew session), one pane manager per tmux server.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatDuration } from '../core/duration.js';
import type { Config } from '../config/schema.js';
import type { Attempt, RequestedPlacement, Task } from '../core/task.js';
import { TmuxClient, TmuxError } from '../tmux/client.js';
import type { InputBoxName } from '../tmux/input-boxes.js';
import { loadLayout } from '../tmux/layouts.js';
import { PaneManager, type OpenedPane, type OpenPaneRequest } from '../tmux/pane-manager.js';
import { shownOutput } from '../runner/prepare.js';
import { createHeadlessSurface } from './headless.js';
import type { Hosted, HostRequest, Moved, Surface } from './surface.js';

function banner(task: Task, attempt: Attempt): string[] {
  const took = attempt.endedAt ? ` · ${formatDuration(attempt.endedAt - attempt.startedAt)}` : '';
  const code = attempt.exitCode != null ? ` · exit ${attempt.exitCode}` : '';
  const lines = [`── panecrew ${task.id}: ${task.state}${code}${took} ──`];
  if (task.reason) lines.push(task.reason);
  return lines;
}

class PaneSurface implements Surface {
  readonly terminal = true;
  private readonly managers = new Map<string, PaneManager>();
  /** Tasks whose pane is on the controller's tmux server because their launching server was gone. */
  private readonly rehomed = new Map<string, string>();
  private readonly movedListeners: Array<(move: Moved) => void> = [];

  constructor(
    private readonly config: Config,
    private readonly controllerEnv: NodeJS.ProcessEnv,
    private readonly tasksDir: string,
    private readonly log: (m: string) => void,
    private readonly headless: Surface,
  ) {}

  /** The controller's own tmux server: its $TMUX, else tmux's default socket. */
  private get ownSocket(): string {
    return this.controllerEnv.TMUX?.split(',')[0] ?? '';
  }

  /** The server a task's pane is on: where it went, else the launcher's (from its $TMUX), else ours. */
  private socketOf(task: Task): string {
    return this.rehomed.get(task.id) ?? task.origin.tmuxSocket ?? this.ownSocket;
  }

  private manager(task: Task): PaneManager {
    return this.managerOf(this.socketOf(task));
  }

  /** One pane manager per tmux server. */
  private managerOf(socket: string): PaneManager {
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

  async host({ task, command }: HostRequest): Promise<Hosted> {
    const request: OpenPaneRequest = {
      taskId: task.id,
      title: task.title,
      agent: task.agent,
      command: command('pane'),
      cwd: task.cwd,
      mainPane: task.origin.tmuxPane,
      requested: task.requestedPlacement === 'window' ? 'window' : 'pane',
      state: 'running',
    };
    const origin = task.origin.tmuxSocket ?? this.ownSocket;
    this.rehomed.delete(task.id);
    try {
      return this.hosted(await this.managerOf(origin).open(request), null);
    } catch (err) {
      if (!(err instanceof TmuxError && err.isNoServer)) throw err;
      return this.hostElsewhere(task, request, command, origin);
    }
  }

  /**
   * The launching tmux server died while the task waited: the controller's own server's detached
   * session takes it (as for a launch from outside tmux), else it runs headless. The note says which.
   */
  private async hostElsewhere(task: Task, request: OpenPaneRequest, command: HostRequest['command'], origin: string): Promise<Hosted> {
    const gone = `the tmux server it was launched from (${origin || "tmux's default"}) is gone`;
    let why = '';
    if (origin !== this.ownSocket) {
      try {
        const opened = await this.managerOf(this.ownSocket).open({ ...request, mainPane: undefined });
        this.rehomed.set(task.id, this.ownSocket);
        const where = `it runs in the detached "${this.config.tmux.session}" session of the controller's tmux server (panecrew attach)`;
        this.log(`task ${task.id}: ${gone}; ${where}`);
        return this.hosted(opened, `${gone}; ${where}`);
      } catch (err) {
        why = `, and the controller's tmux server cannot take it (${(err as Error).message})`;
      }
    }
    const note = `${gone}${why}; it runs headless`;
    this.log(`task ${task.id}: ${note}`);
    return { ...(await this.headless.host({ task, command })), note };
  }

  private hosted(opened: OpenedPane, note: string | null): Hosted {
    const notes = [note, opened.overflowReason].filter(Boolean).join('; ');
    return { pid: opened.pid, placement: opened.placement, paneId: opened.paneId, note: notes || null };
  }

  ended(task: Task, attempt: Attempt): void {
    const paneId = attempt.paneId;
    if (!paneId) return;
    const mgr = this.manager(task);
    this.log(`${task.id} ${task.state}: ${task.state === 'cancelled' ? 'closing' : 'finishing'} pane ${paneId}`);
    const done =
      task.state === 'cancelled'
        ? mgr.kill(paneId, task.id)
        : mgr.finish(paneId, {
            banner: banner(task, attempt),
            keep: this.config.tmux.keep_failed_panes && task.state !== 'completed' && task.state !== 'pending',
            outputFile: shownOutput(join(this.tasksDir, task.id)),
            taskId: task.id,
            state: task.state,
          });
    done.then(
      () => this.log(`${task.id}: pane ${paneId} tidied`),
      (err: unknown) => this.log(`tmux: tidying pane ${paneId} of ${task.id} failed: ${(err as Error).message}`),
    );
  }

  /** After a restart: on the launcher's server, else on ours (where it went if the launcher's was gone). */
  async locate(task: Task) {
    for (const socket of new Set([this.socketOf(task), this.ownSocket])) {
      let panes;
      try {
        panes = await this.managerOf(socket).listTagged();
      } catch (err) {
        if (err instanceof TmuxError && err.isNoServer) continue;
        throw err;
      }
      const pane = panes.find((p) => p.taskId === task.id && !p.dead);
      if (!pane) continue;
      if (socket !== this.socketOf(task)) this.rehomed.set(task.id, socket);
      return { paneId: pane.paneId, pid: pane.pid };
    }
    return null;
  }

  exitLeft(task: Task, paneId: string): Promise<number | null> {
    return this.manager(task).exitLeft(paneId, task.id);
  }

  deliver(task: Task, paneId: string, text: string, box?: InputBoxName): Promise<void> {
    return this.manager(task).deliver(paneId, text, box);
  }

  async focus(task: Task): Promise<void> {
    if (task.paneId) await this.manager(task).focus(task.paneId, task.id);
  }

  /** Every tmux server the known tasks came from (and the controller's own) is swept. */
  async tidy(isActive: (taskId: string) => boolean, tasks: Iterable<Task>): Promise<void> {
    const seen = new Set<string>();
    for (const task of [...tasks, { origin: {} } as Task]) {
      const mgr = this.manager(task);
      const key = this.socketOf(task);
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

  async ready(requested: RequestedPlacement): Promise<void> {
    if (requested === 'window') return; // a window of its own has no layout to apply
    const { layout, layouts_dir } = this.config.tmux;
    try {
      await loadLayout(layout, layouts_dir);
    } catch (err) {
      throw new Error(`${(err as Error).message}. Fix tmux.layout in your configuration (panecrew config show says where it is set), or launch with --placement headless`);
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
  surfaceFor(task: Pick<Task, 'requestedPlacement' | 'placement'>): Surface;
  /** Each surface that exists (headless always, panes when tmux is enabled). */
  all(): Surface[];
  close(): Promise<void>;
}

/** Panes when tmux is enabled and installed and the task did not ask to run headless. */
export function createSurfaces(config: Config, env: NodeJS.ProcessEnv, tasksDir: string, log: (m: string) => void): Surfaces {
  const headless = createHeadlessSurface();
  const panes = config.tmux.enabled && tmuxInstalled() ? new PaneSurface(config, env, tasksDir, log, headless) : null;
  if (config.tmux.enabled && !panes) log('tmux is not installed: every task runs headless');
  return {
    surfaceFor: (task) => (panes && task.requestedPlacement !== 'headless' && task.placement !== 'headless' ? panes : headless),
    all: () => (panes ? [panes, headless] : [headless]),
    close: async () => {
      await panes?.close();
      await headless.close();
    },
  };
}
