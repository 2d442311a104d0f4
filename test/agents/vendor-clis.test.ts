// The real Codex CLI and Gemini CLI (node_modules/.bin, npm run agents:install) run by panecrew as
// headless print-mode agents through the real controller, offline against the local server speaking
// their own protocols (OpenAI Responses; Gemini streamGenerateContent).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CONFIG, startTestController, type TestController } from '../support/controller.js';
import { geminiApi, openAiResponses, startMockApi, type MockApi, type MockProtocol } from '../support/mock-api.js';
import { BIN, followTask, launchWith, makeProject, PHRASE, resultOf, type Project } from './support.js';
import { codexEnv, geminiEnv, toolScript } from './vendor-support.js';

interface Cli {
  name: string;
  bin: string;
  agent: string[];
  protocol: MockProtocol;
  tool: string;
  input: (file: string) => Record<string, unknown>;
  step: RegExp;
  env: (url: string, home: string) => Record<string, string>;
}

const CLIS: Cli[] = [
  // gpt-5-codex models are offered the exec_command tool (a unified exec session) by codex 0.171.
  { name: 'Codex', bin: 'codex', agent: ['--agent', 'codex'], protocol: openAiResponses, tool: 'exec_command', input: (f) => ({ cmd: `cat ${f}` }), step: /Bash cat .*NOTES\.md/, env: codexEnv },
  // An explicit model: with none, Gemini CLI first asks a router model for JSON to pick one.
  { name: 'Gemini', bin: 'gemini', agent: ['--agent', 'gemini', '--model', 'google/gemini-2.5-flash'], protocol: geminiApi, tool: 'read_file', input: (f) => ({ file_path: f }), step: /Read .*NOTES\.md/, env: geminiEnv },
];

const installed = (bin: string) => existsSync(join(BIN, bin));
for (const cli of CLIS.filter((c) => !installed(c.bin))) {
  it.skip(`${cli.name}: node_modules/.bin/${cli.bin} is not installed (npm run agents:install)`, () => {});
}

describe.each(CLIS.filter((c) => installed(c.bin)))('$name under panecrew (print mode)', (cli) => {
  let project: Project;
  let api: MockApi;
  let tc: TestController;
  const question = 'What do the notes in NOTES.md say?';

  beforeAll(async () => {
    project = makeProject();
    api = await startMockApi(toolScript(cli.tool, cli.input(project.file)), { protocol: cli.protocol });
    tc = await startTestController(BASE_CONFIG);
  });
  afterAll(async () => {
    await tc?.stop();
    await api?.close();
  });

  it(`runs its ${cli.tool} tool and completes with an answer quoting the file`, async () => {
    const env = cli.env(api.url, project.home);
    const { final, seen } = await followTask(tc, () => launchWith(tc, [...cli.agent, '--cwd', project.dir, '--', question], env), 120_000);
    expect(final.state, `${final.reason ?? ''} ${JSON.stringify(api.hits)}`).toBe('completed');
    expect(await resultOf(tc, final.id)).toContain(PHRASE);
    expect(final.usage.inputTokens).toBeGreaterThan(0);
    expect(final.usage.outputTokens).toBeGreaterThan(0);
    expect(final.progress.toolCalls).toBeGreaterThanOrEqual(1);
    const steps = [...seen.map((t) => t.progress.step), final.progress.step].filter(Boolean);
    expect(steps.some((s) => cli.step.test(s!)), JSON.stringify(steps)).toBe(true);
    // The CLI really went to the local server: the tool call and its follow-up.
    expect(api.requests.filter((r) => r.tools.some((t) => t.name === cli.tool)).length).toBeGreaterThanOrEqual(2);
    // The prompt reached the CLI by its standard input, not argv.
    expect(JSON.stringify(api.requests.find((r) => r.tools.length > 0)?.messages)).toContain(question);
  }, 150_000);
});
