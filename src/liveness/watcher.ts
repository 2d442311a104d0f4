// One chokidar watcher for the folders of running tasks: exit.json appearing ends a task at once;
// output.log / events.jsonl changing is activity (and new progress to parse).
import { EventEmitter } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export type ActivityFile = 'output' | 'events' | 'result';

export interface WatcherEvents {
  exit: [taskId: string];
  activity: [taskId: string, file: ActivityFile];
}

const ACTIVITY: Record<string, ActivityFile> = { 'output.log': 'output', 'events.jsonl': 'events', 'result.md': 'result' };

export class TaskWatcher extends EventEmitter<WatcherEvents> {
  private readonly watcher: FSWatcher;
  private readonly watched = new Set<string>();

  constructor(private readonly tasksDir: string) {
    super();
    // ignoreInitial stays false on purpose: when a folder is added, chokidar starts watching it and
    // then lists it, so an exit.json written before the watch was in place is still reported.
    this.watcher = watch([], { ignoreInitial: false, depth: 0, atomic: false, ignored: (p) => p.endsWith('.tmp') });
    this.watcher.on('add', (p) => this.onFile(p));
    this.watcher.on('change', (p) => this.onFile(p));
  }

  private onFile(path: string): void {
    const taskId = basename(dirname(path));
    if (!this.watched.has(taskId)) return;
    const name = basename(path);
    if (name === 'exit.json') this.emit('exit', taskId);
    else if (name in ACTIVITY) this.emit('activity', taskId, ACTIVITY[name]!);
  }

  add(taskId: string): void {
    if (this.watched.has(taskId)) return;
    this.watched.add(taskId);
    this.watcher.add(join(this.tasksDir, taskId));
  }

  remove(taskId: string): void {
    if (!this.watched.delete(taskId)) return;
    this.watcher.unwatch(join(this.tasksDir, taskId));
  }

  close(): Promise<void> {
    return this.watcher.close();
  }
}
