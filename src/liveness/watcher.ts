// Watches the folders of running tasks: exit.json appearing ends a task at once; output.log /
// events.jsonl changing is activity (and new progress to parse).
//
// One chokidar FSWatcher per running task, closed when the task ends. (A single shared watcher with
// add/unwatch is what we had first, but chokidar keeps every unwatched path in its ignore list and
// tests each later event against all of them, so a long-lived controller slowed with every task.)
import { EventEmitter } from 'node:events';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export type ActivityFile = 'output' | 'events' | 'signals' | 'result';

export interface WatcherEvents {
  exit: [taskId: string];
  activity: [taskId: string, file: ActivityFile];
}

const ACTIVITY: Record<string, ActivityFile> = { 'output.log': 'output', 'events.jsonl': 'events', 'signals.jsonl': 'signals', 'result.md': 'result' };
const WATCHED = new Set(['exit.json', ...Object.keys(ACTIVITY)]);

export class TaskWatcher extends EventEmitter<WatcherEvents> {
  private readonly watchers = new Map<string, FSWatcher>();

  /** `onError`: a watcher failed (EMFILE, ENOSPC for inotify): without a listener chokidar's error
   *  would take the whole controller down; the task's liveness check still sees it end. */
  constructor(
    private readonly tasksDir: string,
    private readonly onError: (taskId: string, err: Error) => void = () => {},
  ) {
    super();
  }

  private onFile(taskId: string, path: string): void {
    const name = basename(path);
    if (name === 'exit.json') this.emit('exit', taskId);
    else if (name in ACTIVITY) this.emit('activity', taskId, ACTIVITY[name]!);
  }

  add(taskId: string): void {
    if (this.watchers.has(taskId)) return;
    // ignoreInitial stays false on purpose: chokidar starts watching the folder and then lists it,
    // so an exit.json written before the watch was in place is still reported.
    const dir = join(this.tasksDir, taskId);
    // Only the files that mean something are looked at: chokidar stats every file it is not told to
    // ignore, and a task folder holds several the runner only reads.
    const ignored = (p: string) => p !== dir && !WATCHED.has(basename(p));
    const w = watch(dir, { ignoreInitial: false, depth: 0, atomic: false, ignored });
    w.on('add', (p) => this.onFile(taskId, p));
    w.on('change', (p) => this.onFile(taskId, p));
    w.on('error', (err) => this.onError(taskId, err instanceof Error ? err : new Error(String(err))));
    this.watchers.set(taskId, w);
  }

  remove(taskId: string): void {
    const w = this.watchers.get(taskId);
    if (!w) return;
    this.watchers.delete(taskId);
    void w.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }
}
