// The real OpenCode CLI (node_modules/.bin/opencode) run by panecrew as a background agent, offline
// against the local Messages API server: headless, and in a real tmux pane beside a main pane.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';
import { startMockApi, type MockApi } from '../support/mock-api.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { opencodeEnv, followTask, launchWith, makeProject, PHRASE, OPENCODE_MODEL, readFileScript, resultOf, type Project } from './support.js';

const HEADLESS = `
background_task:
  resourceGate: { enabled: false }
  killGraceMs: 1s
tmux:
  enabled: false
notification:
  strategy: silent
`;

const PANES = `
background_task:
  resourceGate: { enabled: false }
  killGraceMs: 1s
tmux:
  enabled: true
  close_delay_ms: 60s
notification:
  strategy: silent
`;

describe('OpenCode under panecrew', () => {
  let project: Project;
  let api: MockApi;

  beforeAll(async () => {
    project = makeProject();
    api = await startMockApi(readFileScript('read', project.file));
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('headless', () => {
    let tc: TestController;
    beforeAll(async () => {
      tc = await startTestController(HEADLESS);
    });
    afterAll(async () => {
      await tc?.stop();
    });

    it('reads a file with its read tool and completes with an answer quoting it', async () => {
      const { final, seen } = await followTask(tc, () =>
        launchWith(tc, ['--agent', 'opencode', '--model', OPENCODE_MODEL, '--cwd', project.dir, '--title', 'read the notes', '--', 'What do the notes in NOTES.md say?'], opencodeEnv(api.url, project.home)),
      );
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(final.placement).toBe('headless');
      expect(await resultOf(tc, final.id)).toContain(PHRASE);
      expect(final.usage.inputTokens).toBeGreaterThan(0);
      expect(final.usage.outputTokens).toBeGreaterThan(0);
      expect(final.progress.toolCalls).toBeGreaterThanOrEqual(1);
      // The step names the Read call while it runs; the final step may have moved on.
      const steps = [...seen.map((t) => t.progress.step), final.progress.step].filter(Boolean);
      expect(steps.some((s) => /NOTES\.md/.test(s!))).toBe(true);
      // Claude Code really went to the local server: a tool-carrying request and the follow-up.
      expect(api.requests.filter((r) => r.tools.some((t) => t.name === 'read')).length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('in a tmux pane', () => {
    let tc: TestController;
    let tmux: TestTmuxServer;
    let launcherEnv: Record<string, string>;

    beforeAll(async () => {
      tmux = await startTmuxServer();
      tc = await startTestController(PANES);
      const [socket, pid] = (await tmux.client.run(['display-message', '-p', '-t', tmux.mainPane, '#{socket_path} #{pid}'])).trim().split(' ');
      // What a shell inside that main pane would have: its tmux server and its own pane.
      launcherEnv = { ...opencodeEnv(api.url, project.home), TMUX: `${socket},${pid},0`, TMUX_PANE: tmux.mainPane };
    });
    afterAll(async () => {
      await tc?.stop();
      await tmux?.kill();
    });

    it('opens a pane beside the launcher, runs there, and leaves the ending banner in it', async () => {
      const { final, seen, launched } = await followTask(tc, () =>
        launchWith(tc, ['--agent', 'opencode', '--model', OPENCODE_MODEL, '--cwd', project.dir, '--', 'What do the notes in NOTES.md say?'], launcherEnv),
      );
      const running = seen.find((t) => t.state === 'running' && t.paneId);
      expect(running?.placement).toBe('pane');
      expect(final.state, final.reason ?? '').toBe('completed');
      expect(await resultOf(tc, launched.id)).toContain(PHRASE);
      expect(final.progress.toolCalls).toBeGreaterThanOrEqual(1);
      expect(final.usage.inputTokens).toBeGreaterThan(0);

      // The pane is still there (close_delay 60s), tagged with the task, in the launcher's window.
      const panes = await tmux.client.run(['list-panes', '-t', tmux.mainWindow, '-F', '#{pane_id} #{@panecrew_task}']);
      const row = panes.split('\n').find((l) => l.endsWith(` ${launched.id}`));
      expect(row, panes).toBeDefined();
      expect(row!.startsWith(`${running!.paneId!} `)).toBe(true);
      // The banner shows under the agent's last output; wait for it rather than sleep.
      const deadline = Date.now() + 10_000;
      let screen = '';
      while (Date.now() < deadline) {
        screen = (await execa('tmux', ['-L', tmux.socketName, 'capture-pane', '-p', '-t', running!.paneId!], { reject: false })).stdout;
        if (screen.includes(`panecrew ${launched.id}: completed`)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(screen).toContain(`panecrew ${launched.id}: completed`);
    });
  });
});
