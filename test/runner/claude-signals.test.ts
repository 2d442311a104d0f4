// Claude Code's hook wiring: the per-task settings, the hook script they run (for real, through a
// shell as Claude Code runs it), the normaliser on payloads recorded from the real CLI (2.1.197),
// and the turn result read from a transcript.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SIGNALS_FILE, taskPaths } from '../../src/core/paths.js';
import { claudeSettings, claudeSignal, claudeSignals, SIGNAL_HOOK_SCRIPT } from '../../src/runner/signals/claude.js';
import type { TaskRecord } from '../../src/core/task.js';
import { prepareTaskFolder } from '../../src/runner/prepare.js';
import { BUILTIN_PROFILES } from '../../src/runner/profiles.js';
import { writeClaudeSettings } from '../agents/support.js';
import { claudeSessionTokens, claudeTurnResult } from '../../src/runner/signals/claude-transcript.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'claude-hooks.jsonl');
const SESSION = 'a59dfa6e-0ea9-46d1-9704-bb6991992c3f';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** The hook command of `event` from the settings, run as Claude Code runs it: `sh -c`, payload on stdin. */
function runHook(taskDir: string, event: string, stdin: string) {
  const entry = claudeSettings(join(taskDir, SIGNALS_FILE)).hooks[event]![0] as { hooks: Array<{ command: string }> };
  return execa('sh', ['-c', entry.hooks[0]!.command], { input: stdin, reject: false });
}

const lines = (taskDir: string) => readFileSync(join(taskDir, SIGNALS_FILE), 'utf8').split('\n').filter(Boolean);

describe('claudeSignal on hook lines recorded from the real Claude Code', () => {
  it('turns a session with a permission prompt and two turns into the vendor-neutral signals', () => {
    const signals = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map(claudeSignal);
    expect(signals.map((s) => s?.kind)).toEqual(['session', 'prompt', 'step', 'waiting', 'waiting', 'step-done', 'turn-end', 'prompt', 'turn-end', 'session-end']);
    expect(signals.every((s) => s?.sessionId === SESSION)).toBe(true);
    const [session, , step, asked, notified, done, end, , end2] = signals;
    expect(session).toMatchObject({ at: 1796426278618, transcriptPath: expect.stringMatching(/\/a59dfa6e-.*\.jsonl$/) });
    expect(step).toMatchObject({ tool: 'Bash', target: 'echo hello-from-bash > out.txt' });
    expect(asked).toMatchObject({ tool: 'Bash', question: 'Allow Bash `echo hello-from-bash > out.txt`?' });
    expect(notified).toMatchObject({ question: 'Claude needs your permission' });
    expect(done).toMatchObject({ tool: 'Bash', target: 'echo hello-from-bash > out.txt' });
    expect(end).toMatchObject({ result: 'First answer: (Bash completed with no output)', transcriptPath: session!.transcriptPath });
    expect(end2?.result).toBe('Second answer: done.');
  });

  it('gives null for what is not a signal: bad JSON, a wrong envelope, unknown hooks, idle notifications', () => {
    for (const bad of [
      '',
      'not json',
      '[1,2]',
      '{"hook":"Stop","payload":{}}',
      '{"hook":"Stop","at":-5,"payload":{}}',
      '{"hook":"Stop","at":1.5,"payload":{}}',
      '{"hook":"Stop","at":1,"payload":"text"}',
      '{"hook":"SubagentStop","at":1,"payload":{}}',
      '{"hook":"Notification","at":1,"payload":{"notification_type":"idle_prompt","message":"Claude is waiting for your input"}}',
      '{"hook":"Notification","at":1,"payload":{"notification_type":"auth_success"}}',
    ]) {
      expect(claudeSignal(bad), bad).toBeNull();
    }
  });

  it('reads odd fields leniently and keeps the event: a payload too big to keep, a wrong type, an over-long value', () => {
    expect(claudeSignal('{"hook":"PostToolUse","at":7,"payload":null,"payloadChars":1800050}')).toEqual({ kind: 'step-done', at: 7 });
    expect(claudeSignal('{"hook":"PreToolUse","at":7,"payload":{"session_id":42,"tool_name":"Bash","tool_input":{"command":"ls"}}}')).toEqual({ kind: 'step', at: 7, tool: 'Bash', target: 'ls' });
    const long = claudeSignal(JSON.stringify({ hook: 'SessionStart', at: 1, payload: { session_id: 'x'.repeat(5000) } }));
    expect(long?.sessionId).toHaveLength(200);
    expect(claudeSignal('{"hook":"Stop","at":3,"payload":{}}')).toEqual({ kind: 'turn-end', at: 3 });
  });

  it('makes an AskUserQuestion call a question to the person', () => {
    const line = { hook: 'PreToolUse', at: 9, payload: { tool_name: 'AskUserQuestion', tool_input: { questions: [{ question: 'Which database?', options: [{ label: 'pg' }] }] } } };
    expect(claudeSignal(JSON.stringify(line))).toEqual({ kind: 'waiting', at: 9, tool: 'AskUserQuestion', question: 'Which database?' });
  });
});

describe('the turn result from the transcript', () => {
  const entry = (type: string, content: unknown[]) => JSON.stringify({ type, message: { role: type, content } });

  it('is the last assistant text, reading only the tail of a long transcript', () => {
    const dir = tempDir('panecrew-transcript-');
    const file = join(dir, 'session.jsonl');
    const filler = entry('user', [{ type: 'text', text: 'x'.repeat(10_000) }]);
    writeFileSync(
      file,
      [...Array(50).fill(filler), entry('assistant', [{ type: 'text', text: 'Let me look.' }]), entry('assistant', [{ type: 'tool_use', name: 'Bash', input: {} }]), entry('user', [{ type: 'tool_result', content: 'ok' }]), entry('assistant', [{ type: 'text', text: 'All done.' }]), '{"type":"system","subtype":"turn_duration"}', ''].join('\n'),
    );
    expect(claudeTurnResult({ transcriptPath: file }, 2048)).toBe('All done.');
    // The Stop payload's own text wins.
    expect(claudeTurnResult({ result: 'From Stop', transcriptPath: file })).toBe('From Stop');
  });

  it('gives the session tokens, each message once though its lines repeat its usage; Stop and the status line carry them', () => {
    const dir = tempDir('panecrew-transcript-');
    const file = join(dir, 'session.jsonl');
    const assistant = (id: string, block: unknown, usage: unknown) => JSON.stringify({ type: 'assistant', message: { id, role: 'assistant', content: [block], usage } });
    const u1 = { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 5 };
    const u2 = { input_tokens: 20, output_tokens: 7 };
    writeFileSync(file, [assistant('m1', { type: 'text', text: 'Looking.' }, u1), assistant('m1', { type: 'tool_use', name: 'Bash', input: {} }, u1), entry('user', [{ type: 'tool_result', content: 'ok' }]), assistant('m2', { type: 'text', text: 'Done.' }, u2), ''].join('\n'));
    expect(claudeSessionTokens(file)).toEqual({ inputTokens: 1130, outputTokens: 12 });
    expect(claudeSessionTokens('/nonexistent/session.jsonl')).toBeUndefined();
    // Stop without its text reads the result and the tokens from the transcript.
    const stop = JSON.stringify({ hook: 'Stop', at: 5, payload: { session_id: 's1', transcript_path: file } });
    expect(claudeSignal(stop)).toEqual({ kind: 'turn-end', at: 5, sessionId: 's1', transcriptPath: file, result: 'Done.', inputTokens: 1130, outputTokens: 12 });
    const status = JSON.stringify({ hook: 'StatusLine', at: 6, payload: { session_id: 's1', transcript_path: file, cost: { total_cost_usd: 0.0123, total_duration_ms: 9 }, model: { id: 'x' } } });
    expect(claudeSignal(status)).toEqual({ kind: 'usage', at: 6, sessionId: 's1', costUsd: 0.0123, inputTokens: 1130, outputTokens: 12 });
    // A cost of the wrong type is dropped, not the signal.
    expect(claudeSignal(JSON.stringify({ hook: 'StatusLine', at: 7, payload: { cost: { total_cost_usd: 'a lot' } } }))).toEqual({ kind: 'usage', at: 7 });
  });

  it('tallies a growing transcript from where it left off, a line being written included once whole, and a replaced one anew', () => {
    const file = join(tempDir('panecrew-transcript-'), 'session.jsonl');
    const line = (id: string, output: number) => `${JSON.stringify({ type: 'assistant', message: { id, content: [], usage: { input_tokens: 1, output_tokens: output } } })}\n`;
    writeFileSync(file, line('m1', 5));
    expect(claudeSessionTokens(file)).toEqual({ inputTokens: 1, outputTokens: 5 });
    const next = line('m2', 7);
    appendFileSync(file, line('m1', 6) + next.slice(0, 20)); // m1's usage grew as it streamed; m2 half written
    expect(claudeSessionTokens(file)).toEqual({ inputTokens: 1, outputTokens: 6 });
    appendFileSync(file, next.slice(20));
    expect(claudeSessionTokens(file)).toEqual({ inputTokens: 2, outputTokens: 13 });
    writeFileSync(file, line('m9', 2));
    expect(claudeSessionTokens(file)).toEqual({ inputTokens: 1, outputTokens: 2 });
  });

  it('is undefined when there is nothing safe to read', () => {
    expect(claudeTurnResult({})).toBeUndefined();
    expect(claudeTurnResult({ transcriptPath: 'relative/session.jsonl' })).toBeUndefined();
    expect(claudeTurnResult({ transcriptPath: '/etc/passwd' })).toBeUndefined();
    expect(claudeTurnResult({ transcriptPath: '/nonexistent/session.jsonl' })).toBeUndefined();
  });
});

describe('the per-task settings and TUI argv', () => {
  it('wires --settings with a file of hooks for every event into the signals file, matchers where Claude Code needs them', () => {
    const taskDir = tempDir('panecrew-settings-');
    const wiring = claudeSignals.wire(taskDir, join(taskDir, SIGNALS_FILE));
    expect(wiring.argv).toEqual(['--settings', join(taskDir, 'claude-settings.json')]);
    expect(wiring.env).toEqual({});
    expect(Object.keys(wiring.files)).toEqual(['claude-settings.json']);
    expect(claudeSignals.read('{"hook":"Stop","at":3,"payload":{}}')).toEqual({ kind: 'turn-end', at: 3 });
    const file = writeClaudeSettings(taskDir);
    expect(readFileSync(file, 'utf8')).toBe(wiring.files['claude-settings.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const settings = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof claudeSettings>;
    expect(Object.keys(settings)).toEqual(['hooks', 'statusLine']);
    expect(settings.statusLine).toEqual({ type: 'command', command: `${SIGNAL_HOOK_SCRIPT} StatusLine ${join(taskDir, SIGNALS_FILE)}` });
    expect(Object.keys(settings.hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest', 'Notification', 'Stop', 'SessionEnd']);
    expect(settings.hooks.Notification).toEqual([{ matcher: 'permission_prompt|elicitation_dialog', hooks: [{ type: 'command', command: `${SIGNAL_HOOK_SCRIPT} Notification ${join(taskDir, SIGNALS_FILE)}`, timeout: 10 }] }]);
    expect(settings.hooks.Stop).toEqual([{ hooks: [expect.objectContaining({ type: 'command' })] }]);
  });

  it('the claude profile starts the TUI with its settings and without the prompt in argv; resume reopens the session', () => {
    const tasks = mkdtempSync(join(tmpdir(), 'panecrew-claude-argv-'));
    const paths = taskPaths(tasks, 'bg_0000argv');
    const task = { id: 'bg_0000argv', prompt: 'a secret plan', cwd: tasks, model: 'anthropic/claude-sonnet-4-5', provider: 'anthropic' } as unknown as TaskRecord;
    const ttyArgv = (resume?: { sessionId: string; text: string }) => {
      prepareTaskFolder({ task, paths, profile: BUILTIN_PROFILES.claude!, clientEnv: {}, dependencies: [], outputLogMaxBytes: 0, interactive: true, resume });
      return readFileSync(join(paths.dir, 'tty-argv.nul'), 'utf8').split('\0').slice(0, -1);
    };
    const settings = join(paths.dir, 'claude-settings.json');
    expect(ttyArgv()).toEqual(['claude', '--model', 'claude-sonnet-4-5', '--settings', settings]);
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual(claudeSettings(paths.signals));
    expect(ttyArgv({ sessionId: 'abc-123', text: 'go on' })).toEqual(['claude', '--model', 'claude-sonnet-4-5', '--resume', 'abc-123', '--settings', settings]);
    expect(readFileSync(paths.prompt, 'utf8')).toBe('go on');
  });
});

describe('signal-hook.sh, run through the settings command as Claude Code runs it', () => {
  it('appends one line wrapping the payload, joined onto one line, even in a folder with spaces and quotes', async () => {
    const taskDir = join(tempDir('panecrew-hook-'), "task dir 'q' $(x)");
    mkdirSync(taskDir);
    const payload = { session_id: 's1', tool_name: 'Bash', tool_input: { command: 'echo "a\nb" $(rm -rf /) `x`' } };
    const before = Date.now();
    const r = await runHook(taskDir, 'PreToolUse', JSON.stringify(payload, null, 2));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(''); // stdout of some hooks becomes model context
    const [line, ...rest] = lines(taskDir);
    expect(rest).toEqual([]);
    const parsed = JSON.parse(line!) as { hook: string; at: number; payload: unknown };
    expect(parsed.hook).toBe('PreToolUse');
    expect(parsed.payload).toEqual(payload);
    expect(parsed.at).toBeGreaterThanOrEqual(before - 5);
    expect(parsed.at).toBeLessThanOrEqual(Date.now());
  });

  it('writes payload null for no input, drops a payload too large for a line, and exits 0 when it cannot write', async () => {
    const taskDir = tempDir('panecrew-hook-');
    await runHook(taskDir, 'SessionStart', '');
    const huge = JSON.stringify({ tool_response: 'x'.repeat(1_100_000) });
    await runHook(taskDir, 'PostToolUse', huge);
    expect(lines(taskDir).map((l) => JSON.parse(l))).toEqual([
      { hook: 'SessionStart', at: expect.any(Number), payload: null },
      { hook: 'PostToolUse', at: expect.any(Number), payload: null, payloadChars: huge.length },
    ]);
    const gone = await runHook(join(taskDir, 'missing'), 'Stop', '{}');
    expect(gone.exitCode).toBe(0);
    expect(gone.stderr).toBe('');
  });

  it('keeps long lines whole when many hooks write at once', async () => {
    const taskDir = tempDir('panecrew-hook-');
    const entry = claudeSettings(join(taskDir, SIGNALS_FILE)).hooks.PostToolUse![0] as { hooks: Array<{ command: string }> };
    const n = 48;
    for (let i = 0; i < n; i++) writeFileSync(join(taskDir, `in${i}`), JSON.stringify({ i, tool_response: String(i % 10).repeat(50_000) }));
    // All at once from one shell, as Claude Code runs the hooks of parallel tool calls.
    const script = `for i in $(seq 0 ${n - 1}); do (${entry.hooks[0]!.command}) < "in$i" & done; wait`;
    await execa('sh', ['-c', script], { cwd: taskDir });
    const got = lines(taskDir).map((l) => JSON.parse(l) as { payload: { i: number; tool_response: string } });
    expect(got.map((g) => g.payload.i).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const g of got) expect(g.payload.tool_response).toBe(String(g.payload.i % 10).repeat(50_000));
  });

  it('costs a fraction of a Node start per hook (PreToolUse holds the agent until it returns)', async () => {
    const taskDir = tempDir('panecrew-hook-');
    const payload = readFileSync(FIXTURE, 'utf8').split('\n')[2]!; // a real PreToolUse-sized payload
    const median = async (run: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[7]!;
    };
    const hook = await median(() => runHook(taskDir, 'PreToolUse', payload));
    const node = await median(() => execa('sh', ['-c', `${process.execPath} -e ''`], { input: payload }));
    console.log(`per-hook cost (median of 15, sh -c + hook): signal-hook.sh ${hook.toFixed(1)} ms; a bare Node start ${node.toFixed(1)} ms`);
    expect(hook).toBeLessThan(node / 2);
    expect(lines(taskDir)).toHaveLength(15);
  });
});
