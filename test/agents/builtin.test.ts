// panecrew's built-in agent as a background task, against the local Messages API server: it explores
// this repository with the demo's explorer script, and it is requeued when the API rate-limits it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANES_CONFIG, startTestController, until, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { explorerScript, startMockApi, type MockApi, type RecordedRequest } from '../support/mock-api.js';
import { followTask, launchWith, REPO, resultOf } from './support.js';

const CONFIG = `
background_task:
  resourceGate: { enabled: false }
  killGraceMs: 1s
  retry: { attempts: 3, backoffMs: 100ms }
tmux:
  enabled: false
notification:
  strategy: silent
agents:
  # The built-in agent without its own SDK retries, so a 429 ends the attempt at once (exit 75).
  builtin-fast:
    command: ['{node}', '{panecrew}', agent, --prompt-file, '{prompt_file}', --model, '{model_name}', --events, '{task_dir}/events.jsonl', --max-retries, '0']
    output: panecrew-events
    events_from: events-file
    retry_exit_codes: [75]
    provider: anthropic
`;

const apiEnv = (url: string): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'sk-ant-test-dummy' });

// The built-in agent writes its events to events.jsonl and a transcript to its output: the pane shows
// that transcript as it is (plain), never the events.
describe('the built-in agent in a tmux pane', () => {
  let tc: TestController;
  let tmux: TestTmuxServer;
  let api: MockApi;
  beforeAll(async () => {
    tmux = await startTmuxServer();
    tc = await startTestController(PANES_CONFIG);
    api = await startMockApi(explorerScript);
  });
  afterAll(async () => {
    await api?.close();
    await tc?.stop();
    await tmux?.kill();
  });

  it('shows its tool steps and its summary in the pane, no JSON line; its events stay in events.jsonl', async () => {
    const env = { ...apiEnv(api.url), ...(await paneEnv(tmux)) };
    const { final, seen } = await followTask(tc, () => launchWith(tc, ['--agent', 'builtin', '--model', 'anthropic/claude-haiku-4-5', '--cwd', REPO, '--', 'Explore this repository.'], env));
    expect(final.state, final.reason ?? '').toBe('completed');
    const paneId = seen.find((t) => t.paneId)?.paneId;
    expect(paneId).toBeTruthy();
    let rows: string[] = [];
    await until(async () => {
      rows = (await tmux.client.run(['capture-pane', '-p', '-J', '-S', '-', '-t', paneId!])).split('\n');
      return rows.some((r) => r.includes(`panecrew ${final.id}: completed`));
    }, 'the ending banner');
    const screen = rows.join('\n');
    expect(rows.filter((r) => /^\s*\{"/.test(r)), screen).toEqual([]);
    expect(rows.some((r) => /^→ \S/.test(r)), screen).toBe(true);
    expect(rows.some((r) => /^✓ done: /.test(r)), screen).toBe(true);
    const events = readFileSync(join(tc.home, 'tasks', final.id, 'events.jsonl'), 'utf8');
    expect(events).toContain('"type":"result"');
  });
});

describe('the built-in agent under panecrew', () => {
  let tc: TestController;
  beforeAll(async () => {
    tc = await startTestController(CONFIG);
  });
  afterAll(async () => {
    await tc?.stop();
  });

  describe('exploring this repository', () => {
    let api: MockApi;
    beforeAll(async () => {
      api = await startMockApi(explorerScript);
    });
    afterAll(async () => {
      await api?.close();
    });

    it('completes with a summary quoting the files it read, its tool calls counted from events.jsonl', async () => {
      const { final } = await followTask(tc, () =>
        launchWith(tc, ['--agent', 'builtin', '--model', 'anthropic/claude-haiku-4-5', '--cwd', REPO, '--', 'Explore this repository.'], apiEnv(api.url)),
      );
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(final.key).toBe('anthropic/claude-haiku-4-5');
      const result = (await resultOf(tc, final.id)) ?? '';
      expect(result).toContain('Exploration summary');
      // The explorer reads the README: its first lines, as read from disk, are in the answer.
      expect(result).toContain('README.md begins:');
      expect(result).toContain(readFileSync(join(REPO, 'README.md'), 'utf8').split('\n')[0]!);
      expect(final.progress.toolCalls).toBeGreaterThan(0);
      expect(final.usage.inputTokens).toBeGreaterThan(0);
      const events = readFileSync(join(tc.home, 'tasks', final.id, 'events.jsonl'), 'utf8');
      expect(events.split('\n').filter((l) => l.includes('"type":"step"')).length).toBe(final.progress.toolCalls);
    });
  });

  describe('rate limited', () => {
    let api: MockApi;
    beforeAll(async () => {
      // The first request gets a 429; everything after it explores normally.
      api = await startMockApi((req: RecordedRequest) =>
        req.index === 0 ? { error: { status: 429, message: 'mock rate limit', retryAfter: 0 } } : explorerScript(req),
      );
    });
    afterAll(async () => {
      await api?.close();
    });

    it('exits 75, is requeued with backoff, and completes on the second attempt', async () => {
      const { final, seen } = await followTask(tc, () =>
        launchWith(tc, ['--agent', 'builtin-fast', '--model', 'anthropic/claude-haiku-4-5', '--cwd', REPO, '--', 'Explore this repository.'], apiEnv(api.url)),
      );
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(final.attempts).toHaveLength(2);
      expect(final.attempts[0]).toMatchObject({ exitCode: 75, cause: { kind: 'retry', code: 75, attempt: 1 } });
      expect(final.attempts[1]).toMatchObject({ exitCode: 0, cause: { kind: 'exit', code: 0 } });
      const requeued = seen.find((t) => t.state === 'pending' && t.attempts.length === 1);
      expect(requeued?.reason).toMatch(/attempt 1\/3 exited 75 \(rate limited\?\); retrying/);
      expect((await resultOf(tc, final.id)) ?? '').toContain('Exploration summary');
      expect(api.requests.length).toBeGreaterThan(1);
    });
  });
});
