// 6. Journal replay: 10,000 finished tasks, each written as the controller writes a real one (created,
// running, placed, completed: 4 lines), replayed by Journal directly and by a controller start-up.
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { Journal } from '../../dist/core/journal.js';
import { newTaskId } from '../../dist/core/ids.js';
import { newTask } from '../../dist/core/task.js';
import { configYaml, makeHome, now, progress, startController, stopController, summarize, teardown } from './lib.mjs';

function writeJournal(file, count, cwd) {
  const fd = openSync(file, 'w', 0o600);
  let seq = 0;
  let at = Date.now() - count * 1000;
  let chunk = '';
  const line = (entry) => {
    chunk += `${JSON.stringify({ seq: ++seq, at, ...entry })}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  };
  for (let i = 0; i < count; i++) {
    const id = newTaskId();
    const createdAt = at;
    const prompt = `Review src/module-${i}.ts for error handling gaps and list each with file:line and a suggested fix.`;
    line({
      type: 'created',
      task: newTask(
        {
          id,
          title: prompt.slice(0, 80),
          agent: 'claude',
          model: 'anthropic/claude-sonnet-4-5',
          key: 'anthropic/claude-sonnet-4-5',
          provider: 'anthropic',
          prompt,
          cwd,
          origin: { tmuxSocket: '/tmp/tmux-1000/default', tmuxPane: '%3' },
        },
        createdAt,
      ),
    });
    const startedAt = (at += 50);
    line({ type: 'updated', id, patch: { state: 'running', startedAt, notBefore: null, reason: null, attempts: [{ n: 1, startedAt }] } });
    line({ type: 'updated', id, patch: { pid: 100_000 + i, paneId: `%${10 + (i % 50)}`, placement: 'pane' } });
    const endedAt = (at += 900);
    line({
      type: 'updated',
      id,
      patch: {
        exitCode: 0,
        signal: null,
        attempts: [{ n: 1, startedAt, endedAt, exitCode: 0, signal: null, outcome: 'completed' }],
        state: 'completed',
        reason: null,
        endedAt,
        progress: { step: 'Read src/module.ts', toolCalls: 12, lastActivityAt: endedAt - 10 },
        usage: { inputTokens: 15_000, outputTokens: 1_200, costUsd: 0.063 },
        resultPreview: `Found 3 gaps in src/module-${i}.ts:\n1. line 42: the promise rejection is swallowed\n2. line 77: no timeout`,
      },
    });
    at += 50;
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return seq;
}

export async function benchReplay({ quick }) {
  const count = 10_000;
  const h = makeHome('replay', configYaml());
  const empty = makeHome('replay-empty', configYaml());

  // Baseline: the controller's start-up with an empty journal.
  const emptyReady = [];
  for (let i = 0; i < (quick ? 2 : 3); i++) {
    const ctl = await startController(empty);
    emptyReady.push(ctl.readyMs);
    await stopController(ctl);
  }
  await teardown(empty, null);

  mkdirSync(h.home, { recursive: true, mode: 0o700 });
  const lines = writeJournal(h.journal, count, h.dir);
  const bytes = statSync(h.journal).size;
  progress(`journal: ${count} tasks, ${lines} lines, ${(bytes / 1024 / 1024).toFixed(1)} MB`);

  const replayMs = [];
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    const t0 = now();
    const journal = new Journal(h.journal, `${h.home}/snapshot.json`);
    const { tasks, skipped } = journal.replay();
    replayMs.push(now() - t0);
    journal.close();
    if (tasks.size !== count || skipped) throw new Error(`replay: ${tasks.size} tasks, ${skipped} skipped`);
  }
  progress(`Journal.replay(): ${summarize(replayMs).median} ms`);

  const ready = [];
  for (let i = 0; i < (quick ? 2 : 3); i++) {
    const ctl = await startController(h);
    ready.push(ctl.readyMs);
    await stopController(ctl);
  }
  progress(`controller start-up to ready: ${summarize(ready).median} ms with the journal, ${summarize(emptyReady).median} ms empty`);
  await teardown(h, null);
  const r = summarize(ready);
  const e = summarize(emptyReady);
  return { tasks: count, lines, bytes, replay: summarize(replayMs), ready: r, readyEmpty: e, readyExtraMs: Math.round((r.median - e.median) * 10) / 10 };
}
