// What an attempt perceives while its agent runs: the bytes it writes (parsed into progress and the
// result), and the timers that judge silence: the stale timeout, the stability window of agents that
// go idle without exiting, the task's own timeout.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Progress, Usage } from '../core/task.js';
import { TaskMonitor } from '../liveness/monitor.js';
import { createParser, type OutputParser } from '../runner/parsers/index.js';
import type { AgentProfile } from '../runner/profile-schema.js';
import type { ActivityFile, Observation } from '../executor/executor.js';

/** Progress and output notices reach subscribers at most this often per task. */
const NOTIFY_EVERY_MS = 100;
const PREVIEW_CHARS = 500;

export function resultPreview(text: string): string | null {
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, PREVIEW_CHARS) : null;
}

export interface SensesInit {
  cwd: string;
  profile: AgentProfile | undefined;
  staleMs: number | null;
  stabilityMs: number;
  /** Absolute deadline (epoch ms) of the task's timeout, if any. */
  deadline: number | null;
  lastActivity: number;
  progress(p: { progress: Progress; usage: Usage }): void;
  output(): void;
  /** CPU ticks used so far by the agent's processes (null: unknown): a quiet agent that uses CPU
   *  (a build, a test run) is alive. */
  cpuTime(): number | null;
  /** The agent waits for the person or for a follow-up: silence is expected, not a hang. */
  expectsSilence(): boolean;
  /** No sign of life for the stale timeout: the agent looks hung. */
  stale(quietMs: number): void;
  timeout(): void;
  idle(): void;
}

export class Senses {
  readonly parser: OutputParser;
  private readonly monitor: TaskMonitor;
  private readonly parsedFile: 'output' | 'events';
  private readonly idlePattern: RegExp | null;
  private progressTimer: NodeJS.Timeout | undefined;
  private outputTimer: NodeJS.Timeout | undefined;
  /** CPU ticks at the last look, to tell quiet from hung. */
  private cpuSeen: number | null;

  /** `cpuSeen`: the CPU ticks used so far (0 for a runner just started: no /proc scan per start). */
  constructor(private readonly init: SensesInit, cpuSeen: number | null) {
    const { profile } = init;
    this.cpuSeen = cpuSeen;
    this.parser = createParser(profile?.output ?? 'plain', { cwd: init.cwd });
    this.parsedFile = profile?.events_from === 'events-file' ? 'events' : 'output';
    this.idlePattern = profile?.idle_pattern ? new RegExp(profile.idle_pattern) : null;
    this.monitor = new TaskMonitor(
      { staleMs: init.staleMs ?? 0, stabilityMs: profile?.completion === 'idle' ? init.stabilityMs : null, deadline: init.deadline },
      { stale: (quietMs) => this.stale(quietMs), timeout: init.timeout, idle: init.idle },
      init.lastActivity,
    );
  }

  /** Quiet for the stale timeout: hung, unless silence is expected or the agent used CPU since the
   *  last look (true: alive, the timeout starts again). */
  private stale(quietMs: number): boolean {
    if (this.init.expectsSilence()) return true;
    const cpu = this.init.cpuTime();
    const busy = cpu !== null && this.cpuSeen !== null && cpu > this.cpuSeen;
    this.cpuSeen = cpu;
    if (!busy) this.init.stale(quietMs);
    return busy;
  }

  bytes(file: 'output' | 'events', chunk: Buffer): void {
    if (file === this.parsedFile && this.parser.feed(chunk)) this.progressSoon();
  }

  activity(file: ActivityFile): void {
    this.monitor.activity();
    if (file === 'output' && !this.outputTimer) {
      this.outputTimer = setTimeout(() => {
        this.outputTimer = undefined;
        this.init.output();
      }, NOTIFY_EVERY_MS);
    }
  }

  /**
   * Quiet for the stability window. The watcher folds the changes that come within a short window
   * into one report, so the last lines may not have been read: read them first. New bytes are activity, and
   * the window starts again. True when the agent is idle.
   */
  async idleConfirmed(observation: Observation): Promise<boolean> {
    if ((await observation.drain()) > 0) {
      this.monitor.activity();
      return false;
    }
    return !this.idlePattern || this.idlePattern.test(this.parser.state.step ?? '');
  }

  private progressSoon(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      this.init.progress(this.snapshot());
    }, NOTIFY_EVERY_MS);
  }

  snapshot(): { progress: Progress; usage: Usage } {
    const s = this.parser.state;
    const usage = { inputTokens: s.inputTokens, outputTokens: s.outputTokens, ...(s.costUsd !== undefined ? { costUsd: s.costUsd } : {}) };
    const progress = { step: s.step, toolCalls: s.toolCalls, percent: s.percent, lastActivityAt: Date.now() - this.monitor.quietMs };
    return { progress, usage };
  }

  /** The result: what the agent wrote to result.md itself, else what the parser found (saved there). */
  result(resultFile: string): string | null {
    let text = existsSync(resultFile) && statSync(resultFile).size > 0 ? readFileSync(resultFile, 'utf8') : '';
    if (!text && this.parser.state.result) {
      text = this.parser.state.result;
      writeFileAtomic(resultFile, text.endsWith('\n') ? text : `${text}\n`, 0o600);
    }
    return resultPreview(text);
  }

  stop(): void {
    this.monitor.stop();
    clearTimeout(this.progressTimer);
    clearTimeout(this.outputTimer);
  }
}
