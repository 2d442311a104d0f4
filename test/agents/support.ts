// What the real-CLI tests share: a temp project with a file to read, a scripted "model" that makes
// an agent read it, the offline environments of Claude Code and OpenCode, and launching through
// the real `panecrew launch` with a chosen environment (the task's environment is the launcher's).
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { ListedTask } from '../../src/controller/protocol.js';
import { isFinal } from '../../src/core/task.js';
import { SIGNALS_FILE } from '../../src/core/paths.js';
import { CLAUDE_SETTINGS_FILE, claudeSignals } from '../../src/runner/signals/claude.js';
import { offersTool, toolExchanges, type MockReply, type RecordedRequest } from '../support/mock-api.js';
import type { TestController } from '../support/controller.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'node_modules', '.bin');
export const PHRASE = 'the lighthouse keeper counts seventeen gulls';

export interface Project {
  dir: string;
  file: string;
  home: string;
}

/** A project folder holding NOTES.md with the phrase, and a HOME of its own for the agent CLI. */
export function makeProject(prefix = 'panecrew-agents-'): Project {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const dir = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const file = join(dir, 'NOTES.md');
  writeFileSync(file, `# Notes\n\nRemember: ${PHRASE}.\n`);
  return { dir, file, home };
}

/**
 * The model of the tests: when `tool` is offered, call it on `file`; once its result is back, answer
 * with text quoting that result (so the phrase reaches the answer only through the real tool).
 * Requests without tools (titles) get a short text.
 */
export function readFileScript(tool: 'Read' | 'read', file: string, extra: Partial<MockReply> = {}) {
  return (req: RecordedRequest): MockReply => {
    if (!offersTool(req, tool)) return { text: 'Reading the notes' };
    const done = toolExchanges(req).find((e) => e.name === tool);
    if (!done) return { ...extra, text: 'Let me read the notes.', toolUse: { name: tool, input: tool === 'Read' ? { file_path: file } : { filePath: file } } };
    return { ...extra, text: `The notes say: ${done.result.replace(/\s+/g, ' ').slice(0, 400)}` };
  };
}

/** Claude Code offline against the local server: loopback only, no retries, a HOME of its own. */
export function claudeEnv(url: string, home: string): Record<string, string> {
  return {
    PATH: `${BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'sk-ant-test-dummy-key-0123456789',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
  };
}

/**
 * What Claude Code's interactive TUI needs in $HOME to start without a first-run question (which
 * would try the internet and exit): onboarding done, the test key approved, the project trusted.
 */
export function seedClaudeHome(project: Project, key: string = claudeEnv('', '').ANTHROPIC_API_KEY!): void {
  const state = {
    hasCompletedOnboarding: true,
    customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] },
    projects: { [project.dir]: { hasTrustDialogAccepted: true } },
  };
  writeFileSync(join(project.home, '.claude.json'), JSON.stringify(state));
}

/** Runs the real Claude Code once, offline: no stdin (it would wait 3 s for piped input), no retries. */
export function runClaude(args: string[], cwd: string, env: Record<string, string | undefined>) {
  return execa(join(BIN, 'claude'), args, { cwd, stdin: 'ignore', reject: false, timeout: 120_000, extendEnv: false, env });
}

export const OPENCODE_MODEL = 'mock/claude-mock';

/** OpenCode offline: a provider on the local server in $HOME's config, and an npm registry that fails fast. */
export function opencodeEnv(url: string, home: string): Record<string, string> {
  mkdirSync(join(home, '.config', 'opencode'), { recursive: true });
  writeFileSync(
    join(home, '.config', 'opencode', 'opencode.json'),
    JSON.stringify({
      $schema: 'https://opencode.ai/config.json',
      autoupdate: false,
      share: 'disabled',
      model: OPENCODE_MODEL,
      provider: {
        mock: {
          npm: '@ai-sdk/anthropic',
          name: 'Local mock',
          options: { baseURL: `${url}/v1`, apiKey: 'sk-ant-test-dummy' },
          models: { 'claude-mock': { name: 'Claude (local mock)' } },
        },
      },
    }),
  );
  // fetch-retries=0: OpenCode's install of its plugin package into the config folder fails at once (retried, it holds plugins back ~70 s).
  writeFileSync(join(home, '.npmrc'), 'registry=http://127.0.0.1:9/\nfetch-retries=0\n');
  return {
    PATH: `${BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
  };
}

/**
 * `panecrew launch --json ARGS` with exactly `env` as the launcher's environment (plus what the
 * CLI needs to find the test controller), so the task runs with exactly that environment.
 */
export async function launchWith(tc: TestController, args: string[], env: Record<string, string>): Promise<ListedTask> {
  // No XDG_* here: OpenCode reads its config from $XDG_CONFIG_HOME/opencode when that is set.
  const cliEnv = { PANECREW_HOME: tc.home, PANECREW_CONFIG: tc.env.PANECREW_CONFIG!, NO_COLOR: '1', ...env };
  const r = await execa('node', [join(REPO, 'dist/cli/main.js'), 'launch', '--json', ...args], { env: cliEnv, extendEnv: false, reject: false, cwd: tc.dir });
  if (r.exitCode !== 0) throw new Error(`launch failed (${r.exitCode}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ListedTask;
}

/** Every state a task passes through, from the controller's events, until it ends. */
export async function followTask(tc: TestController, launch: () => Promise<ListedTask>, timeoutMs = 60_000): Promise<{ final: ListedTask; seen: ListedTask[]; launched: ListedTask }> {
  const c = await tc.client();
  const seen: ListedTask[] = [];
  let id: string | undefined;
  let finish: ((t: ListedTask) => void) | undefined;
  const ended = new Promise<ListedTask>((ok) => (finish = ok));
  try {
    await c.subscribe((e) => {
      if (e.event !== 'task') return;
      seen.push(e.task);
      if (e.task.id === id && isFinal(e.task.state)) finish!(e.task);
    });
    const launched = await launch();
    id = launched.id;
    const already = seen.find((t) => t.id === id && isFinal(t.state));
    if (already) finish!(already);
    let timer: NodeJS.Timeout | undefined;
    const final = await Promise.race([
      ended,
      new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`task ${id} did not end within ${timeoutMs}ms`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return { final, seen: seen.filter((t) => t.id === id), launched };
  } finally {
    c.close();
  }
}

export async function resultOf(tc: TestController, taskId: string): Promise<string | null> {
  const c = await tc.client();
  try {
    return (await c.request({ op: 'result', taskId })).result;
  } finally {
    c.close();
  }
}

/** Writes what the Claude adapter's `wire` gives into `taskDir`, for a start without the controller. */
export function writeClaudeSettings(taskDir: string): string {
  const { files } = claudeSignals.wire(taskDir, join(taskDir, SIGNALS_FILE));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(taskDir, name), content, { mode: 0o600 });
  return join(taskDir, CLAUDE_SETTINGS_FILE);
}

/** Claude Code's TUI as the claude profile's interactive command starts it, without the controller. */
export function claudeTuiArgv(o: { settingsFile: string; resumeSessionId?: string; command?: string }): string[] {
  return [o.command ?? 'claude', '--settings', o.settingsFile, ...(o.resumeSessionId ? ['--resume', o.resumeSessionId] : [])];
}
