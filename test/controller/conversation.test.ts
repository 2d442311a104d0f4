// An interactive agent's signals, read in chunks as the watcher delivers them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Conversation } from '../../src/attempt/conversation.js';
import { taskPaths } from '../../src/core/paths.js';
import { newTaskRecord, type TaskRecord } from '../../src/core/task.js';
import { signalAdapter } from '../../src/runner/signals/index.js';

it('reads a signal whose line was split inside a character by two reads', () => {
  const paths = taskPaths(mkdtempSync(join(tmpdir(), 'panecrew-conversation-')), 'bg_00000001');
  let task: TaskRecord = { ...newTaskRecord({ id: 'bg_00000001', title: 't', agent: 'fake', model: null, key: 'k', provider: 'local', prompt: 'p', cwd: '/' }), state: 'running', attempts: [{ n: 1, state: 'running', startedAt: 1, interactive: true }] };
  const conversation = new Conversation({
    n: 1,
    paths,
    adapter: signalAdapter('panecrew'),
    pastePrompt: false,
    keepOpenMs: 60_000,
    owner: {
      current: () => task,
      record: (_attempt, patch) => (task = { ...task, ...patch }),
      progress: () => {},
      output: () => {},
      done: () => {},
      log: () => {},
    },
    deliver: async () => {},
    idleTooLong: () => {},
  });
  const line = Buffer.from(`${JSON.stringify({ kind: 'turn-end', at: 2, result: 'le café est prêt' })}\n`);
  const cut = line.indexOf(Buffer.from('é')) + 1; // between the two bytes of é
  conversation.bytes(line.subarray(0, cut));
  conversation.bytes(line.subarray(cut));
  conversation.stop();
  expect(task.state).toBe('completed');
  expect(task.resultPreview).toBe('le café est prêt');
  expect(readFileSync(paths.result, 'utf8')).toBe('le café est prêt');
});
