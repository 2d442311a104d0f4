// A project's .panecrew.yaml comes with the code someone cloned: until the user trusts that folder
// (`panecrew trust`), it cannot choose what runs — no default agent, no agent commands — and an
// edit after the trust takes the trust away again.
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { sha256, trustProject } from '../../src/config/trust.js';
import { trustStoreFile } from '../../src/config/files.js';
import { launchSpec, type TaskArgs } from '../../src/mcp/tools.js';
import type { ControllerLink } from '../../src/mcp/connection.js';
import { CLI, startTestController, testConfig, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

/** A launching shell with node and the system's tools, and no agent CLI or API key. */
const bare = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ANTHROPIC_API_KEY: undefined as unknown as string };
const PROJECT_FILE = ['defaults:', '  agent: shell', '  priority: 7', 'agents:', '  evil:', "    command: [bash, -c, '{prompt}']", ''].join('\n');
const WORDS = 'explore the auth code';

function project(tc: TestController): { dir: string; file: string } {
  const dir = join(tc.dir, 'cloned-repo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.panecrew.yaml');
  writeFileSync(file, PROJECT_FILE);
  return { dir, file };
}

async function agentNames(tc: TestController, cwd: string): Promise<string[]> {
  const r = await tc.cli(['agents', '--json'], { cwd });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return (JSON.parse(String(r.stdout)) as { agents: Array<{ name: string }> }).agents.map((a) => a.name);
}

describe('project config trust', () => {
  it('an untrusted project file cannot pick what runs; `panecrew trust` lets it; an edit takes the trust away', async () => {
    tc = await startTestController(testConfig());
    const { dir, file } = project(tc);

    const untrusted = await tc.cli(['launch', '--json', WORDS], { cwd: dir, env: bare });
    expect(untrusted.stderr).toContain(`${file} is not trusted`);
    expect(untrusted.stderr).toMatch(/ignored: defaults\.agent, agents\b/);
    expect(untrusted.stderr).toContain(`panecrew trust ${dir}`);
    // Not bash: words with no agent CLI installed are refused, as they are without the project file.
    expect(untrusted.exitCode).toBe(2);
    expect(untrusted.stderr).toMatch(/no agent can run this prompt/);
    // Harmless launch defaults still apply.
    const harmless = JSON.parse(String((await tc.cli(['launch', '--json', '--agent', 'shell', 'true'], { cwd: dir, env: bare })).stdout)) as { priority: number };
    expect(harmless.priority).toBe(7);
    expect(await agentNames(tc, dir)).not.toContain('evil');

    const trusted = await tc.cli(['trust'], { cwd: dir });
    expect(trusted.exitCode, String(trusted.stderr)).toBe(0);
    expect(trusted.stdout).toContain(file);
    const store = join(tc.env.XDG_CONFIG_HOME!, 'panecrew', 'trusted-projects.json');
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(readFileSync(store, 'utf8')).toContain(dir);

    const runs = await tc.cli(['launch', '--json', WORDS], { cwd: dir, env: bare });
    expect(runs.exitCode, String(runs.stderr)).toBe(0);
    expect(runs.stderr).not.toContain('not trusted');
    expect((JSON.parse(String(runs.stdout)) as { agent: string }).agent).toBe('shell');
    expect(await agentNames(tc, dir)).toContain('evil');

    appendFileSync(file, '# a later commit\n');
    const edited = await tc.cli(['launch', '--json', WORDS], { cwd: dir, env: bare });
    expect(edited.exitCode).toBe(2);
    expect(edited.stderr).toContain(`${file} changed since you trusted it`);
    expect(await agentNames(tc, dir)).not.toContain('evil');
    const list = await tc.cli(['trust', '--list', '--json']);
    expect(JSON.parse(String(list.stdout))).toMatchObject({ projects: [{ dir, file, status: 'changed' }] });

    expect((await tc.cli(['trust', dir])).exitCode).toBe(0);
    expect((await tc.cli(['launch', '--json', WORDS], { cwd: dir, env: bare })).exitCode).toBe(0);
    const untrust = await tc.cli(['untrust', dir, '--json']);
    expect(untrust.exitCode, String(untrust.stderr)).toBe(0);
    expect(JSON.parse(String(untrust.stdout))).toMatchObject({ removed: [dir] });
    expect((await tc.cli(['launch', '--json', WORDS], { cwd: dir, env: bare })).exitCode).toBe(2);
  });

  it('a controller started in an untrusted project folder does not load its agents; trusted and reloaded, it does', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'panecrew-project-'));
    try {
      const dir = join(outside, 'cloned-repo');
      mkdirSync(dir);
      const file = join(dir, '.panecrew.yaml');
      writeFileSync(file, PROJECT_FILE);
      tc = await startTestController(testConfig(), {}, { cwd: dir });
      const log = join(tc.home, 'controller.log');
      expect(readFileSync(log, 'utf8')).toContain(`${file} is not trusted`);
      const refused = await tc.cli(['launch', '--agent', 'evil', 'echo hi']);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/unknown agent "evil"/);

      expect((await tc.cli(['trust', dir])).exitCode).toBe(0);
      const reload = await tc.cli(['controller', 'reload']);
      expect(reload.stdout).toMatch(/applied: .*agents/);
      const task = await tc.launch(['--agent', 'evil', 'echo from the project agent']);
      expect((await tc.waitFinal(task.id)).state).toBe('completed');
      expect(String((await tc.cli(['output', task.id])).stdout)).toContain('from the project agent');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('MCP task calls', () => {
  it('take the default agent from a project file only once it is trusted', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'panecrew-project-'));
    try {
      writeFileSync(join(outside, '.panecrew.yaml'), PROJECT_FILE);
      const env = { HOME: outside, XDG_CONFIG_HOME: join(outside, 'xdg'), PATH: bare.PATH };
      const ctx = { link: undefined as unknown as ControllerLink, env, cwd: outside };
      const args = { prompt: WORDS } as TaskArgs;
      const before = launchSpec(args, ctx);
      expect(before.spec.agent).toBe('auto');
      expect(before.warnings.join('\n')).toContain(`panecrew trust ${outside}`);
      const r = await execa('node', [CLI, 'trust', outside], { env, reject: false });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const after = launchSpec(args, ctx);
      expect(after.spec.agent).toBe('shell');
      expect(after.warnings).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('the trust store', () => {
  it('trusts nothing when other users could have written it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'panecrew-project-'));
    try {
      const file = join(outside, '.panecrew.yaml');
      writeFileSync(file, PROJECT_FILE);
      const env = { HOME: outside, XDG_CONFIG_HOME: join(outside, 'xdg') };
      trustProject(env, file, sha256(PROJECT_FILE));
      expect(loadConfig({ cwd: outside, env }).config.defaults.agent).toBe('shell');
      chmodSync(trustStoreFile(env), 0o666);
      const loaded = loadConfig({ cwd: outside, env });
      expect(loaded.config.defaults.agent).toBe('auto');
      expect(loaded.warnings.join('\n')).toMatch(/trusted-projects\.json is not a private file of yours/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
