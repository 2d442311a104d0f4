// The real Claude Code and OpenCode CLIs (node_modules/.bin) run by panecrew as background agents,
// offline against the local Messages API server: headless, and in a real tmux pane beside a main pane.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CONFIG, PANES_CONFIG, startTestController, until, type TestController } from '../support/controller.js';
import { startMockApi, type MockApi } from '../support/mock-api.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { claudeEnv, followTask, launchWith, makeProject, OPENCODE_MODEL, opencodeEnv, PHRASE, readFileScript, resultOf, type Project } from './support.js';

/** A row that parses as a JSON object or array: what a pane must never show. */
const isJsonLine = (row: string): boolean => {
  const t = row.trim();
  if (!/^[[{]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return /^\{"/.test(t); // a JSON line cut or wrapped by the pane
  }
};

const installed = (bin: string) => existsSync(resolve(import.meta.dirname, '../../node_modules/.bin', bin));

const CLIS: Array<{ name: string; bin: string; agent: string[]; tool: 'Read' | 'read'; step: RegExp; env: typeof claudeEnv }> = [
  { name: 'Claude Code', bin: 'claude', agent: ['--agent', 'claude'], tool: 'Read', step: /Read\b.*NOTES\.md/, env: claudeEnv },
  // opencode-ai is installed beside npm ci (npm run agents:install): see .ci/run for why.
  { name: 'OpenCode', bin: 'opencode', agent: ['--agent', 'opencode', '--model', OPENCODE_MODEL], tool: 'read', step: /NOTES\.md/, env: opencodeEnv },
];

for (const cli of CLIS.filter((c) => !installed(c.bin))) {
  it.skip(`${cli.name}: node_modules/.bin/${cli.bin} is not installed (npm run agents:install)`, () => {});
}

describe.each(CLIS.filter((c) => installed(c.bin)))('$name under panecrew', ({ agent, tool, step, env }) => {
  let project: Project;
  let api: MockApi;
  const ask = ['--cwd', '', '--', 'What do the notes in NOTES.md say?'];

  beforeAll(async () => {
    project = makeProject();
    ask[1] = project.dir;
    api = await startMockApi(readFileScript(tool, project.file));
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('headless', () => {
    let tc: TestController;
    beforeAll(async () => {
      tc = await startTestController(BASE_CONFIG);
    });
    afterAll(async () => {
      await tc?.stop();
    });

    it(`reads a file with its ${tool} tool and completes with an answer quoting it`, async () => {
      const { final, seen } = await followTask(tc, () => launchWith(tc, [...agent, '--title', 'read the notes', ...ask], env(api.url, project.home)));
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(final.placement).toBe('headless');
      expect(await resultOf(tc, final.id)).toContain(PHRASE);
      expect(final.usage.inputTokens).toBeGreaterThan(0);
      expect(final.usage.outputTokens).toBeGreaterThan(0);
      expect(final.progress.toolCalls).toBeGreaterThanOrEqual(1);
      // The step names the tool call while it runs; the final step may have moved on.
      const steps = [...seen.map((t) => t.progress.step), final.progress.step].filter(Boolean);
      expect(steps.some((s) => step.test(s!))).toBe(true);
      // The CLI really went to the local server: a tool-carrying request and the follow-up.
      expect(api.requests.filter((r) => r.tools.some((t) => t.name === tool)).length).toBeGreaterThanOrEqual(2);
      // The prompt reached the CLI by its standard input, not argv (where ps shows it to everyone).
      expect(JSON.stringify(api.requests.find((r) => r.tools.length > 0)?.messages[0])).toContain(ask[3]);
    });
  });

  describe('in a tmux pane', () => {
    let tc: TestController;
    let tmux: TestTmuxServer;
    let launcherEnv: Record<string, string>;

    beforeAll(async () => {
      tmux = await startTmuxServer();
      tc = await startTestController(PANES_CONFIG);
      launcherEnv = { ...env(api.url, project.home), ...(await paneEnv(tmux)) };
    });
    afterAll(async () => {
      await tc?.stop();
      await tmux?.kill();
    });

    // Print mode (Claude Code runs its TUI in a pane by default: test/agents/claude-live.test.ts).
    it('opens a pane beside the launcher, shows the run there as text (no JSON), and leaves the ending banner in it', async () => {
      const { final, seen, launched } = await followTask(tc, () => launchWith(tc, [...agent, '--mode', 'print', ...ask], launcherEnv));
      const running = seen.find((t) => t.state === 'running' && t.paneId);
      expect(running?.placement).toBe('pane');
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(await resultOf(tc, launched.id)).toContain(PHRASE);
      expect(final.progress.toolCalls).toBeGreaterThanOrEqual(1);
      expect(final.usage.inputTokens).toBeGreaterThan(0);
      // The pane is still there (close_delay 60s), tagged with the task, in the launcher's window.
      const panes = await tmux.client.run(['list-panes', '-t', tmux.mainWindow, '-F', '#{pane_id} #{@panecrew_task}']);
      expect(panes.split('\n')).toContain(`${running!.paneId!} ${launched.id}`);
      // The banner shows under the agent's last output.
      let screen = '';
      await until(async () => (screen = await tmux.client.run(['capture-pane', '-p', '-t', running!.paneId!])).includes(`panecrew ${launched.id}: completed`), 'the ending banner').catch(
        (err: Error) => {
          const log = readFileSync(join(tc.home, 'controller.log'), 'utf8');
          throw new Error(`${err.message}\n--- pane ---\n${screen}\n--- controller.log ---\n${log.slice(-3000)}`);
        },
      );
      // The pane shows the run rendered: the tool step, the answer, the tokens; never a JSON line.
      const rows = (await tmux.client.run(['capture-pane', '-p', '-J', '-S', '-', '-t', running!.paneId!])).split('\n');
      expect(rows.filter(isJsonLine), screen).toEqual([]);
      expect(rows.some((r) => r.startsWith('● ') && step.test(r)), screen).toBe(true);
      expect(rows.join(' '), screen).toContain(PHRASE);
      expect(rows.some((r) => /^\d+ tool calls? · tokens \d/.test(r)), screen).toBe(true);
      // output.log keeps the agent's raw JSON stream for the controller's parser.
      const log = readFileSync(join(tc.home, 'tasks', launched.id, 'output.log'), 'utf8');
      expect(log.split('\n').filter(isJsonLine).length).toBeGreaterThan(2);
    });
  });
});
