// The turns of an interactive agent, read from its own signals (signals.jsonl): a prompt starts a
// turn (the task runs), a question to the person makes it `waiting`, the turn's end completes the
// task with that turn's result while the agent stays open in its pane for a follow-up (`send`).
//
// Signals are counted, not trusted to arrive once: after a controller restart the file is read
// again from its start, and a turn whose end is already journaled is not recorded twice.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { TaskPaths } from '../core/paths.js';
import type { AgentSignal } from '../core/signal.js';
import { isFinal, type Attempt, type Progress, type TaskRecord, type Turn, type Usage } from '../core/task.js';
import type { Cause } from '../core/cause.js';
import { formatDuration } from '../core/duration.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import { PendingInputError } from '../tmux/input.js';
import { signalAdapter, type SignalAdapter } from '../runner/signals/index.js';
import type { AttemptOwner } from './attempt-init.js';
import { resultPreview } from './senses.js';

export interface ConversationInit {
  n: number;
  paths: TaskPaths;
  adapter: SignalAdapter;
  /** The first prompt is typed into the TUI once it is ready (else it was in argv). */
  pastePrompt: boolean;
  keepOpenMs: number;
  owner: AttemptOwner;
  /** Types text into the agent's input and submits it. */
  deliver(text: string): Promise<void>;
  /** The turn ended and the agent waited `keepOpenMs` for a follow-up that did not come. */
  idleTooLong(): void;
}

const MAX_LINE = 1_048_576;
/** How long `send` waits for the agent to confirm it took a follow-up. */
const SEND_CONFIRM_MS = 10_000;
/** Text the agent cannot take yet (half-typed input, a dialog) is tried this often, for this long. */
const QUEUE_RETRY_MS = 1_000;
const QUEUED_FOR_MS = 10 * 60_000;

/** An interactive agent that has said nothing this long after its start probably shows a dialog. */
const SILENT_START_MS = 15_000;

export type SendOutcome = 'confirmed' | 'unconfirmed' | 'queued';

export class Conversation {
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');
  private prompts = 0;
  private turnEnds = 0;
  private turnStartedAt: number;
  private progressState: Progress = { toolCalls: 0 };
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private keepOpenTimer: NodeJS.Timeout | undefined;
  private confirmations: Array<(submitted: boolean) => void> = [];
  /** The prompt is typed once the agent is ready (its session signal) and its pane is known. */
  private sessionSeen = false;
  private hosted = false;
  /** Text waiting until the agent can take it (the person's half-typed input, a dialog). */
  private readonly retries = new Set<NodeJS.Timeout>();
  private silentStart: NodeJS.Timeout | undefined;
  /** The step a question is about ("Bash npm test"): only its end answers it, not a parallel step's. */
  private askedAbout: string | undefined;

  constructor(private readonly init: ConversationInit) {
    const task = init.owner.current();
    this.turnStartedAt = task.attempts.at(-1)!.startedAt;
    if (isFinal(task.state)) this.armKeepOpen(task.turns?.at(-1)?.endedAt ?? Date.now());
  }

  /** Turns of this attempt already journaled (a restart reads the signals again from the start). */
  private get recordedTurns(): number {
    return (this.init.owner.current().turns ?? []).filter((t) => t.attempt === this.init.n).length;
  }

  /** Between turns: the agent waits for a follow-up (or for the person), so silence is not a hang. */
  get quiet(): boolean {
    const state = this.init.owner.current().state;
    return state === 'waiting' || isFinal(state);
  }

  bytes(chunk: Buffer): void {
    // A chunk may end inside a character (a long result in two reads): the decoder keeps it whole.
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = '';
    for (const line of lines) {
      const signal = line.trim() ? this.init.adapter.read(line) : null;
      if (signal) this.signal(signal);
    }
  }

  private signal(s: AgentSignal): void {
    const { owner } = this.init;
    const task = owner.current();
    const attempt = task.attempts.at(-1)!;
    switch (s.kind) {
      case 'session':
        if (s.sessionId && attempt.sessionId !== s.sessionId) owner.record({ sessionId: s.sessionId });
        this.sessionSeen = true;
        clearTimeout(this.silentStart);
        if (this.prompts === 0 && this.recordedTurns === 0) this.answered(owner.current());
        this.promptWhenReady();
        return;
      case 'prompt':
        this.prompts++;
        this.turnStartedAt = s.at;
        for (const confirm of this.confirmations.splice(0)) confirm(true);
        if (this.prompts > this.recordedTurns && isFinal(task.state)) {
          clearTimeout(this.keepOpenTimer);
          owner.record({}, { state: 'running', cause: null, endedAt: null, question: null });
        }
        // A question refused sends no signal of its own (Claude Code): the next prompt answers it.
        else this.answered(task);
        return;
      case 'waiting':
        if (this.live && task.state === 'running') {
          this.askedAbout = stepOf(s);
          owner.record({}, { state: 'waiting', question: s.question ?? null });
        }
        return;
      case 'step':
        this.progressState = { ...this.progressState, step: stepOf(s), toolCalls: this.progressState.toolCalls + 1 };
        if (!this.askedAbout) this.answered(task);
        break;
      case 'step-done':
        if (!this.askedAbout || this.askedAbout === stepOf(s)) this.answered(task);
        break;
      case 'usage': {
        this.usage = { ...this.usage, ...usageOf(s) };
        // The session's totals come after its turn's end (Claude Code's status line): the completed
        // turn's record is brought up to date, once per change.
        const usage = { ...task.usage, ...this.usage };
        if (this.live && isFinal(task.state) && !sameUsage(task.usage, usage)) owner.record({}, { usage });
        break;
      }
      case 'turn-end':
        this.turnEnds++;
        if (this.turnEnds > this.recordedTurns) this.turnEnded(s, task);
        return;
      case 'session-end':
        return;
    }
    if (this.live) owner.progress({ progress: { ...this.progressState, lastActivityAt: s.at }, usage: this.usage });
  }

  /** The signal belongs to a turn not yet journaled as ended (not one read again after a restart). */
  private get live(): boolean {
    return this.turnEnds >= this.recordedTurns;
  }

  /** The agent goes on after a question: the person answered it. */
  private answered(task: TaskRecord): void {
    this.askedAbout = undefined;
    if (this.live && task.state === 'waiting') this.init.owner.record({}, { state: 'running', question: null });
  }

  private turnEnded(s: AgentSignal, task: TaskRecord): void {
    const { owner, paths, n } = this.init;
    const number = (task.turns?.length ?? 0) + 1;
    const text = s.result ?? '';
    mkdirSync(paths.turns, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(paths.turns, `${number}.md`), text, 0o600);
    writeFileAtomic(paths.result, text, 0o600);
    const preview = resultPreview(text);
    const turn: Turn = { n: number, attempt: n, startedAt: this.turnStartedAt, endedAt: s.at, resultPreview: preview };
    this.usage = { ...this.usage, ...usageOf(s) };
    this.askedAbout = undefined;
    const usage = { ...task.usage, ...this.usage };
    owner.record({}, { state: 'completed', cause: { kind: 'turn', n: number }, endedAt: s.at, question: null, resultPreview: preview, usage, turns: [...(task.turns ?? []), turn] });
    this.armKeepOpen(s.at);
  }

  private armKeepOpen(since: number): void {
    clearTimeout(this.keepOpenTimer);
    this.keepOpenTimer = setTimeout(() => this.init.idleTooLong(), Math.max(0, since + this.init.keepOpenMs - Date.now()));
    this.keepOpenTimer.unref();
  }

  /** The agent's pane is known (it was hosted, or adopted after a restart). A TUI that shows a
   *  dialog before its session starts (a folder to trust: Claude Code runs no hook before that)
   *  says nothing: after a while the task is `waiting` for the person to look. */
  paneKnown(): void {
    this.hosted = true;
    this.promptWhenReady();
    this.silentStart = setTimeout(() => {
      const task = this.init.owner.current();
      if (this.sessionSeen || task.state !== 'running') return;
      this.init.owner.record({}, { state: 'waiting', question: `no sign from it since it started: it may show a dialog in its pane (a folder to trust, a login); answer it there (panecrew focus ${task.id})` });
    }, SILENT_START_MS);
  }

  private promptWhenReady(): void {
    if (this.init.pastePrompt && this.sessionSeen && this.hosted && !this.init.owner.current().attempts.at(-1)!.promptSentAt) this.sendPrompt();
  }

  /** Types the task's prompt once the TUI takes input. A dialog it shows first (a folder to trust,
   *  a login) keeps its input box away: the task is `waiting` for the person until it is answered. */
  private sendPrompt(): void {
    const { owner, paths } = this.init;
    owner.record({ promptSentAt: Date.now() });
    const id = owner.current().id;
    this.typeWhenPossible(readFileSync(paths.prompt, 'utf8'), Date.now() + QUEUED_FOR_MS, (err) => {
      if (err instanceof PendingInputError || owner.current().state !== 'running' || this.prompts > 0) return;
      owner.record({}, { state: 'waiting', question: `it shows something before it takes its prompt (a dialog to answer?): answer it in its pane (panecrew focus ${id})` });
    });
  }

  /**
   * Types a follow-up into the agent: `confirmed` once the agent says a prompt was submitted; `queued`
   * when the person has half-typed text in its input, which it never mixes into: it is typed once
   * that text is sent or cleared.
   */
  async send(text: string): Promise<SendOutcome> {
    const confirmed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), SEND_CONFIRM_MS);
      this.confirmations.push((submitted) => {
        clearTimeout(timer);
        resolve(submitted);
      });
    });
    try {
      await this.init.deliver(text);
    } catch (err) {
      if (!(err instanceof PendingInputError)) throw err;
      this.retryLater(text, Date.now() + QUEUED_FOR_MS, () => {});
      return 'queued';
    }
    return (await confirmed) ? 'confirmed' : 'unconfirmed';
  }

  /** Types `text`; while the agent cannot take it, `blocked` hears why and it is tried again. */
  private typeWhenPossible(text: string, until: number, blocked: (err: Error) => void): void {
    this.init.deliver(text).catch((err: Error) => {
      if (Date.now() > until) return this.init.owner.log(`text for ${this.init.owner.current().id} was not typed: ${err.message}`);
      blocked(err);
      this.retryLater(text, until, blocked);
    });
  }

  private retryLater(text: string, until: number, blocked: (err: Error) => void): void {
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.typeWhenPossible(text, until, blocked);
    }, QUEUE_RETRY_MS);
    this.retries.add(timer);
  }

  stop(): void {
    clearTimeout(this.silentStart);
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    clearTimeout(this.keepOpenTimer);
    for (const confirm of this.confirmations.splice(0)) confirm(false);
  }
}

/** What a step signal names: "Bash npm test"; undefined when it names nothing. */
const stepOf = (s: AgentSignal): string | undefined => [s.tool, s.target].filter(Boolean).join(' ') || undefined;

/** The totals a signal carries (only those it has). */
const usageOf = (s: AgentSignal): Partial<Usage> =>
  Object.fromEntries(Object.entries({ inputTokens: s.inputTokens, outputTokens: s.outputTokens, costUsd: s.costUsd }).filter(([, v]) => v !== undefined));

const sameUsage = (a: Usage, b: Usage): boolean => a.inputTokens === b.inputTokens && a.outputTokens === b.outputTokens && a.costUsd === b.costUsd;

/** The conversation of an attempt whose agent runs interactively under `interactive`. */
export function conversationOf(
  at: Pick<ConversationInit, 'n' | 'paths' | 'keepOpenMs' | 'owner' | 'deliver'> & { interactive: NonNullable<AgentProfile['interactive']>; close(cause: Cause): void },
): Conversation {
  return new Conversation({
    ...at,
    adapter: signalAdapter(at.interactive.signals),
    pastePrompt: at.interactive.prompt === 'paste',
    idleTooLong: () => at.close({ kind: 'closed', by: `no follow-up came within ${formatDuration(at.keepOpenMs)} of its last turn` }),
  });
}
