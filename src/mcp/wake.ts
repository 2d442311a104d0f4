// The rewake waiter: Claude Code runs it as an `asyncRewake` command hook, in the background; when
// it exits 2, its stderr reaches the main agent as a notification and an idle session takes a turn.
// It tells the endings (and, under `milestone`, progress) of this main session's tasks, each once
// (the controller's claim), then exits; the next turn's Stop hook arms the next one. One waiter per
// session; none outlives its main agent.
import { ControllerClient } from '../controller/client.js';
import type { ListedTask } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';
import { notice, titled } from './hook.js';
import { mainAgentAlive } from './main-agent.js';
import { holdWaiterLock } from './waiter-lock.js';

/** Endings within this long of the first one told are one wake (while more of the session's tasks run). */
const BURST_MS = 300;
const RECONNECT_MS = 250;
const ALIVE_CHECK_MS = 500;

export interface HookInput {
  session: string;
  /** `hook_event_name`: SessionStart, Stop, PostToolUse. */
  event: string;
  /** Task ids in the tool's answer (a `task` call's `task_id: bg_…`). */
  link: string[];
}

/** The fields of a Claude Code hook event that matter here; null when it has no usable session id. */
export function parseHookInput(text: string): HookInput | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { session_id: session, hook_event_name: event, tool_response: response } = raw as { session_id?: unknown; hook_event_name?: unknown; tool_response?: unknown };
  if (typeof session !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/.test(session)) return null;
  const link = [...JSON.stringify(response ?? '').matchAll(/task_id: (bg_[0-9a-z]{8})/g)].map((m) => m[1]!);
  return { session, event: typeof event === 'string' ? event : '', link: [...new Set(link)] };
}

export type Milestone = { task: ListedTask; percent: number };

/** What a wake tells: endings, and progress milestones under the `milestone` strategy. */
export interface Told {
  tasks: ListedTask[];
  milestones: Milestone[];
}

/** What the main agent reads: one line per ending or milestone, then how to read a result. */
export function wakeText({ tasks, milestones }: Told): string {
  const lines = [...tasks.map(notice), ...milestones.map((m) => `⏳ Background task ${m.task.id}${titled(m.task)} is ${m.percent}% done`)];
  if (tasks.length) lines.push('Read a whole result with background_output(task_id).');
  return lines.join('\n');
}

export interface WaitDeps {
  env: NodeJS.ProcessEnv;
  input: HookInput;
  /** The main agent's pid: the waiter gives up once it is gone. */
  mainPid: number;
}

type Base = { op: 'claim'; session: string; pane: string; link: string[]; wake: true };

/**
 * Resolves with what to tell (exit 2), or null when there is nothing to do (exit 0): another
 * waiter serves this session, the strategy is silent, or the main agent is gone.
 */
export async function waitForEndings({ env, input, mainPid }: WaitDeps): Promise<Told | null> {
  const pane = env.TMUX_PANE || 'headless';
  const base: Base = { op: 'claim', session: input.session, pane, link: input.link, wake: true };
  const lock = holdWaiterLock(env, input.session, mainPid);
  if (!lock) {
    // Another waiter serves this session: only record which tasks are its own.
    if (input.link.length) await linkOnly(env, base).catch(() => {});
    return null;
  }
  try {
    for (;;) {
      if (!mainAgentAlive(mainPid)) return null;
      const outcome = await oneConnection(env, base, mainPid).catch(() => 'reconnect' as const);
      if (outcome !== 'reconnect') return outcome;
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  } finally {
    lock.release();
  }
}

async function linkOnly(env: NodeJS.ProcessEnv, base: Base): Promise<void> {
  const client = await ControllerClient.connect({ env, autostart: false });
  try {
    await client.request({ ...base, take: false });
  } finally {
    client.close();
  }
}

/** One connection's worth of waiting: what to tell, null (nothing to do), or 'reconnect' (it went away). */
function oneConnection(env: NodeJS.ProcessEnv, base: Base, mainPid: number): Promise<Told | null | 'reconnect'> {
  return new Promise((resolve, reject) => {
    let client: ControllerClient | undefined;
    /** Claimed (so told by nobody else) and not yet handed over: never dropped. */
    const held: Told = { tasks: [], milestones: [] };
    const holding = () => held.tasks.length + held.milestones.length > 0;
    let window: NodeJS.Timeout | undefined;
    let claiming = false;
    /** An ending came while a claim was under way: claim once more after it. */
    let again = false;
    const alive = setInterval(() => !mainAgentAlive(mainPid) && finish(null), ALIVE_CHECK_MS);
    const finish = (v: Told | null | 'reconnect'): void => {
      clearInterval(alive);
      clearTimeout(window);
      client?.close();
      resolve(v === 'reconnect' && holding() ? held : v);
    };
    const claim = async (): Promise<void> => {
      if (!client) return;
      if (claiming) {
        again = true;
        return;
      }
      claiming = true;
      try {
        const { tasks, milestones, active } = await client.request({ ...base, take: true });
        held.tasks.push(...tasks);
        held.milestones.push(...milestones);
        // Nothing of this session still runs: no burst can follow, tell now. Else what comes in
        // the next moments joins this wake.
        if (holding() && active === 0) return finish(held);
        if (holding()) window ??= setTimeout(() => finish(held), BURST_MS);
      } catch {
        return finish('reconnect');
      } finally {
        claiming = false;
      }
      if (again) {
        again = false;
        await claim();
      }
    };
    ControllerClient.connect({ env, autostart: false })
      .then(async (c) => {
        client = c;
        c.onClose(() => finish('reconnect'));
        // `silent` wakes nobody: asked before claiming, so the endings stay for background_output.
        const { strategy } = await c.request({ ...base, take: false });
        if (strategy === 'silent') return finish(null);
        const milestones = strategy === 'milestone' || strategy === 'verbose';
        // Subscribed before the first claim: an ending cannot fall between the two.
        await c.subscribe((e) => {
          if (e.event !== 'task') return;
          if (isFinal(e.task.state) || (milestones && e.task.state === 'running' && e.task.progress.percent !== undefined)) void claim();
        });
        await claim();
      })
      .catch(reject);
  });
}
