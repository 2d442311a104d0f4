// Watches the folders of running tasks: exit.json written ends a task at once; output.log /
// events.jsonl / signals.jsonl / result.md changing is activity (and new bytes to read).
//
// One fs.watch (an inotify watch of the folder) per running task, closed when the task ends. chokidar
// did this before, at a cost paid on every task start: it listed the folder and stat'ed its files, and
// kept unwatched paths in an ignore list that every later event was tested against.
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export type ActivityFile = 'output' | 'events' | 'signals' | 'result';

export interface WatcherEvents {
  exit: [taskId: string];
  activity: [taskId: string, file: ActivityFile];
}

const ACTIVITY: Record<string, ActivityFile> = { 'output.log': 'output', 'events.jsonl': 'events', 'signals.jsonl': 'signals', 'result.md': 'result' };
/** A file's first change is reported at once; the changes in the next window are folded into one
 *  report at its end (a chatty agent writes thousands of times a second, each one an inotify event). */
export const ACTIVITY_WINDOW_MS = 50;

interface Watched {
  watcher: FSWatcher;
  /** Per file: the window open after a report, and whether something changed in it. */
  windows: Map<ActivityFile, { timer: NodeJS.Timeout; changed: boolean }>;
}

export class TaskWatcher extends EventEmitter<WatcherEvents> {
  private readonly watched = new Map<string, Watched>();

  /** `onError`: a watch could not be set up or failed (ENOSPC: out of inotify watches); the task's
   *  liveness check still sees it end. */
  constructor(
    private readonly tasksDir: string,
    private readonly onError: (taskId: string, err: Error) => void = () => {},
  ) {
    super();
  }

  /** Watches the task's folder. Only what is written from now on is reported: a caller that may have
   *  missed an exit.json written earlier reads it itself. */
  add(taskId: string): void {
    if (this.watched.has(taskId)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(join(this.tasksDir, taskId), (_event, name) => this.onFile(taskId, name));
    } catch (err) {
      this.onError(taskId, err as Error);
      return;
    }
    watcher.on('error', (err) => this.onError(taskId, err));
    this.watched.set(taskId, { watcher, windows: new Map() });
  }

  private onFile(taskId: string, name: string | null): void {
    if (name === 'exit.json') return void this.emit('exit', taskId);
    const file = name ? ACTIVITY[name] : undefined;
    const w = this.watched.get(taskId);
    if (!file || !w) return;
    const window = w.windows.get(file);
    if (window) {
      window.changed = true;
      return;
    }
    this.report(taskId, w, file);
  }

  private report(taskId: string, w: Watched, file: ActivityFile): void {
    const window = {
      changed: false,
      timer: setTimeout(() => {
        w.windows.delete(file);
        if (window.changed) this.report(taskId, w, file);
      }, ACTIVITY_WINDOW_MS),
    };
    w.windows.set(file, window);
    this.emit('activity', taskId, file);
  }

  remove(taskId: string): void {
    const w = this.watched.get(taskId);
    if (!w) return;
    this.watched.delete(taskId);
    for (const { timer } of w.windows.values()) clearTimeout(timer);
    w.watcher.close();
  }

  async close(): Promise<void> {
    for (const id of [...this.watched.keys()]) this.remove(id);
  }
}
