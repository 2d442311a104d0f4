// An interactive agent's signals, read in chunks as the watcher delivers them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Conversation } from '../../src/attempt/conversation.js';
import { taskPaths } from '../../src/core/paths.js';
import type { AgentSignal } from '../../src/core/signal.js';
import { newTaskRecord, type TaskRecord } from '../../src/core/task.js';
import { signalAdapter } from '../../src/runner/signals/index.js';

/** A conversation over an agent writing panecrew signal lines, with the task it records into. */
function conversation() {
  const paths = taskPaths(mkdtempSync(join(tmpdir(), 'panecrew-conversation-')), 'bg_00000001');
  const states: string[] = [];
  let task: TaskRecord = { ...newTaskRecord({ id: 'bg_00000001', title: 't', agent: 'fake', model: null, key: 'k', provider: 'local', prompt: 'p', cwd: '/' }), state: 'running', attempts: [{ n: 1, state: 'running', startedAt: 1, interactive: true }] };
  const c = new Conversation({
    n: 1,
    paths,
    adapter: signalAdapter('panecrew'),
    pastePrompt: false,
    keepOpenMs: 60_000,
    owner: {
      current: () => task,
      record: (_attempt, patch) => {
        task = { ...task, ...patch };
        if (patch?.state) states.push(patch.state);
        return task;
      },
      progress: () => {},
      output: () => {},
      done: () => {},
      log: () => {},
    },
    deliver: async () => {},
    idleTooLong: () => {},
  });
  const say = (...signals: Array<Partial<AgentSignal> & Pick<AgentSignal, 'kind'>>) => c.bytes(Buffer.from(signals.map((s) => `${JSON.stringify({ at: 2, ...s })}\n`).join('')));
  return { c, paths, say, states, task: () => task };
}

it('reads a signal whose line was split inside a character by two reads', () => {
  const { c, paths, task } = conversation();
  const line = Buffer.from(`${JSON.stringify({ kind: 'turn-end', at: 2, result: 'le café est prêt' })}\n`);
  const cut = line.indexOf(Buffer.from('é')) + 1; // between the two bytes of é
  c.bytes(line.subarray(0, cut));
  c.bytes(line.subarray(cut));
  c.stop();
  expect(task().state).toBe('completed');
  expect(task().resultPreview).toBe('le café est prêt');
  expect(readFileSync(paths.result, 'utf8')).toBe('le café est prêt');
});

it('keeps a question open while another tool runs in parallel; the asked step ending answers it', () => {
  const { c, say, states, task } = conversation();
  say({ kind: 'step', tool: 'Bash', target: 'npm test' }, { kind: 'step', tool: 'Read', target: 'a.ts' }, { kind: 'waiting', tool: 'Bash', target: 'npm test', question: 'Allow Bash `npm test`?' });
  say({ kind: 'step', tool: 'Grep', target: 'TODO' }, { kind: 'step-done', tool: 'Read', target: 'a.ts' }, { kind: 'step-done', tool: 'Grep', target: 'TODO' });
  expect(task().state).toBe('waiting');
  expect(task().question).toBe('Allow Bash `npm test`?');
  say({ kind: 'step-done', tool: 'Bash', target: 'npm test' });
  expect(task().state).toBe('running');
  // A question about no step in particular (a dialog) is answered by whatever the agent does next.
  say({ kind: 'waiting', question: 'Claude needs your permission' }, { kind: 'step', tool: 'Read', target: 'b.ts' });
  c.stop();
  expect(states).toEqual(['waiting', 'running', 'waiting', 'running']);
});

it('brings a finished turn up to date with the session totals that come after its end', () => {
  const { c, say, task } = conversation();
  say({ kind: 'usage', costUsd: 0.01, inputTokens: 100, outputTokens: 10 }, { kind: 'turn-end', result: 'done', inputTokens: 150, outputTokens: 20 });
  expect(task()).toMatchObject({ state: 'completed', usage: { inputTokens: 150, outputTokens: 20, costUsd: 0.01 } });
  say({ kind: 'usage', costUsd: 0.02, inputTokens: 180, outputTokens: 25 });
  expect(task()).toMatchObject({ state: 'completed', usage: { inputTokens: 180, outputTokens: 25, costUsd: 0.02 } });
  c.stop();
});
