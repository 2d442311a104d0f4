// The Codex and Gemini signal normalisers over lines captured from the real CLIs (Codex 0.171.0's
// notify, Gemini CLI 0.61.0's hooks, both written by signal-hook.sh through the adapters' wiring,
// offline against the local server), and the wiring they give one task.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskPaths } from '../../src/core/paths.js';
import type { TaskRecord } from '../../src/core/task.js';
import { prepareTaskFolder } from '../../src/runner/prepare.js';
import { BUILTIN_PROFILES } from '../../src/runner/profiles.js';
import { codexSignals } from '../../src/runner/signals/codex.js';
import { GEMINI_HOME, geminiSignals } from '../../src/runner/signals/gemini.js';

const lines = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8').trim().split('\n');

describe('Gemini CLI hooks', () => {
  it('reads each real hook line as the signal it means, with the turn result', () => {
    const signals = lines('gemini-0.61.0-signals.jsonl').map(geminiSignals.read);
    expect(signals.map((s) => s?.kind)).toEqual(['session', 'prompt', 'step', 'step-done', 'turn-end', 'session-end']);
    expect(signals[2]).toMatchObject({ tool: 'run_shell_command', target: 'cat /tmp/h12try/NOTES.md' });
    expect(signals[4]?.result).toContain('the lighthouse keeper counts seventeen gulls');
    expect(new Set(signals.map((s) => s?.sessionId)).size).toBe(1);
  });
  it('reads a real interactive TUI turn in a tmux pane: the permission prompt is waiting, answered, then turn-end', () => {
    const signals = lines('gemini-0.61.0-tui-signals.jsonl').map(geminiSignals.read);
    expect(signals.map((s) => s?.kind)).toEqual(['session', 'prompt', 'step', 'waiting', 'step-done', 'turn-end']);
    expect(signals[3]?.question).toBe('Allow Shell `cat /tmp/h12try/NOTES.md`?');
    expect(signals[5]?.result).toContain('the lighthouse keeper counts seventeen gulls');
  });
  it('reads a real session reopened with --resume ID: the same session id, a typed prompt, the result trimmed, /quit', () => {
    const signals = lines('gemini-0.61.0-tui-resume.jsonl').map(geminiSignals.read);
    // Gemini CLI 0.61.0 ran its SessionEnd hook three times on /quit: harmless, session-end changes nothing.
    expect(signals.map((s) => s?.kind)).toEqual(['session', 'prompt', 'turn-end', 'session-end', 'session-end', 'session-end']);
    expect(new Set(signals.map((s) => s?.sessionId))).toEqual(new Set(['725fc9fd-7a28-4a95-ad60-f461c16f8d88']));
    // prompt_response was "Second answer: summarised. " (a space after each streamed response).
    expect(signals[2]?.result).toBe('Second answer: summarised.');
  });
    it('turns a ToolPermission notification into waiting and ignores others and bad lines', () => {
    const note = (type: string) => JSON.stringify({ hook: 'Notification', at: 1, payload: { notification_type: type, message: 'Allow run_shell_command?' } });
    expect(geminiSignals.read(note('ToolPermission'))).toMatchObject({ kind: 'waiting', question: 'Allow run_shell_command?' });
    const edit = JSON.stringify({ hook: 'Notification', at: 1, payload: { notification_type: 'ToolPermission', message: 'Tool Confirm Edit requires editing', details: { type: 'edit', filePath: '/p/a.ts' } } });
    expect(geminiSignals.read(edit)).toMatchObject({ kind: 'waiting', question: 'Allow Edit `/p/a.ts`?' });
    expect(geminiSignals.read(note('Other'))).toBeNull();
    expect(geminiSignals.read('{"hook":"BeforeTool","at":-1,"payload":{}}')).toBeNull();
    expect(geminiSignals.read('not json')).toBeNull();
  });
  it("takes a turn's tokens from the chat file its AfterAgent names: each response once (its lines repeat), summed", () => {
    // A real chat file of Gemini CLI 0.61.0 (six turns, each a tool call and an answer, offline).
    const chat = join(import.meta.dirname, '..', 'fixtures', 'gemini-0.61.0-chat.jsonl');
    const line = JSON.stringify({ hook: 'AfterAgent', at: 9, payload: { session_id: 's-1', transcript_path: chat, prompt_response: 'Answer 5.' } });
    expect(geminiSignals.read(line)).toMatchObject({ kind: 'turn-end', result: 'Answer 5.', inputTokens: 152789, outputTokens: 126 });
  });

  it("wires one task through a Gemini home of its own: the person's settings with the task's hooks added, their other files linked, theirs untouched", () => {
    const home = mkdtempSync(join(tmpdir(), 'panecrew-gemini-home-'));
    mkdirSync(join(home, '.gemini', 'tmp'), { recursive: true });
    const theirs = '{\n  // chosen in /auth\n  /* a block\n comment */ "security": { "auth": { "selectedType": "gemini-api-key" } },\n  "hooks": { "AfterAgent": [{ "hooks": [{ "type": "command", "command": "echo \\"// not a comment\\"" }] }] }\n}\n';
    writeFileSync(join(home, '.gemini', 'settings.json'), theirs);
    writeFileSync(join(home, '.gemini', 'oauth_creds.json'), '{}');
    const w = geminiSignals.wire('/state/tasks/t1', '/state/tasks/t1/signals.jsonl', { HOME: home });
    expect(w.env).toEqual({ GEMINI_CLI_HOME: `/state/tasks/t1/${GEMINI_HOME}` });
    expect(w.links).toEqual({
      [`${GEMINI_HOME}/.gemini/oauth_creds.json`]: join(home, '.gemini', 'oauth_creds.json'),
      [`${GEMINI_HOME}/.gemini/google_accounts.json`]: join(home, '.gemini', 'google_accounts.json'),
      [`${GEMINI_HOME}/.gemini/tmp`]: join(home, '.gemini', 'tmp'),
    });
    const settings = JSON.parse(w.files[`${GEMINI_HOME}/.gemini/settings.json`]!) as { security: unknown; hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>> };
    expect(settings.security).toEqual({ auth: { selectedType: 'gemini-api-key' } });
    // Their own hook first, then the task's.
    expect(settings.hooks.AfterAgent!.map((h) => h.hooks[0]!.command)).toEqual(['echo "// not a comment"', expect.stringMatching(/signal-hook\.sh'? '?AfterAgent/)]);
    expect(settings.hooks.BeforeTool![0]!.hooks[0]!.command).toMatch(/signal-hook\.sh'? '?BeforeTool'? '?\/state\/tasks\/t1\/signals\.jsonl'?$/);
    expect(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8')).toBe(theirs);
    // GEMINI_CLI_HOME of the task's environment names the person's home, as Gemini CLI reads it.
    expect(Object.keys(geminiSignals.wire('/t', '/t/s.jsonl', { HOME: '/nowhere', GEMINI_CLI_HOME: home }).links!)).toHaveLength(3);
    // No settings of theirs: only the hooks; settings Gemini would refuse: a clear error.
    expect(JSON.parse(geminiSignals.wire('/t', '/t/s.jsonl', { HOME: '/nowhere' }).files[`${GEMINI_HOME}/.gemini/settings.json`]!)).toEqual({ hooks: expect.any(Object) });
    writeFileSync(join(home, '.gemini', 'settings.json'), '{ "ui": ');
    expect(() => geminiSignals.wire('/t', '/t/s.jsonl', { HOME: home })).toThrow(/cannot read your Gemini CLI settings .*settings\.json .*fix the file/);
  });

  it("keeps a login made in the task's pane and the person's ~/.agents skills: both are where Gemini CLI looks under GEMINI_CLI_HOME", () => {
    const home = mkdtempSync(join(tmpdir(), 'panecrew-gemini-home-'));
    mkdirSync(join(home, '.gemini'));
    mkdirSync(join(home, '.agents', 'skills'), { recursive: true });
    const task = mkdtempSync(join(tmpdir(), 'panecrew-gemini-task-'));
    const w = geminiSignals.wire(task, join(task, 'signals.jsonl'), { HOME: home });
    expect(w.links).toEqual({
      [`${GEMINI_HOME}/.gemini/oauth_creds.json`]: join(home, '.gemini', 'oauth_creds.json'),
      [`${GEMINI_HOME}/.gemini/google_accounts.json`]: join(home, '.gemini', 'google_accounts.json'),
      [`${GEMINI_HOME}/.agents`]: join(home, '.agents'),
    });
    mkdirSync(join(task, GEMINI_HOME, '.gemini'), { recursive: true });
    for (const [name, target] of Object.entries(w.links!)) symlinkSync(target, join(task, name));
    // Gemini CLI writes its credentials in place (fs.writeFile): through the link, into the person's folder.
    writeFileSync(join(task, GEMINI_HOME, '.gemini', 'oauth_creds.json'), '{"token":1}');
    expect(readFileSync(join(home, '.gemini', 'oauth_creds.json'), 'utf8')).toBe('{"token":1}');
    expect(existsSync(join(task, GEMINI_HOME, '.agents', 'skills'))).toBe(true);
    // No ~/.gemini at all: nothing to link to (a login there stays the task's).
    expect(geminiSignals.wire(task, join(task, 's.jsonl'), { HOME: '/nowhere' }).links).toEqual({});
  });
});

describe('Codex hooks', () => {
  // A real PermissionRequest line of Codex 0.171.0 (test/agents/codex-live.test.ts), shortened.
  const permission = JSON.stringify({ hook: 'PermissionRequest', at: 5, payload: { session_id: 's-1', transcript_path: '/x/rollout.jsonl', cwd: '/p', tool_name: 'Bash', tool_input: { command: 'echo hi' } } });
  const stop = JSON.stringify({ hook: 'Stop', at: 9, payload: { session_id: 's-1', transcript_path: '/x/rollout.jsonl', last_assistant_message: 'Done.' } });

  it('reads Claude-shaped hook lines, the result from last_assistant_message, never the rollout as a transcript', () => {
    expect(codexSignals.read(permission)).toEqual({ kind: 'waiting', at: 5, sessionId: 's-1', tool: 'Bash', target: 'echo hi', question: 'Allow Bash `echo hi`?' });
    expect(codexSignals.read(stop)).toEqual({ kind: 'turn-end', at: 9, sessionId: 's-1', result: 'Done.' });
    expect(codexSignals.read('not json')).toBeNull();
  });

  it("takes a turn's tokens from the rollout its Stop names: the session's last token_count totals", () => {
    // A real rollout of Codex 0.171.0 (two turns, offline against the local Responses API).
    const rollout = join(import.meta.dirname, '..', 'fixtures', 'codex-0.171.0-rollout.jsonl');
    const line = JSON.stringify({ hook: 'Stop', at: 9, payload: { session_id: 's-1', transcript_path: rollout, last_assistant_message: 'Done.' } });
    expect(codexSignals.read(line)).toEqual({ kind: 'turn-end', at: 9, sessionId: 's-1', result: 'Done.', inputTokens: 54372, outputTokens: 57 });
    // A path that is not an absolute .jsonl file is never opened.
    const relative = JSON.stringify({ hook: 'Stop', at: 9, payload: { session_id: 's-1', transcript_path: 'rollout.jsonl', last_assistant_message: 'Done.' } });
    expect(codexSignals.read(relative)).toEqual({ kind: 'turn-end', at: 9, sessionId: 's-1', result: 'Done.' });
  });

  it('the codex profile takes the prompt in argv, and reopens a session with the resume subcommand before its options', () => {
    const tasks = mkdtempSync(join(tmpdir(), 'panecrew-codex-argv-'));
    const paths = taskPaths(tasks, 'bg_0000argv');
    const task = { id: 'bg_0000argv', prompt: 'the first prompt', cwd: tasks, model: 'openai/gpt-5', provider: 'openai' } as unknown as TaskRecord;
    const ttyArgv = (resume?: { sessionId: string; text: string }) => {
      prepareTaskFolder({ task, paths, profile: BUILTIN_PROFILES.codex!, clientEnv: {}, dependencies: [], outputLogMaxBytes: 0, interactive: true, resume });
      return readFileSync(join(paths.dir, 'tty-argv.nul'), 'utf8').split('\0').slice(0, -1);
    };
    const hooks = codexSignals.wire(paths.dir, paths.signals).argv;
    expect(ttyArgv()).toEqual(['codex', '--sandbox', 'workspace-write', '-m', 'gpt-5', 'the first prompt', ...hooks]);
    expect(ttyArgv({ sessionId: 'abc-123', text: 'go on' })).toEqual(['codex', 'resume', 'abc-123', '--sandbox', 'workspace-write', '-m', 'gpt-5', 'go on', ...hooks]);
  });

  it('wires one task by -c hooks overrides: argv only, no files, no env', () => {
    const wiring = codexSignals.wire('/t', '/t/signals.jsonl');
    expect(wiring.files).toEqual({});
    expect(wiring.env).toEqual({});
    expect(wiring.argv.slice(0, 4)).toEqual(['--dangerously-bypass-hook-trust', '-c', 'features.codex_hooks=true', '-c']);
    expect(wiring.argv[4]).toMatch(/PermissionRequest=\[\{hooks=\[\{type="command",command="bash \S+signal-hook\.sh PermissionRequest \/t\/signals\.jsonl"/);
  });
});
