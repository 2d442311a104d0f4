// `panecrew --help` lists every verb without loading any of them (nor zod, yaml, blessed, the SDKs).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { SUMMARY } from '../../src/cli/summaries.js';
import { CLI } from '../support/controller.js';

/** The modules a CLI run loads, from a resolve hook that prints each one to stderr. */
async function loaded(args: string[], exitCode = 0, env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-help-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { writeSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); writeSync(2, 'LOAD ' + r.url + '\\n'); return r; }\n`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = await execa('node', ['--import', pathToFileURL(register).href, CLI, ...args], { reject: false, env });
  expect(r.exitCode, r.stderr).toBe(exitCode);
  return { stdout: r.stdout, modules: r.stderr.split('\n').filter((l) => l.startsWith('LOAD ')).map((l) => l.slice(5)) };
}

test('panecrew --help lists every verb and loads no verb module and no dependency', async () => {
  const { stdout, modules } = await loaded(['--help']);
  for (const [name, summary] of Object.entries(SUMMARY)) expect(stdout).toContain(`${name.padEnd(10)}  ${summary}`);
  expect(modules.some((m) => m.endsWith('/cli/command.js')), 'the hook sees what loads').toBe(true);
  expect(modules.filter((m) => m.includes('/verbs/') || m.includes('/node_modules/'))).toEqual([]);
});

test('demo --help says what happens inside tmux: it waits for Enter before closing', async () => {
  const r = await execa('node', [CLI, 'demo', '--help']);
  expect(r.stdout).toMatch(/Inside tmux[\s\S]*press Enter/);
});

test('controller status loads a client, not the controller, the runner or execa', async () => {
  // Every module costs start-up time (issue 16): `controller status` once loaded the whole controller.
  const env = { ...process.env, PANECREW_HOME: mkdtempSync(join(tmpdir(), 'panecrew-help-home-')) };
  const { modules } = await loaded(['controller', 'status'], 3, env); // 3: none is running (and none is started)
  expect(modules.some((m) => m.endsWith('/controller/client.js')), 'the hook sees the client').toBe(true);
  expect(modules.filter((m) => /\/(controller\/(main|engine|server)|runner\/(prepare|output-cap)|config\/load)\.js$|\/node_modules\/(execa|yaml|blessed|@modelcontextprotocol)\//.test(m))).toEqual([]);
});

test('status of a task without a worktree loads no execa (git runs only for a worktree task)', async () => {
  // execa and its ~140 modules doubled `panecrew status` start-up (issue 16).
  const env = { ...process.env, PANECREW_HOME: mkdtempSync(join(tmpdir(), 'panecrew-help-home-')) };
  try {
    const { modules } = await loaded(['status', 'x'], 2, env); // 2: not a task id (the verb module is loaded by then)
    expect(modules.some((m) => m.endsWith('/verbs/status.js')), 'the hook sees the verb').toBe(true);
    expect(modules.filter((m) => /\/node_modules\/execa\/|\/worktree\/(changes|git)\.js$/.test(m))).toEqual([]);
  } finally {
    await execa('node', [CLI, 'controller', 'stop'], { env, reject: false });
  }
});
