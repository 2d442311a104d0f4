// Starts headless runners through one small bash (runner/spawner.sh) that the controller starts once:
// a task start is then a line on a pipe, not a fork of the controller (Node's spawn blocks until the
// child has exec'd). The spawner's waiters report each runner's end, so its exit event stays exact.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

export const SPAWNER_SCRIPT = fileURLToPath(new URL('../runner/spawner.sh', import.meta.url));

/** A process the spawner started, seen as its parent sees it: `exit` once it is gone, with its
 *  `exitCode`, null when a signal killed it (as on a ChildProcess). */
export class SpawnedProcess extends EventEmitter<{ exit: [] }> {
  exitCode: number | null = null;
  constructor(readonly pid: number) {
    super();
  }
}

type SpawnerChild = ChildProcessByStdio<Writable, Readable, null>;

export class Spawner {
  private child: SpawnerChild | null = null;
  private nextId = 1;
  private readonly starting = new Map<number, { resolve: (p: SpawnedProcess) => void; reject: (err: Error) => void }>();
  private readonly running = new Map<number, SpawnedProcess>();
  /** Statuses reported by processes whose start was not read yet (it is written by another process). */
  private readonly reported = new Map<number, number>();

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
    const child = spawn('bash', [SPAWNER_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    // The controller's life is its socket's: the spawner never holds it up.
    child.unref();
    (child.stdin as Writable & { unref?: () => void }).unref?.();
    (child.stdout as Readable & { unref?: () => void }).unref?.();
    child.stdin.on('error', () => {}); // a spawner gone: its exit says so
    let partial = '';
    // Read to the end even after the spawner is gone: its waiters hold the pipe and still report.
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.onLine(line);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      // A start not confirmed by now may or may not have happened: the attempt fails to start (it is
      // not run again, so its agent never runs twice).
      const why = new Error(`the runner spawner (pid ${child.pid}) stopped (${signal ?? `exit ${code}`}) before it confirmed the start`);
      for (const { reject } of this.starting.values()) reject(why);
      this.starting.clear();
    });
    return child;
  }

  private onLine(line: string): void {
    const [what, a, b] = line.split(' ');
    const n = Number(a);
    if (what === 'started') {
      const pid = Number(b);
      const p = new SpawnedProcess(pid);
      this.running.set(pid, p);
      this.starting.get(n)?.resolve(p);
      this.starting.delete(n);
    } else if (what === 'ended') {
      this.reported.set(n, Number(b));
    } else if (what === 'gone') {
      const p = this.running.get(n);
      const code = this.reported.get(n) ?? null;
      this.running.delete(n);
      this.reported.delete(n);
      if (!p) return;
      p.exitCode = code;
      p.emit('exit');
    }
  }

  /** Stops taking starts; what runs goes on. */
  close(): void {
    this.child?.stdin.end();
    this.child = null;
  }
}
