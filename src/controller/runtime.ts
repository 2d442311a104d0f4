// What the controller holds for one running task: its log tails, parser, timers, and how it ends.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { TaskPaths } from '../core/paths.js';
import type { Task } from '../core/task.js';
import { FileTail } from '../liveness/tail.js';
import { TaskMonitor } from '../liveness/monitor.js';
import type { ActivityFile } from '../liveness/watcher.js';
import { readExitRecord, type ExitRecord } from '../runner/exit-record.js';
import { processAlive } from '../runner/kill.js';
import { createParser, type OutputParser, type ParseState } from '../runner/parsers/index.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import type { BackgroundTaskOptions } from '../config/schema.js';
import type { Placer } from './placer.js';

/** Progress reaches subscribers at most this often per task. */
const PROGRESS_EVERY_MS = 100;
const PREVIEW_CHARS = 500;

export interface RuntimeInit {
  task: Task;
  paths: TaskPaths;
  profile: AgentProfile | undefined;
  options: BackgroundTaskOptions;
  lastActivity: number;
  onProgress(patch: Pick<Task, 'progress' | 'usage'>): void;
  /** output.log grew (throttled like progress): followers read the new bytes. */
  onOutput(): void;
  onEnd(patch: Partial<Task>): void;
  outcome(current: Task, exit: ExitRecord, parsed: ParseState): Partial<Task>;
  current(): Task | undefined;
}

export function resultPreview(text: string): string | null {
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, PREVIEW_CHARS) : null;
}

export class TaskRuntime {
  pid: number | null;
  placer: Placer | undefined;
  /** The runner wrote exit.json: nothing is left to kill. */
  exitedCleanly = false;
  /** No exit event of our own child covers this runner (see Engine.watchVanishing). */
  orphan = false;
  private readonly parser: OutputParser;
  private readonly tails: Partial<Record<ActivityFile, FileTail>>;
  private readonly monitor: TaskMonitor;
  private progressTimer: NodeJS.Timeout | undefined;
  private outputTimer: NodeJS.Timeout | undefined;
  private ending = false;

  constructor(private readonly init: RuntimeInit) {
    const { task, paths, profile, options } = init;
    this.pid = task.pid;
    this.parser = createParser(profile?.output ?? 'plain', { cwd: task.cwd });
    const feed = (chunk: Buffer) => {
      if (this.parser.feed(chunk)) this.progressSoon();
    };
    const fromEvents = profile?.events_from === 'events-file';
    this.tails = fromEvents
      ? { events: new FileTail(paths.events, feed), output: new FileTail(paths.output, () => {}) }
      : { output: new FileTail(paths.output, feed) };
    const idlePattern = profile?.idle_pattern ? new RegExp(profile.idle_pattern) : null;
    this.monitor = new TaskMonitor(
      {
        staleMs: options.staleTimeoutMs,
        stabilityMs: profile?.completion === 'idle' ? options.stabilityMs : null,
        deadline: task.timeoutMs ? (task.startedAt ?? Date.now()) + task.timeoutMs : null,
      },
      {
        stale: (quiet) => this.finish({ state: 'interrupt', reason: `no output for ${formatDuration(quiet)} (staleTimeoutMs): the agent looks hung` }),
        timeout: () => this.finish({ state: 'error', reason: `timed out after ${formatDuration(task.timeoutMs ?? 0)}` }),
        idle: () => void this.idle(idlePattern),
      },
      init.lastActivity,
    );
    // Catch up with anything written before the watcher was in place (and after a restart).
    for (const tail of Object.values(this.tails)) void tail.read();
  }

  /**
   * Quiet for the stability window. chokidar folds change events that come within a few ms of each
   * other, so the last lines may not have been read: read them first. New bytes are activity, and
   * the window starts again.
   */
  private async idle(pattern: RegExp | null): Promise<void> {
    const before = Object.values(this.tails).reduce((n, t) => n + t.position, 0);
    await Promise.all(Object.values(this.tails).map((t) => t.read()));
    if (Object.values(this.tails).reduce((n, t) => n + t.position, 0) !== before) return this.monitor.activity();
    if (pattern && !pattern.test(this.parser.state.step ?? '')) return;
    await this.finish({ state: 'completed', reason: `idle for ${formatDuration(this.init.options.stabilityMs)}` });
  }

  activity(file: ActivityFile): void {
    this.monitor.activity();
    void this.tails[file]?.read();
    if (file === 'output' && !this.outputTimer) {
      this.outputTimer = setTimeout(() => {
        this.outputTimer = undefined;
        this.init.onOutput();
      }, PROGRESS_EVERY_MS);
    }
  }

  private progressSoon(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      this.init.onProgress(this.progressPatch());
    }, PROGRESS_EVERY_MS);
  }

  private progressPatch(): Pick<Task, 'progress' | 'usage'> {
    const s = this.parser.state;
    const usage = { inputTokens: s.inputTokens, outputTokens: s.outputTokens, ...(s.costUsd !== undefined ? { costUsd: s.costUsd } : {}) };
    const progress = { step: s.step, toolCalls: s.toolCalls, percent: s.percent, lastActivityAt: Date.now() - this.monitor.quietMs };
    return { progress, usage };
  }

  /** exit.json appeared: read the rest of the output, then decide how the attempt ended. */
  async exited(): Promise<void> {
    if (this.ending) return;
    const exit = readExitRecord(this.init.paths.exit);
    // The runner renames a complete file into place, so an unreadable one will not get better.
    if (!exit) return this.finish({ state: 'error', reason: `the runner's exit record ${this.init.paths.exit} is unreadable` });
    this.ending = true;
    this.exitedCleanly = true;
    await this.settle(async () => {
      await this.drain();
      const current = this.init.current();
      if (!current) return;
      const patch = this.init.outcome(current, exit, this.parser.state);
      this.init.onEnd(patch.state === 'pending' ? { ...patch, ...this.progressPatch() } : this.withResult(patch));
    });
  }

  /** The runner's process is gone: an exit record may still be on its way, else it vanished. */
  checkVanished(): void {
    if (this.ending) return;
    if (existsSync(this.init.paths.exit)) {
      void this.exited();
      return;
    }
    if (this.pid !== null && processAlive(this.pid)) return;
    void this.finish({
      state: 'error',
      reason: `the runner (pid ${this.pid}) vanished without an exit record: killed with SIGKILL, or its pane or tmux server was killed`,
    });
  }

  private async finish(patch: Partial<Task>): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    await this.settle(async () => {
      await this.drain();
      this.init.onEnd(this.withResult({ ...patch, endedAt: Date.now() }));
    });
  }

  /**
   * Runs an ending step; if reading the output or the result fails (an agent may leave anything in
   * its folder), the task still ends, as an error saying why, instead of staying running.
   */
  private async settle(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      this.init.onEnd({ state: 'error', reason: `ending the task failed: ${(err as Error).message}`, endedAt: Date.now() });
    }
  }

  private async drain(): Promise<void> {
    await Promise.all(Object.values(this.tails).map((t) => t.read()));
    this.parser.end();
  }

  /** The result: what the agent wrote to result.md itself, else what the parser found. */
  private withResult(patch: Partial<Task>): Partial<Task> {
    const { result } = this.init.paths;
    let text = existsSync(result) && statSync(result).size > 0 ? readFileSync(result, 'utf8') : '';
    if (!text && this.parser.state.result) {
      text = this.parser.state.result;
      writeFileAtomic(result, text.endsWith('\n') ? text : `${text}\n`, 0o600);
    }
    return { ...patch, ...this.progressPatch(), resultPreview: resultPreview(text) };
  }

  stop(): void {
    this.monitor.stop();
    clearTimeout(this.progressTimer);
    clearTimeout(this.outputTimer);
  }
}
