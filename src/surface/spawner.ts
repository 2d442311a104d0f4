// Starts headless runners through one small process (runner/native/spawner.c) that the controller
// starts once: a task start is then a line on a pipe, not a fork of the controller (Node's spawn blocks
// until the child has exec'd). The spawner is the runners' parent and reports each one's end, so its
// exit event stays exact.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { getSystemErrorName } from 'node:util';
import { readLines } from '../core/lines.js';
import { processAlive } from '../runner/kill.js';
import { SPAWNER } from '../runner/native.js';

type SpawnerChild = ChildProcessByStdio<Writable, Readable, null>;

/** A spawner gone (killed), its runners have no parent to report their end: look this often. */
const ORPHAN_CHECK_MS = 250;

/** A process the spawner started, seen as its parent sees it: `exit` once it is gone, with its
 *  `exitCode`, null when a signal killed it (as on a ChildProcess). */
export class SpawnedProcess extends EventEmitter<{ exit: [] }> {
  exitCode: number | null = null;
  /** Gone: `exit` was emitted, and a listener added now would never hear it. */
  exited = false;
  constructor(
    readonly pid: number,
    /** The spawner that started it, its parent. */
    readonly parent: SpawnerChild,
  ) {
    super();
  }

  /** Calls `listener` once it is gone: on the next turn if it already is (its end may come in the
   *  same read of the spawner's output as its start, before anyone could listen). */
  onExit(listener: () => void): () => void {
    if (this.exited) {
      const later = setImmediate(listener);
      return () => clearImmediate(later);
    }
    this.once('exit', listener);
    return () => this.off('exit', listener);
  }
}

export class Spawner {
  /** `command`: the spawner's argv (a test starts it under a process limit). */
  constructor(private readonly command: readonly string[] = [SPAWNER]) {}

  private child: SpawnerChild | null = null;
  private nextId = 1;
  private readonly starting = new Map<number, { resolve: (p: SpawnedProcess) => void; reject: (err: Error) => void }>();
  private readonly running = new Map<number, SpawnedProcess>();
  /** Statuses reported by processes whose start was not read yet (it is written by another process). */
  private readonly reported = new Map<number, number>();
  private orphanTimer: NodeJS.Timeout | undefined;

  /** Starts `argv` in a process group of its own, stdin/stdout/stderr on /dev/null. */
  spawn(argv: string[]): Promise<SpawnedProcess> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    const started = new Promise<SpawnedProcess>((resolve, reject) => this.starting.set(id, { resolve, reject }));
    // The starts of one turn (the plan starts several at once) go out in one write: one wake-up.
    if (!child.stdin.writableCorked) {
      child.stdin.cork();
      setImmediate(() => child.stdin.uncork());
    }
    child.stdin.write([String(id), String(argv.length), ...argv].map((s) => `${s}\0`).join(''));
    return started;
  }

  private start(): SpawnerChild {
    const child = spawn(this.command[0]!, this.command.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    // The controller's life is its socket's: the spawner never holds it up.
    child.unref();
    (child.stdin as Writable & { unref?: () => void }).unref?.();
    (child.stdout as Readable & { unref?: () => void }).unref?.();
    child.stdin.on('error', () => {}); // a spawner gone: its exit says so
    // Read to the end even after the spawner is gone: its runners hold the pipe and still report.
    readLines(child.stdout, (line) => this.onLine(child, line));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      // A start not confirmed by now may or may not have happened: the attempt fails to start (it is
      // not run again, so its agent never runs twice).
      const why = new Error(`the runner spawner (pid ${child.pid}) stopped (${signal ?? `exit ${code}`}) before it confirmed the start`);
      for (const { reject } of this.starting.values()) reject(why);
      this.starting.clear();
      this.watchOrphans();
    });
    return child;
  }

  private onLine(spawner: SpawnerChild, line: string): void {
    const [what, a, b] = line.split(' ');
    const n = Number(a);
    if (what === 'started') {
      const pid = Number(b);
      const p = new SpawnedProcess(pid, spawner);
      this.running.set(pid, p);
      this.starting.get(n)?.resolve(p);
      this.starting.delete(n);
      if (gone(spawner)) this.watchOrphans();
    } else if (what === 'failed') {
      const errno = Number(b);
      const name = Number.isSafeInteger(errno) && errno > 0 ? getSystemErrorName(-errno) : `error ${b}`;
      this.starting.get(n)?.reject(new Error(`the runner could not be started: no process could be created (${name}); the machine or its container is at its process or memory limit`));
      this.starting.delete(n);
    } else if (what === 'ended') {
      this.reported.set(n, Number(b));
      // Its spawner gone, no `gone` follows: the runner's own report is the end (it exits right after).
      const p = this.running.get(n);
      if (p && gone(p.parent)) this.gone(n);
    } else if (what === 'gone') {
      this.gone(n);
    }
  }

  private gone(pid: number): void {
    const p = this.running.get(pid);
    const code = this.reported.get(pid) ?? null;
    this.running.delete(pid);
    this.reported.delete(pid);
    if (!p) return;
    p.exitCode = code;
    p.exited = true;
    p.emit('exit');
  }

  /** Runners whose spawner is gone (killed) and that end without their report (a SIGKILL) are looked
   *  at until each is gone too. */
  private watchOrphans(): void {
    this.orphanTimer ??= setInterval(() => {
      const orphans = [...this.running.values()].filter((p) => gone(p.parent));
      for (const p of orphans) if (!processAlive(p.pid)) this.gone(p.pid);
      if (!orphans.length) {
        clearInterval(this.orphanTimer);
        this.orphanTimer = undefined;
      }
    }, ORPHAN_CHECK_MS).unref();
  }

  /** Stops taking starts; what runs goes on. */
  close(): void {
    this.child?.stdin.end();
    this.child = null;
    clearInterval(this.orphanTimer);
    this.orphanTimer = undefined;
  }
}

const gone = (spawner: SpawnerChild): boolean => spawner.exitCode !== null || spawner.signalCode !== null;
