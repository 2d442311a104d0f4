// Chooses each task's placement and runs the runner there: a tmux pane beside the launcher, or headless.
import { spawnSync } from 'node:child_process';
import { formatDuration } from '../config/duration.js';
import type { Config } from '../config/schema.js';
import { taskPaths } from '../core/paths.js';
import type { Task } from '../core/task.js';
import { RUNNER_SCRIPT } from '../runner/prepare.js';
import { TmuxClient } from '../tmux/client.js';
import { PaneManager } from '../tmux/pane-manager.js';
import { headlessPlacer, type Placer } from './placer.js';

function banner(task: Task): string[] {
  const took = task.startedAt && task.endedAt ? ` · ${formatDuration(task.endedAt - task.startedAt)}` : '';
  const code = task.exitCode !== null ? ` · exit ${task.exitCode}` : '';
  const lines = [`── panecrew ${task.id}: ${task.state}${code}${took} ──`];
  if (task.reason) lines.push(task.reason);
  return lines;
}

class PanePlacer implements Placer {
  private readonly managers = new Map<string, PaneManager>();

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
      mgr = new PaneManager(new TmuxClient(socket ? { socketPath: socket } : {}), this.config.tmux, this.log);
      this.managers.set(socket, mgr);
    }
    return mgr;
  }

  async start(task: Task, taskDir: string) {
    const opened = await this.manager(task).open({
      taskId: task.id,
      title: task.title,
      agent: task.agent,
      command: ['bash', RUNNER_SCRIPT, taskDir, 'pane'],
      cwd: task.cwd,
      mainPane: task.origin.tmuxPane,
      requested: task.requestedPlacement === 'window' ? 'window' : 'pane',
    });
    return { pid: opened.pid, placement: opened.placement, paneId: opened.paneId };
  }

  ended(task: Task, before: Task): void {
    const paneId = before.paneId;
    if (!paneId) return;
    const mgr = this.manager(before);
    this.log(`${task.id} ${task.state}: ${task.state === 'cancelled' ? 'closing' : 'finishing'} pane ${paneId}`);
    const done =
      task.state === 'cancelled'
        ? mgr.kill(paneId, task.id)
        : mgr.finish(paneId, {
            banner: banner(task),
            keep: this.config.tmux.keep_failed_panes && task.state !== 'completed' && task.state !== 'pending',
            outputFile: taskPaths(this.tasksDir, task.id).output,
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
}

function tmuxInstalled(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export function createPlacers(config: Config, env: NodeJS.ProcessEnv, tasksDir: string, log: (m: string) => void): { placerFor(task: Task): Placer } {
  const panes = config.tmux.enabled && tmuxInstalled() ? new PanePlacer(config, env, tasksDir, log) : null;
  if (config.tmux.enabled && !panes) log('tmux is not installed: every task runs headless');
  return {
    placerFor: (task) => (panes && task.requestedPlacement !== 'headless' && task.placement !== 'headless' ? panes : headlessPlacer),
  };
}
