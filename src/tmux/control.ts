// A tmux control-mode connection (`tmux -C`): one client process that stays attached and runs
// command lines as they come, so a command costs a round trip on a socket instead of starting a
// tmux client (~10 ms of process start and dynamic linking on a busy machine, every call).
//
// It attaches to one session with -E (the session's environment is left alone), ignore-size (it
// never sizes a window) and no-output (panes' output is not streamed to it). Commands go as tmux
// command lines, every argument single-quoted: tmux's parser does no expansion of any kind inside
// single quotes, and a quote in an argument is written '\'' (tested with hostile text in
// control.test.ts). An argument a line cannot hold (a newline) makes the caller spawn a client.
import { spawn, type ChildProcess } from 'node:child_process';
import { readLines } from '../core/lines.js';
import { TmuxError } from './client-error.js';

/** One tmux command line for the commands (run in order, stopping at the first that fails), or null when an argument cannot go on a line. */
export function controlLine(commands: readonly (readonly string[])[]): string | null {
  if (commands.some((c) => c.some((a) => /[\r\n]/.test(a)))) return null;
  return commands.map((c) => c.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')).join(' ; ');
}

interface Pending {
  /** The command line as given (for errors). */
  args: readonly string[];
  marker: string;
  lines: string[];
  error: string | null;
  resolve(out: string): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** `%begin|%end|%error time number flags`: flags is 1 for a command this client sent (0: a hook's, the attach). */
const GUARD = /^%(begin|end|error) (\d+ \d+ (\d+))$/;

export class TmuxControl {
  private readonly pending: Pending[] = [];
  private block: { guard: string; ours: boolean; lines: string[] } | null = null;
  private seq = 0;
  private closed = false;
  private readonly closeListeners: Array<() => void> = [];

  private constructor(private readonly child: ChildProcess) {}

  /**
   * Attaches a control client to `sessionId` ($N: never a window or pane target, which would make
   * that window current for the people attached). Resolves once tmux answered the attach.
   */
  static open(bin: string, serverArgs: readonly string[], sessionId: string, env: NodeJS.ProcessEnv | undefined, timeoutMs: number): Promise<TmuxControl> {
    const args = ['-u', ...serverArgs, '-C', 'attach-session', '-E', '-f', 'no-output,ignore-size', '-t', sessionId];
    // Not a client nested in a pane (tmux refuses to attach one): the server is named by serverArgs.
    const { TMUX: _tmux, TMUX_PANE: _pane, ...unnested } = env ?? process.env;
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'ignore'], env: unnested });
    const control = new TmuxControl(child);
    return new Promise((resolve, reject) => {
      const failed = (why: string) => {
        control.close();
        reject(new TmuxError(args, why, undefined));
      };
      // The attach's own answer is the first block (flags 0): after it, the client takes commands.
      control.pending.push(control.entry(args, '', timeoutMs, () => resolve(control), (err) => failed(err.message)));
      child.on('error', (e) => failed(e.message));
      child.stdin!.on('error', () => control.close());
      readLines(child.stdout!, (line) => control.line(line));
      child.on('close', () => control.close());
    });
  }

  get alive(): boolean {
    return !this.closed;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /**
   * Runs a command line (see controlLine); resolves with what its commands printed, as a spawned
   * client's stdout. A marker command follows each line: its answer says the line is done however
   * many of its commands ran.
   */
  run(line: string, args: readonly string[], timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(new TmuxError(args, 'the tmux control client has exited', undefined));
    const marker = `panecrew-done-${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.pending.push(this.entry(args, marker, timeoutMs, resolve, reject));
      this.child.stdin!.write(`${line}\ndisplay-message -p ${marker}\n`);
    });
  }

  /** Detaches (stdin closed) and kills the client; calls waiting get an error. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin?.destroy();
    this.child.kill();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new TmuxError(p.args, 'the tmux control client has exited (its session or server is gone?)', undefined));
    }
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private entry(args: readonly string[], marker: string, timeoutMs: number, resolve: (out: string) => void, reject: (err: Error) => void): Pending {
    // A server that stops answering leaves the connection unusable: it is closed, the caller's next
    // call spawns a client.
    const timer = setTimeout(() => {
      reject(new TmuxError(args, '', undefined, timeoutMs));
      this.close();
    }, timeoutMs);
    return { args, marker, lines: [], error: null, resolve, reject, timer };
  }

  private line(line: string): void {
    if (this.block) {
      // Only the guard with this block's own time, number and flags ends it: output may start with %.
      const end = GUARD.exec(line);
      if (!end || end[1] === 'begin' || end[2] !== this.block.guard) return void this.block.lines.push(line);
      const { ours, lines } = this.block;
      this.block = null;
      if (ours) this.answered(lines, end[1] === 'error');
      return;
    }
    const begin = GUARD.exec(line);
    // Outside a block: notifications (%layout-change, %session-changed...), not needed here.
    if (begin?.[1] === 'begin') this.block = { guard: begin[2]!, ours: begin[3] === '1' || this.pending[0]?.marker === '', lines: [] };
  }

  /** One of our commands answered: the marker's answer ends the line's call, others add to its output. */
  private answered(lines: string[], failed: boolean): void {
    const p = this.pending[0];
    if (!p) return this.close(); // an answer nobody asked for: out of step, start again
    if (p.marker === '' || (lines.length === 1 && lines[0] === p.marker)) {
      this.pending.shift();
      clearTimeout(p.timer);
      if (p.marker === '' && failed) return p.reject(new Error(lines.join('\n') || 'tmux refused the control client'));
      if (p.error !== null) return p.reject(new TmuxError(p.args, p.error, 1));
      return p.resolve(p.lines.join('\n'));
    }
    if (failed) p.error = lines.join('\n');
    else if (p.error === null) p.lines.push(...lines);
  }
}
