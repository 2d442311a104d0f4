// Task end → the idle main agent's next model request, in the real Claude Code in a tmux pane:
// panecrew's rewake waiter beside Claude Code's own background Bash command, measured the same way
// in the same session (both commands write their end time as their last act).
// Known: here, Claude Code 2.1.197's background Bash fails every command before running it
// ("eval: unexpected EOF while looking for matching `"'" in its output file), so the Bash half
// stops with that error after the panecrew figures are printed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/controller.js';
import { startClaudePane, type ClaudePane } from '../support/claude-pane.js';
import { toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';

const N = 10;
const last = (req: RecordedRequest) => JSON.stringify(req.messages.at(-1) ?? '');
/** Ends with its end time (ms) in `file` (a script: Claude Code's Bash wrapper mangled `date +%s%3N` inline). */
const command = (file: string) => `sh ${join(cp.dir, 'stamp.sh')} ${file}`;

let cp: ClaudePane;

/** `BASH-RUN <file>`: one background Bash command; every notification is acknowledged. */
function model(req: RecordedRequest): MockReply {
  const prompt = /BASH-RUN (\S+)/.exec(last(req));
  if (prompt && !toolExchanges(req).some((e) => e.name === 'Bash' && JSON.stringify(e.input).includes(prompt[1]!))) {
    return { text: 'Starting.', toolUse: { name: 'Bash', input: { command: command(prompt[1]!), description: 'timed command', run_in_background: true } } };
  }
  return { text: 'Noted.' };
}

beforeAll(async () => {
  cp = await startClaudePane(model, ['Bash']);
  writeFileSync(join(cp.dir, 'stamp.sh'), 'sleep 1\ndate +%s%3N > "$1"\n');
}, 120_000);
afterAll(async () => {
  await cp?.close();
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
/** Claude Code's own background-command notifications in the conversation (ours say "Stop hook feedback"). */
const ownNotifications = (q: RecordedRequest) => {
  const text = JSON.stringify(q.messages);
  return text.split('<task-notification>').length - text.split('Stop hook feedback</summary>').length;
};
const firstAfter = (from: number, has: (req: RecordedRequest) => boolean) => cp.api.requests.find((q) => q.index >= from && has(q));

describe('task end → the main agent next model request', () => {
  it(`panecrew's rewake beside Claude Code's own background Bash, n = ${N} each`, async () => {
    const panecrew: number[] = [];
    const bash: number[] = [];
    const c = await cp.tc.client();
    // A first turn: before one, Claude Code 2.1.197 holds an async hook's wake (seen here).
    await cp.type('hello');
    try {
      for (let i = 0; i < N; i++) {
        await cp.waiterArmed();
        const file = join(cp.dir, `pc-${i}`);
        const from = cp.api.requests.length;
        const t = await cp.tc.launchFast(c, { prompt: command(file), title: `timed ${i}`, origin: { tmuxPane: cp.tmux.mainPane } });
        const wake = await until(() => firstAfter(from, (q) => JSON.stringify(q.messages).includes(`Background task ${t.id} `)) ?? null, `the wake for ${t.id}`, 30_000).catch(async (e: Error) => {
          throw new Error(`${e.message}\n${await cp.screen()}\n${cp.api.requests.map((q) => `#${q.index} ${last(q).slice(0, 300)}`).join('\n')}`);
        });
        panecrew.push(cp.arrivals[wake.index]! - Number(readFileSync(file, 'utf8')));
      }
      console.log(`[rewake] panecrew rewake (task end → next model request): median ${median(panecrew)} ms, p90 ${p90(panecrew)} ms (n ${N}: ${panecrew.join(' ')})`);
      for (let i = 0; i < N; i++) {
        // Inside the project: Claude Code's Bash may refuse to write outside it.
        const file = join(cp.dir, 'project', `bash-${i}`);
        await cp.type(`BASH-RUN ${file}`);
        const from = cp.api.requests.length;
        const wake = await until(() => firstAfter(from, (q) => ownNotifications(q) > i) ?? null, `the notification for ${file}`, 30_000);
        if (!existsSync(file)) throw new Error(`a notification before ${file} was written:\n${JSON.stringify(wake.messages.slice(-3)).slice(0, 3000)}`);
        bash.push(cp.arrivals[wake.index]! - Number(readFileSync(file, 'utf8')));
      }
    } finally {
      c.close();
    }
    const line = (name: string, xs: number[]) => `${name}: median ${median(xs)} ms, p90 ${p90(xs)} ms (n ${xs.length}: ${xs.join(' ')})`;
    console.log(
      [
        `[rewake] ${line('panecrew rewake (task end → next model request)', panecrew)}`,
        `[rewake] ${line("Claude Code's own background Bash (same)", bash)}`,
        `[rewake] ratio of medians panecrew / Claude Code: ${(median(panecrew) / median(bash)).toFixed(2)}`,
      ].join('\n'),
    );
    expect(median(panecrew)).toBeLessThan(5_000);
  });
});
