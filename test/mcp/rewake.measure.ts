// Task end → the idle main agent's next model request, with the real CLIs in tmux panes against
// the local mock API: panecrew's rewake waiter in Claude Code, beside Claude Code's own background
// Bash command measured the same way in the same run, and panecrew's plugin in OpenCode. Every
// command writes its end time as its last act; a request's time is when the mock API received it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFinal } from '../../src/core/task.js';
import { until, type TestController } from '../support/controller.js';
import { startClaudePane } from '../support/claude-pane.js';
import { startOpencodePane } from '../support/opencode-pane.js';
import { offersTool, toolExchanges, type MockApi, type MockReply, type RecordedRequest } from '../support/mock-api.js';

const N = Number(process.env.REWAKE_N ?? 10);
const last = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');
/** Sleeps a second, then writes its end time (ms) to its argument: a script, so no agent's shell wrapper touches `date +%s%3N`. */
const STAMP = 'sleep 1\ndate +%s%3N > "$1"\n';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const line = (name: string, xs: number[]) => `${name}: median ${median(xs)} ms, p90 ${p90(xs)} ms (n ${xs.length}: ${xs.join(' ')})`;

const figures: { claude: number[]; bash: number[]; opencode: number[]; phases: Array<{ event: number; exit: number; request: number }> } = { claude: [], bash: [], opencode: [], phases: [] };

/** `BASH-RUN <file>`: one background Bash command; `PANECREW-LINK`: one panecrew tool call (OpenCode's plugin learns the session); every other request is acknowledged. */
function model(stamp: () => string) {
  return (req: RecordedRequest): MockReply => {
    // The path ends at the JSON's closing quote (`\S+` once took `","cache_control"…` with it, and
    // Claude Code's eval of that command failed: "unexpected EOF while looking for matching `"'").
    // Only a request that offers Bash gets the call (not a title request).
    // The latest prompt's, wherever in the conversation it is (Claude Code may add reminders after it).
    const bash = [...JSON.stringify(req.messages).matchAll(/BASH-RUN ([^\s"\\]+)/g)].at(-1);
    if (bash && offersTool(req, 'Bash') && !toolExchanges(req).some((e) => e.name === 'Bash' && JSON.stringify(e.input).includes(bash[1]!))) {
      return { text: 'Starting.', toolUse: { name: 'Bash', input: { command: `sh ${stamp()} ${bash[1]!}`, description: 'timed command', run_in_background: true } } };
    }
    if (last(req).includes('PANECREW-LINK') && offersTool(req, 'panecrew_background_list')) return { text: 'Listing.', toolUse: { name: 'panecrew_background_list', input: {} } };
    return { text: 'Noted.' };
  };
}

/** Times `n` tasks launched from the main agent's pane: each one's end → the first request that carries its ending. */
async function timeWakes(
  tc: TestController,
  api: MockApi,
  arrivals: number[],
  pane: string,
  dir: string,
  hooks: { before?: () => Promise<void>; after?: (id: string, end: number, request: number) => void } = {},
): Promise<number[]> {
  const out: number[] = [];
  const c = await tc.client();
  try {
    for (let i = 0; i < N; i++) {
      await hooks.before?.();
      const file = join(dir, `pc-${i}`);
      const from = api.requests.length;
      const t = await tc.launchFast(c, { prompt: `sh ${join(dir, 'stamp.sh')} ${file}`, title: `timed ${i}`, origin: { tmuxPane: pane } });
      const wake = await until(() => api.requests.find((q) => q.index >= from && JSON.stringify(q.messages).includes(`Background task ${t.id} `)) ?? null, `the wake for ${t.id}`, 30_000);
      const end = Number(readFileSync(file, 'utf8'));
      out.push(arrivals[wake.index]! - end);
      hooks.after?.(t.id, end, arrivals[wake.index]!);
    }
  } finally {
    c.close();
  }
  return out;
}

afterAll(() => {
  const { claude, bash, opencode, phases } = figures;
  const rows = ['[rewake] task end → the main agent next model request'];
  if (claude.length) rows.push(`[rewake] ${line('Claude Code, panecrew rewake waiter', claude)}`);
  if (phases.length) {
    const m = (k: 'event' | 'exit' | 'request') => median(phases.map((p) => p[k]));
    rows.push(`[rewake]   of which: task end → controller event ${m('event')} ms, → waiter exits 2 ${m('exit')} ms, → Claude Code's request ${m('request')} ms (medians)`);
  }
  if (bash.length) rows.push(`[rewake] ${line("Claude Code's own background Bash (run_in_background)", bash)}`);
  if (opencode.length) rows.push(`[rewake] ${line('OpenCode, panecrew plugin', opencode)}`);
  if (bash.length && claude.length) rows.push(`[rewake] ratio of medians, Claude Code panecrew / its own Bash: ${(median(claude) / median(bash)).toFixed(2)}`);
  if (bash.length && opencode.length) rows.push(`[rewake] ratio of medians, OpenCode panecrew / Claude Code's own Bash: ${(median(opencode) / median(bash)).toFixed(2)}`);
  console.log(rows.join('\n'));
});

describe.sequential('task end → the main agent next model request', () => {
  it(`Claude Code: panecrew's rewake beside its own background Bash, n = ${N} each`, async () => {
    let stamp = '';
    const cp = await startClaudePane(model(() => stamp), { allow: ['Bash'] });
    stamp = join(cp.dir, 'stamp.sh');
    writeFileSync(stamp, STAMP);
    const events = new Map<string, number>();
    const watch = await cp.tc.client();
    try {
      await watch.subscribe((e) => e.event === 'task' && isFinal(e.task.state) && !events.has(e.task.id) && events.set(e.task.id, Date.now()));
      // A first turn: before one, Claude Code 2.1.197 holds an async hook's wake (seen here).
      await cp.type('hello');
      // The waiter that will wake (the previous turn's Stop hook armed it), and when it exits, watched from here.
      let waiter: number | undefined;
      let exitedAt = 0;
      const exitWatch = setInterval(() => {
        if (waiter === undefined || exitedAt) return;
        try {
          process.kill(waiter, 0);
        } catch {
          exitedAt = Date.now();
        }
      }, 2);
      try {
        figures.claude = await timeWakes(cp.tc, cp.api, cp.arrivals, cp.tmux.mainPane, cp.dir, {
          before: async () => {
            await cp.waiterArmed();
            waiter = cp.waiters()[0];
            exitedAt = 0;
          },
          after: (id, end, request) => figures.phases.push({ event: events.get(id)! - end, exit: exitedAt - end, request: request - end }),
        });
      } finally {
        clearInterval(exitWatch);
      }
      for (let i = 0; i < N; i++) {
        // Inside the project: Claude Code's Bash may refuse to write outside it.
        const file = join(cp.dir, 'project', `bash-${i}`);
        await cp.type(`BASH-RUN ${file}`);
        // Claude Code's notification names the background command by the id its tool result gave.
        const launched = await until(() => cp.api.requests.flatMap((q) => toolExchanges(q)).find((e) => e.name === 'Bash' && JSON.stringify(e.input).includes(file) && e.result) ?? null, `the command for ${file}`, 30_000).catch(async (e: Error) => {
          throw new Error(`${e.message}\n${await cp.screen()}\n${JSON.stringify(cp.api.requests.at(-1)!.messages.slice(-2)).slice(0, 3000)}`);
        });
        const bashId = /\bID: (\w+)/.exec(launched.result)?.[1];
        if (!bashId) throw new Error(`no background id in: ${launched.result}`);
        const wake = await until(() => cp.api.requests.find((q) => JSON.stringify(q.messages).includes(`<task-id>${bashId}</task-id>`)) ?? null, `the notification for ${file}`, 30_000).catch(async (e: Error) => {
          throw new Error(`${e.message}\n${await cp.screen()}`);
        });
        if (!existsSync(file)) throw new Error(`a notification before ${file} was written:\n${JSON.stringify(wake.messages.slice(-2)).slice(0, 3000)}`);
        figures.bash.push(cp.arrivals[wake.index]! - Number(readFileSync(file, 'utf8')));
      }
    } finally {
      watch.close();
      await cp.close();
    }
    expect(figures.claude).toHaveLength(N);
  });

  it(`OpenCode: panecrew's plugin, n = ${N}`, async () => {
    const op = await startOpencodePane(model(() => ''));
    try {
      writeFileSync(join(op.dir, 'stamp.sh'), STAMP);
      // The plugin learns its session from a panecrew tool call.
      await op.type('PANECREW-LINK: list the background tasks');
      await until(() => op.api.requests.find((q) => toolExchanges(q).some((e) => e.name === 'panecrew_background_list')) ?? null, 'the list call', 60_000);
      figures.opencode = await timeWakes(op.tc, op.api, op.arrivals, op.tmux.mainPane, op.dir);
    } finally {
      await op.close();
    }
    expect(figures.opencode).toHaveLength(N);
  });
});
