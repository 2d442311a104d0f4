// The local executor: the runner (native/runner.c) runs on this machine; one inotify watch per running
// attempt reports exit.json and activity, tails deliver the new bytes, /proc judges liveness.
import { readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileTail } from '../liveness/tail.js';
import { readCapHead } from '../runner/output-cap.js';
import { TaskWatcher } from '../liveness/watcher.js';
import { readExitRecord, readStartedRecord, type ExitRecord } from '../runner/exit-record.js';
import { killGroup, processAlive } from '../runner/kill.js';
import { RUNNER } from '../runner/native.js';
import { groupCpuTicks, openFiles, processesHolding } from '../system/proc.js';
import type { Executor, ObserveHandlers, Observation, RunnerRef, TailedFile } from './executor.js';

/** Runners that are not this controller's children (panes, adopted after a restart) have no exit
 *  event to wait on when they die without writing exit.json (SIGKILL): check those this often. */
const GONE_CHECK_MS = 1_000;

/** Guards against pid reuse: the live process must be this task's runner, which holds a file of its
 *  folder open for its whole life (fd 8) and, when started as a program of its own (in a pane; the
 *  spawner runs a headless one in a fork of itself), has the folder in its arguments. Paths are
 *  compared as /proc shows them: real paths. */
function isRunnerOf(pid: number, dir: string): boolean {
  if (!processAlive(pid)) return false;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true; // no /proc: trust the live pid
  }
  if (argv.includes(dir)) return true;
  const inside = `${realDir(dir)}/`;
  return openFiles(pid).some((file) => file.startsWith(inside));
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** What recovery writes in the claim of a start it gives up. */
const GIVEN_UP = 'given-up';

/** The pid a runner wrote in its start claim (or a symlink to it, from earlier runners); null when
 *  there is none yet, or recovery gave the start up. */
function claimantOf(claim: string): number | null {
  let text: string;
  try {
    text = readlinkSync(claim);
  } catch {
    try {
      text = readFileSync(claim, 'utf8').trim();
    } catch {
      return null;
    }
  }
  const pid = Number(/^\d+$/.exec(text)?.[0]);
  return pid > 0 ? pid : null;
}

export class LocalExecutor implements Executor {
  private readonly watcher: TaskWatcher;
  private readonly observed = new Map<string, { dir: string; handlers: ObserveHandlers; tails: Record<TailedFile, FileTail> }>();
  private readonly orphans = new Map<object, () => void>();
  private goneTimer: NodeJS.Timeout | undefined;

  constructor(tasksDir: string, log: (m: string) => void) {
    this.watcher = new TaskWatcher(tasksDir, (id, err) => log(`watching ${id} failed: ${err.message}`));
    this.watcher.on('exit', (id) => this.observed.get(id)?.handlers.exit());
    this.watcher.on('activity', (id, file) => {
      const o = this.observed.get(id);
      if (!o) return;
      o.handlers.activity(file);
      if (file !== 'result') void o.tails[file].read();
    });
  }

  command(dir: string, mode: 'pane' | 'headless', token: string): string[] {
    return [RUNNER, dir, mode, token];
  }

  observe(taskId: string, dir: string, handlers: ObserveHandlers): Observation {
    const tails = {
      output: new FileTail(join(dir, 'output.log'), (chunk) => handlers.bytes('output', chunk), () => readCapHead(dir)),
      events: new FileTail(join(dir, 'events.jsonl'), (chunk) => handlers.bytes('events', chunk)),
      signals: new FileTail(join(dir, 'signals.jsonl'), (chunk) => handlers.bytes('signals', chunk)),
    };
    this.observed.set(taskId, { dir, handlers, tails });
    this.watcher.add(taskId);
    // Catch up with anything written before the watcher was in place (and after a restart), once the
    // caller holds the observation: the bytes may end the attempt, which closes it.
    queueMicrotask(() => {
      for (const tail of Object.values(tails)) void tail.read();
    });
    const position = () => tails.output.position + tails.events.position + tails.signals.position;
    return {
      drain: async () => {
        const before = position();
        await Promise.all(Object.values(tails).map((t) => t.read()));
        return position() - before;
      },
      close: () => {
        this.observed.delete(taskId);
        this.watcher.remove(taskId);
      },
    };
  }

  exitRecord(dir: string): ExitRecord | null | undefined {
    return readExitRecord(join(dir, 'exit.json'));
  }

  locate(dir: string): { pid: number } | null {
    const started = readStartedRecord(join(dir, 'started.json'));
    return started ? { pid: started.pid } : null;
  }

  giveUpStart(dir: string, token: string): number | null {
    const claim = join(dir, `start.${token}`);
    try {
      // A regular file, created only if there is none: the runner's own claim (noclobber) then fails.
      writeFileSync(claim, `${GIVEN_UP}\n`, { flag: 'wx', mode: 0o600 });
      return null;
    } catch (err) {
      // A folder gone or unwritable: no runner can claim the start either.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return null;
      return claimantOf(claim) ?? this.claimingRunner(claim) ?? claimantOf(claim);
    }
  }

  /** A runner that has made its claim but not yet written its pid in it (a moment between two calls):
   *  it holds the claim open. */
  private claimingRunner(claim: string): number | null {
    return processesHolding(join(realDir(dirname(claim)), basename(claim)))[0] ?? null;
  }

  alive(pid: number, dir: string): boolean {
    return isRunnerOf(pid, dir);
  }

  watchGone(runner: RunnerRef, dir: string, onGone: () => void): () => void {
    const check = () => {
      if (this.exitRecord(dir) !== undefined || !this.alive(runner.pid, dir)) onGone();
    };
    if (runner.child) return runner.child.onExit(check);
    const key = {};
    this.orphans.set(key, check);
    this.goneTimer ??= setInterval(() => {
      for (const c of [...this.orphans.values()]) c();
    }, GONE_CHECK_MS);
    return () => {
      this.orphans.delete(key);
      if (!this.orphans.size) {
        clearInterval(this.goneTimer);
        this.goneTimer = undefined;
      }
    };
  }

  cpuTime(pid: number): number | null {
    return groupCpuTicks(pid);
  }

  kill(pid: number, graceMs: number): boolean {
    // The runner leads the process group of everything it started.
    return killGroup(pid, graceMs);
  }

  async close(): Promise<void> {
    clearInterval(this.goneTimer);
    this.goneTimer = undefined;
    this.orphans.clear();
    await this.watcher.close();
  }
}
