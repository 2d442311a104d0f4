// `panecrew agents`: every profile (built-in and from config) with whether its CLI is installed.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO } from './support.js';

const CONFIG = `
agents:
  mine:
    command: [my-agent-that-is-not-installed, --task, '{prompt}']
    output: plain
    provider: local
subagents:
  explore: { agent: claude, model: anthropic/claude-sonnet-4-5 }
`;

describe('panecrew agents', () => {
  let dir: string;
  const run = (args: string[], path: string) =>
    execa('node', [join(REPO, 'dist/cli/main.js'), 'agents', ...args], {
      env: { PATH: path, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), PANECREW_CONFIG: join(dir, 'config.yaml'), NO_COLOR: '1' },
      extendEnv: false,
      cwd: dir,
      reject: false,
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'panecrew-agents-verb-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists built-in and configured profiles with installed status, categories and subagent types as JSON', async () => {
    const r = await run(['--json'], `${BIN}:/usr/bin:/bin`);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { agents: Array<Record<string, unknown>>; categories: Array<Record<string, unknown>>; subagents: Array<Record<string, unknown>> };
    const byName = Object.fromEntries(out.agents.map((a) => [a.name, a]));
    expect(byName.claude).toMatchObject({ source: 'built-in', installed: true, output: 'claude-stream-json', completion: 'exit', provider: 'anthropic' });
    expect(byName.opencode).toMatchObject({ installed: existsSync(join(BIN, 'opencode')), output: 'opencode-json' });
    expect(byName.builtin).toMatchObject({ installed: true, output: 'panecrew-events', retryExitCodes: [75] });
    // Which built-in profiles run for real in this repository's tests, and which do not.
    expect(byName.opencode).toMatchObject({ testedIn: 'test/agents/real-clis.test.ts, test/agents/opencode-live.test.ts' });
    expect(byName.codex).toMatchObject({ output: 'codex-json', testedIn: 'test/agents/vendor-clis.test.ts, test/agents/codex-live.test.ts' });
    expect(byName.gemini).toMatchObject({ output: 'gemini-stream-json', testedIn: 'test/agents/vendor-clis.test.ts, test/agents/gemini-live.test.ts' });
    expect(byName.aider).toMatchObject({ testedIn: null });
    expect(byName.mine).toMatchObject({ testedIn: null });
    expect(byName.mine).toMatchObject({ source: 'config', installed: false, executable: 'my-agent-that-is-not-installed', command: ['my-agent-that-is-not-installed', '--task', '{prompt}'] });
    expect(out.categories.find((c) => c.name === 'quick')).toMatchObject({ agent: 'builtin', model: 'anthropic/claude-haiku-4-5' });
    expect(out.subagents.find((c) => c.name === 'explore')).toMatchObject({ agent: 'claude', model: 'anthropic/claude-sonnet-4-5' });
  });

  it('says which CLIs are missing from PATH in the table', async () => {
    const r = await run([], '/usr/bin:/bin');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^claude\s+no \(claude\)\s+claude-stream-json/m);
    expect(r.stdout).toMatch(/^shell\s+yes\s+plain/m);
    expect(r.stdout).toMatch(/^aider\s.*\buntested\s+aider /m);
    expect(r.stdout).toMatch(/^codex\s.*\bopenai\s+yes\s+codex exec /m);
    expect(r.stdout).toMatch(/^mine\*\s+no \(my-agent-that-is-not-installed\)/m);
    expect(r.stdout).toContain('Subagent types (--subagent)');
  });

  it('explains an invalid profile and exits 2', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'agents:\n  broken:\n    command: [x, "{promtp}"]\n');
    const r = await execa('node', [join(REPO, 'dist/cli/main.js'), 'agents'], {
      env: { PATH: '/usr/bin:/bin', HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), PANECREW_CONFIG: join(dir, 'bad.yaml') },
      extendEnv: false,
      cwd: dir,
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('agents.broken.command');
  });
});
