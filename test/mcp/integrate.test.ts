import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { claudeEnv, runClaude } from '../agents/support.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { CLI, startTestController, type TestController } from '../support/controller.js';
import { promptText, startMockApi, type MockApi } from '../support/mock-api.js';

const HOOK = resolve(import.meta.dirname, '../../dist/mcp/hook-main.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-integrate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
const integrate = (args: string[]) => execa(process.execPath, [CLI, 'integrate', ...args], { reject: false, cwd: dir });
const succeeds = async (args: string[]) => {
  const r = await integrate(args);
  expect(r.exitCode, `panecrew integrate ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

describe('panecrew integrate', () => {
  it('claude-code says what Claude Code still needs to start unattended in the folder, and when it is ready', async () => {
    const home = mkdtempSync(join(tmpdir(), 'panecrew-claude-home-'));
    const project = mkdtempSync(join(tmpdir(), 'panecrew-claude-ready-'));
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\n', { mode: 0o755 });
    const env = { HOME: home, PATH: `${bin}:/usr/bin:/bin`, ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdefghijklmnop' };
    const run = () => execa(process.execPath, [CLI, 'integrate', 'claude-code', '--dir', project], { reject: false, env, extendEnv: false });
    try {
      const before = await run();
      expect(before.exitCode).toBe(0);
      expect(before.stdout).toMatch(/✗ first-run setup is not done.*\n +fix: run claude once in a terminal/);
      expect(before.stdout).toMatch(/✗ .* is not trusted yet.*\n +fix: start claude in .* once and accept/);
      expect(before.stdout).toMatch(/✗ the ANTHROPIC_API_KEY in this environment is not approved/);
      const state = {
        hasCompletedOnboarding: true,
        customApiKeyResponses: { approved: [env.ANTHROPIC_API_KEY.slice(-20)], rejected: [] },
        projects: { [realpathSync(project)]: { hasTrustDialogAccepted: true } },
      };
      writeFileSync(join(home, '.claude.json'), JSON.stringify(state));
      const after = await run();
      expect(after.stdout).not.toContain('✗');
      expect(after.stdout).toContain('Ready: claude starts there without stopping at a first-run question.');
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('claude-code --write merges the server into .mcp.json and the hook into .claude/settings.json, keeping other entries', async () => {
    const project = join(dir, 'claude-project');
    mkdirSync(join(project, '.claude'), { recursive: true });
    writeFileSync(join(project, '.mcp.json'), JSON.stringify({ mcpServers: { other: { command: 'other-server' } } }));
    const otherHook = { hooks: [{ type: 'command', command: 'echo mine' }] };
    // A prompt hook an older panecrew wrote: it delayed every model request, so it goes.
    const oldPromptHook = { hooks: [{ type: 'command', command: `${process.execPath} ${HOOK} claude-code`, timeout: 5 }] };
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ model: 'opus', hooks: { UserPromptSubmit: [otherHook, oldPromptHook], Notification: [oldPromptHook], Stop: [] } }));

    for (let i = 0; i < 2; i++) await succeeds(['claude-code', '--write', '--dir', project]);

    const mcp = readJson(join(project, '.mcp.json'));
    expect(mcp.mcpServers.other).toEqual({ command: 'other-server' });
    expect(mcp.mcpServers.panecrew).toEqual({ type: 'stdio', command: process.execPath, args: [CLI, 'mcp'], env: {} });
    const settings = readJson(join(project, '.claude', 'settings.json'));
    expect(settings.model).toBe('opus');
    expect(settings.hooks.UserPromptSubmit).toEqual([otherHook]);
    expect(settings.hooks.Notification).toBeUndefined();
    // The rewake waiter, written twice, present once: after a task call, at session start, after each turn.
    const waiter = {
      type: 'command',
      command: `${process.execPath} ${HOOK} wait`,
      asyncRewake: true,
      timeout: 604_800,
      rewakeMessage: 'panecrew:',
      rewakeSummary: 'panecrew: background task ended',
    };
    expect(settings.hooks.PostToolUse).toEqual([{ matcher: 'mcp__panecrew__task', hooks: [waiter] }]);
    expect(settings.hooks.SessionStart).toEqual([{ hooks: [waiter] }]);
    expect(settings.hooks.Stop).toEqual([{ hooks: [waiter] }]);
  });

  it('opencode --write adds the server under mcp in opencode.json, keeping other entries', async () => {
    const project = join(dir, 'opencode-project');
    mkdirSync(project);
    writeFileSync(join(project, 'opencode.json'), JSON.stringify({ model: 'x/y', mcp: { other: { type: 'remote', url: 'http://x' } }, plugin: ['other-plugin'] }));
    for (let i = 0; i < 2; i++) await succeeds(['opencode', '--write', '--dir', project]);
    expect(readJson(join(project, 'opencode.json'))).toEqual({
      model: 'x/y',
      mcp: { other: { type: 'remote', url: 'http://x' }, panecrew: { type: 'local', command: [process.execPath, CLI, 'mcp'], enabled: true } },
      // The plugin that wakes a session when its tasks end, once.
      plugin: ['other-plugin', pathToFileURL(resolve(HOOK, '../opencode-plugin.js')).href],
    });
  });

  it('refuses to rewrite a file that is not valid JSON, and changes nothing', async () => {
    const project = join(dir, 'broken');
    mkdirSync(project);
    writeFileSync(join(project, '.mcp.json'), '{ "mcpServers": { // a comment\n } }');
    const r = await integrate(['claude-code', '--write', '--dir', project]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('.mcp.json is not valid JSON');
    expect(readFileSync(join(project, '.mcp.json'), 'utf8')).toContain('// a comment');
  });

  it('without --write prints the entries and the user-scope command', async () => {
    const r = await succeeds(['claude-code']);
    expect(r.stdout).toContain(`claude mcp add --scope user panecrew -- ${process.execPath} ${CLI} mcp`);
    expect(r.stdout).toContain('"asyncRewake": true');
    expect(r.stdout).not.toContain('"UserPromptSubmit"');
    expect((await integrate(['vscode'])).exitCode).toBe(2);
  });
});

describe('the installed hook in real Claude Code', () => {
  let tc: TestController;
  let api: MockApi;
  beforeAll(async () => {
    tc = await startTestController();
    api = await startMockApi(() => ({ text: 'Noted.' }));
  });
  afterAll(async () => {
    await api?.close();
    await tc?.stop();
  });

  it('adds the notice of an ended, unread task to a one-prompt session (claude -p) at its start', async () => {
    const project = join(dir, 'hooked');
    mkdirSync(project);
    await succeeds(['claude-code', '--write', '--dir', project]);
    const launched = await tc.cli(['launch', '--json', '--subagent', 'shell', '--prompt', 'echo finished the survey']);
    const id = (JSON.parse(launched.stdout as string) as ListedTask).id;
    await tc.waitFinal(id);

    const r = await runClaude(['-p', '--output-format', 'json', '--strict-mcp-config', '--', 'What is new?'], project, { ...tc.env, ...claudeEnv(api.url, project) });
    expect(r.exitCode, r.stderr as string).toBe(0);
    const seen = api.requests.map((q) => JSON.stringify(q.messages)).join('\n');
    // Told once, by the session-start hook.
    const last = JSON.stringify(api.requests.at(-1)!.messages);
    expect(last.split(`🔔 Background task ${id} (`).length - 1, seen).toBe(1);
    expect(last).toMatch(new RegExp(`🔔 Background task ${id} \\([^)]*\\) completed: finished the survey`));
    expect(api.requests.some((q) => promptText(q).includes('What is new?'))).toBe(true);
  }, 150_000);
});
