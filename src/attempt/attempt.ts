// One running of one task, from its workspace to its teardown. It moves through preparing → starting
// → running → (ending) → ended, journaling each step through its owner before acting on it; it owns
// its observation, senses and runner, and ends exactly once with one typed cause. Adopting an attempt
// that outlived a controller restart is its second constructor, not a second code path.
import { stateOf, type Cause } from '../core/cause.js';
import { taskPaths, type TaskPaths } from '../core/paths.js';
import { isFinal, viewOf, type Attempt, type AttemptState, type TaskRecord } from '../core/task.js';
import { startToken, type Observation, type RunnerRef } from '../executor/executor.js';
import type { ExitRecord } from '../runner/exit-record.js';
import type { Hosted } from '../surface/surface.js';
import type { AttemptInit } from './attempt-init.js';
import { conversationOf, type Conversation, type SendOutcome } from './conversation.js';
import { decideOutcome, endRecord, goneWithoutRecord } from './outcome.js';
import { Senses } from './senses.js';
import { prepareWorkspace } from './workspace.js';

/** How soon an end that could not be journaled is tried again. */
const RECORD_RETRY_MS = 1_000;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class AttemptRun {
  readonly taskId: string;
  readonly n: number;
  private state: AttemptState;
  private readonly paths: TaskPaths;
  private observation: Observation | undefined;
  private senses: Senses | undefined;
  private runner: (RunnerRef & Pick<Attempt, 'paneId' | 'placement' | 'placementNote'>) | undefined;
  /** The surface opening the runner's place (a pane, a process), while it does. */
  private hosting: Promise<Hosted> | undefined;
  private stopWatchingRunner: (() => void) | undefined;
  /** The runner wrote its exit record: nothing is left to kill. */
  private exited: ExitRecord | undefined;
  /** The task as recorded when this attempt ended. */
  private endedTask: TaskRecord | undefined;
  private detached = false; // the controller stopped: what is on its way is left to the next one
  /** An interactive agent's turns, read from its signals; absent in print mode. */
  private conversation: Conversation | undefined;

  private constructor(private readonly init: AttemptInit) {
    this.taskId = init.task.id;
    ({ n: this.n, state: this.state } = init.task.attempts.at(-1)!);
    this.paths = taskPaths(init.tasksDir, init.task.id);
  }

  /** A new attempt, already journaled as `preparing` by its owner: prepares, then starts the agent. */
  static start(init: AttemptInit): AttemptRun {
    const run = new AttemptRun(init);
    void run.begin();
    return run;
  }

  /** An attempt that outlived a controller restart: its runner (pid) lives, or left its exit record. */
  static adopt(init: AttemptInit, pid: number | null, lastActivity: number): AttemptRun {
    const run = new AttemptRun(init);
    const attempt = init.task.attempts.at(-1)!;
    if (run.state === 'starting') run.move('running', { pid });
    if (attempt.interactive) run.converse();
    run.watch(lastActivity, pid !== null ? init.executor.cpuTime(pid) : null);
    if (pid !== null) {
      run.runner = { pid, paneId: attempt.paneId ?? null, placement: attempt.placement ?? null, placementNote: attempt.placementNote ?? null };
      run.stopWatchingRunner = init.executor.watchGone({ pid }, run.paths.dir, () => void run.runnerGone());
      void run.confirmPane(pid);
    }
    run.conversation?.paneKnown();
    if (init.executor.exitRecord(run.paths.dir) !== undefined) run.exitRecorded();
    return run;
  }

  /** Read through a call: the state changes across awaits, which TypeScript's narrowing does not see. */
  private stateIs(state: AttemptState): boolean {
    return this.state === state;
  }

  /** Ends the attempt now with `cause` (a cancel): recorded at once, the agent is killed. */
  stop(cause: Cause): void {
    if (this.state !== 'ended') this.conclude(cause, {});
  }

  /** Types a follow-up into an interactive agent; true once the agent confirms it took it. */
  async send(text: string): Promise<SendOutcome> {
    if (!this.conversation || this.state !== 'running') throw new Error('its agent is not open in a pane');
    return this.conversation.send(text);
  }

  /** The controller is stopping: stop watching. The agent runs on and is adopted on the next start. */
  detach(): void {
    this.detached = true;
    this.conversation?.stop();
    this.senses?.stop();
    this.observation?.close();
    this.stopWatchingRunner?.();
  }

  private async begin(): Promise<void> {
    const { task, profile, dependencies, executor, surface } = this.init;
    const interactive = !!profile?.interactive && task.mode !== 'print' && surface.terminal;
    try {
      await prepareWorkspace({ task, n: this.n, paths: this.paths, profile, dependencies, outputLogMaxBytes: this.init.options.outputLogMaxBytes, interactive, resume: this.init.resume });
    } catch (err) {
      if (this.state === 'preparing') this.conclude({ kind: 'prepare-failed', message: message(err) }, {});
      return;
    }
    if (!this.stateIs('preparing')) return; // cancelled while preparing
    // Journaled before the spawn: after a crash, `starting` without a started record is requeued,
    // with one the runner is adopted.
    let current: TaskRecord;
    try {
      current = this.move('starting');
    } catch (err) {
      this.conclude({ kind: 'prepare-failed', message: `the journal could not record the start: ${message(err)}` }, {});
      return;
    }
    // Before the watch, so that no signal is read before there is a conversation to take it.
    if (interactive) this.converse();
    // A runner about to start has used no CPU: no /proc scan per start (50 starts would be 50 scans).
    this.watch(Date.now(), 0);
    try {
      this.hosting = surface.host({ task: viewOf(current), command: (mode) => executor.command(this.paths.dir, mode, startToken(current.attempts.at(-1)!)) });
      const hosted = await this.hosting;
      this.runner = { pid: hosted.pid, child: hosted.child, paneId: hosted.paneId, placement: hosted.placement, placementNote: hosted.note };
      if (this.detached) return; // started after the controller let go: the next one adopts it
      // No terminal after all (its tmux server was gone): the runner runs the print-mode command.
      if (!hosted.paneId) {
        this.conversation?.stop();
        this.conversation = undefined;
      }
      this.conversation?.paneKnown();
    } catch (err) {
      if (this.stateIs('starting')) this.conclude({ kind: 'start-failed', message: message(err) }, {});
      return;
    }
    this.stopWatchingRunner = executor.watchGone(this.runner, this.paths.dir, () => void this.runnerGone());
    if (this.stateIs('starting')) {
      const { pid, paneId, placement, placementNote } = this.runner;
      try {
        this.move('running', { pid, paneId, placement, placementNote, interactive: !!this.conversation });
      } catch (err) {
        // The agent runs and is watched; recovery finds its pid in the runner's started record.
        this.init.owner.log(`recording that ${this.taskId} runs failed: ${message(err)}`);
        this.state = 'running';
      }
    } else if (this.stateIs('ended')) {
      // It ended (cancelled, or its agent exited at once) while the surface was opening: tidy up now.
      this.tidyRunner();
    }
  }

  /** The agent runs interactively: its turns are read from its own signals. */
  private converse(): void {
    const { profile, options, owner, surface } = this.init;
    const deliver = async (text: string) => {
      if (!this.runner?.paneId) throw new Error('the agent has no pane to type into');
      await surface.deliver(viewOf(owner.current()), this.runner.paneId, text, profile!.interactive!.input_box);
    };
    this.conversation = conversationOf({ n: this.n, paths: this.paths, interactive: profile!.interactive!, keepOpenMs: options.keepOpenMs, owner, deliver, close: (cause) => this.stop(cause) });
  }

  private move(state: AttemptState, patch: Partial<Attempt> = {}): TaskRecord {
    const recorded = this.init.owner.record({ ...patch, state });
    this.state = state;
    return recorded;
  }

  /** Starts observing the attempt's folder and the timers that judge its silence. */
  private watch(lastActivity: number, cpuSeen: number | null): void {
    const { task, profile, options, executor, owner } = this.init;
    const started = task.attempts.at(-1)!.startedAt;
    const senses = new Senses({
      cwd: task.cwd,
      profile,
      staleMs: task.staleTimeoutMs,
      stabilityMs: options.stabilityMs,
      deadline: task.timeoutMs ? started + task.timeoutMs : null,
      lastActivity,
      progress: (p) => owner.progress(p),
      output: () => owner.output(),
      cpuTime: () => (this.runner ? executor.cpuTime(this.runner.pid) : null),
      expectsSilence: () => !!this.conversation?.quiet,
      stale: (quietMs) => void this.end(() => ({ kind: 'stale', quietMs })),
      timeout: () => void this.end(() => ({ kind: 'timeout', afterMs: task.timeoutMs ?? 0 })),
      idle: () => void this.idle(),
    }, cpuSeen);
    this.senses = senses;
    this.observation = executor.observe(this.taskId, this.paths.dir, {
      exit: () => this.exitRecorded(),
      activity: (file) => senses.activity(file),
      bytes: (file, chunk) => (file === 'signals' ? this.conversation?.bytes(chunk) : senses.bytes(file, chunk)),
    });
  }

  private async idle(): Promise<void> {
    if (!this.observation || !this.senses || this.state !== 'running') return;
    if (await this.senses.idleConfirmed(this.observation)) await this.end(() => ({ kind: 'idle', afterMs: this.init.options.stabilityMs }));
  }

  private exitRecorded(): void {
    const record = this.init.executor.exitRecord(this.paths.dir);
    if (record === null) void this.end(() => ({ kind: 'unreadable-exit', file: `${this.paths.dir}/exit.json` }));
    else if (record !== undefined) this.endWithExit(record);
  }

  private endWithExit(exit: ExitRecord): void {
    this.exited = exit;
    void this.end(() => decideOutcome({ attempt: this.n, exit, parsed: this.senses!.parser.state, profile: this.init.profile, retry: this.init.options.retry }));
  }

  /** The runner's process is gone: its exit record may still be on its way, else it vanished. */
  private async runnerGone(): Promise<void> {
    if (this.state === 'ending' || this.state === 'ended') return;
    const { executor, surface, task } = this.init;
    if (executor.exitRecord(this.paths.dir) !== undefined) return this.exitRecorded();
    const { pid = null, child, paneId } = this.runner ?? {};
    if (pid !== null && executor.alive(pid, this.paths.dir)) return;
    const status = child ? child.exitCode : paneId ? await surface.exitLeft(viewOf(task), paneId).catch(() => null) : null;
    if (this.stateIs('ending') || this.stateIs('ended')) return;
    const gone = goneWithoutRecord(status, pid, task.attempts.at(-1)!.startedAt);
    if ('kind' in gone) void this.end(() => gone);
    else this.endWithExit(gone);
  }

  /**
   * Ends after reading the rest of the agent's output. If reading it or deciding fails (an agent may
   * leave anything in its folder), the attempt still ends, as an internal error saying why.
   */
  private async end(decide: () => Cause): Promise<void> {
    if (this.state === 'ending' || this.state === 'ended') return;
    this.state = 'ending';
    let cause: Cause;
    let extra: Partial<TaskRecord> = {};
    try {
      await this.observation?.drain();
      this.senses?.parser.end();
      cause = decide();
      if (this.senses) extra = { ...this.senses.snapshot(), ...(stateOf(cause) === 'pending' ? {} : { resultPreview: this.senses.result(this.paths.result) }) };
    } catch (err) {
      cause = { kind: 'internal', message: message(err) };
    }
    // An agent may end while its pane is still opening (a quick one, through a slow fallback): the
    // record says where it ran, so wait for the surface's answer.
    await this.hosting?.catch(() => null);
    // A cancel may have concluded the attempt while its output was being read.
    if (this.state === 'ending') this.conclude(cause, extra);
  }

  /** Records the end (the attempt and its task in one entry), then tears the attempt down. */
  private conclude(ending: Cause, extra: Partial<TaskRecord>): void {
    // An interactive agent closed after its turn: the task keeps that turn's outcome.
    const settled = !!this.conversation && isFinal(this.init.owner.current().state);
    const { attempt, task } = endRecord({ ending, settled, extra, exit: this.exited, runner: this.runner, now: Date.now() });
    try {
      this.endedTask = this.init.owner.record(attempt, task);
    } catch (err) {
      if (this.detached) return; // the next controller records it, from the runner's exit record
      // Not recorded (the journal could not be written: a full disk): not over until it is, so retry.
      this.init.owner.log(`recording the end of ${this.taskId} failed: ${message(err)}; trying again in ${RECORD_RETRY_MS} ms`);
      this.state = 'ending';
      setTimeout(() => this.state === 'ending' && this.conclude(ending, extra), RECORD_RETRY_MS).unref();
      return;
    }
    this.state = 'ended';
    this.conversation?.stop();
    this.senses?.stop();
    this.observation?.close();
    this.stopWatchingRunner?.();
    if (this.runner) this.tidyRunner();
    this.init.owner.done();
  }

  /** Kills what is left of the runner's process group and lets the surface show the outcome. */
  private tidyRunner(): void {
    const runner = this.runner!;
    if (!this.exited) this.init.executor.kill(runner.pid, this.init.options.killGraceMs);
    const task = this.endedTask;
    if (!task) return;
    const attempt = { ...task.attempts.find((a) => a.n === this.n)!, paneId: runner.paneId };
    try {
      this.init.surface.ended(viewOf(task), attempt);
    } catch (err) {
      this.init.owner.log(`${this.taskId}: tidying its ${runner.placement ?? 'runner'} failed: ${message(err)}`);
    }
  }

  /** A pane attempt: confirm its pane by the surface's own marks (the journal may lack its pane id). */
  private async confirmPane(pid: number): Promise<void> {
    try {
      const found = await this.init.surface.locate(viewOf(this.init.task));
      if (found && found.pid === pid && this.runner && found.paneId !== this.runner.paneId && this.state === 'running') {
        this.runner.paneId = found.paneId;
        this.init.owner.record({ paneId: found.paneId });
      }
    } catch (err) {
      this.init.owner.log(`locating the pane of ${this.taskId} failed: ${message(err)}`);
    }
  }
}
