// `panecrew --help` lists every verb without loading any of them (nor zod, yaml, blessed, the SDKs).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { SUMMARY } from '../../src/cli/summaries.js';
import { CLI } from '../support/controller.js';

/**
 * What a CLI run loads, from a resolve hook that prints each URL to stderr: `files` as Node reads them
 * (bundle chunks, installed packages), `modules` the source files inside them (from each chunk's map).
 */
async function loaded(args: string[], exitCode = 0, env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; files: string[]; modules: string[]; builtins: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-help-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { writeSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); writeSync(2, 'LOAD ' + r.url + '\\n'); return r; }\n`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = await execa('node', ['--import', pathToFileURL(register).href, CLI, ...args], { reject: false, env });
  expect(r.exitCode, r.stderr).toBe(exitCode);
  const files = [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('LOAD file:')).map((l) => fileURLToPath(l.slice(5))))];
  const builtins = [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('LOAD node:')).map((l) => l.slice(5)))];
  return { stdout: r.stdout, files, modules: files.flatMap(sourcesOf), builtins };
}

/** The source files a bundle chunk was made of (itself for a file that is not a chunk). */
function sourcesOf(file: string): string[] {
  if (!existsSync(`${file}.map`)) return [file];
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
  return map.sources.map((s) => resolve(dirname(file), s));
}

/** A home, config folder and default tmux server of the test's own (never the person's), and what ends them. */
function privateEnv(): { env: NodeJS.ProcessEnv; stop(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-help-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PANECREW_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'cache'), TMUX_TMPDIR: dir };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return {
    env,
    async stop() {
      await execa('node', [CLI, 'controller', 'stop'], { env, reject: false });
      await execa('tmux', ['-S', join(dir, `tmux-${process.getuid?.() ?? 0}`, 'default'), 'kill-server'], { reject: false });
    },
  };
}

test('panecrew --help lists every verb and loads no verb module and no dependency', async () => {
  const { stdout, modules } = await loaded(['--help']);
  for (const [name, summary] of Object.entries(SUMMARY)) expect(stdout).toContain(`${name.padEnd(10)}  ${summary}`);
  expect(modules.some((m) => m.endsWith('/src/cli/command.ts')), 'the hook sees what loads').toBe(true);
  expect(modules.filter((m) => m.includes('/verbs/') || m.includes('/node_modules/'))).toEqual([]);
});

test('demo --help says what happens inside tmux: it waits for Enter before closing', async () => {
  const r = await execa('node', [CLI, 'demo', '--help']);
  expect(r.stdout).toMatch(/Inside tmux[\s\S]*press Enter/);
});

test('controller status loads a client, not the controller, the runner or execa', async () => {
  // Every module costs start-up time (issue 16): `controller status` once loaded the whole controller.
  const { env, stop } = privateEnv();
  const { modules } = await loaded(['controller', 'status'], 3, env); // 3: none is running (and none is started)
  expect(modules.some((m) => m.endsWith('/src/controller/client.ts')), 'the hook sees the client').toBe(true);
  expect(modules.filter((m) => /\/(controller\/(main|engine|server)|runner\/(prepare|output-cap)|config\/load)\.ts$|\/node_modules\/(execa|yaml|blessed|@modelcontextprotocol)\//.test(m))).toEqual([]);
});

test('status of a task without a worktree loads no execa (git runs only for a worktree task)', async () => {
  // execa and its ~140 modules doubled `panecrew status` start-up (issue 16).
  const { env, stop } = privateEnv();
  try {
    const { modules } = await loaded(['status', 'x'], 2, env); // 2: not a task id (the verb module is loaded by then)
    expect(modules.some((m) => m.endsWith('/src/cli/verbs/status.ts')), 'the hook sees the verb').toBe(true);
    expect(modules.filter((m) => /\/node_modules\/execa\/|\/worktree\/(changes|git)\.ts$/.test(m))).toEqual([]);
  } finally {
    await stop();
  }
});

test('the hot verbs read a few bundle files, no execa, and no zod or yaml once launch has its config cached', async () => {
  // Node read zod as ~95 files and execa as ~130, one by one: most of `ls` start-up (issue 16).
  // A reply is checked by hand (controller/server-message.ts). The first launch from a folder reads the
  // config (yaml, zod) and caches what launch needs (config/launch-config.ts); the next one reads the cache.
  const { env, stop } = privateEnv();
  const launch = ['launch', '--agent', 'shell', '--placement', 'headless', '--prompt', 'true'];
  try {
    for (const [args, code, zod] of [[['controller', 'status'], 3, false], [['ls'], 0, false], [['wait', 'x'], 2, false], [launch, 0, true], [launch, 0, false]] as const) {
      const { files, modules, builtins } = await loaded([...args], code, env);
      expect(modules.some((m) => /\/node_modules\/(zod|yaml)\//.test(m)), `${args[0]} loads zod and yaml`).toBe(zod);
      // node:v8 costs a call 6-10 ms; only a controller sets its heap flag (controller/heap-flags.ts).
      expect(builtins, `${args[0]} loads node:v8`).not.toContain('node:v8');
      expect(files.filter((f) => f.includes('/node_modules/')), `${args.join(' ')} reads no package file by file`).toEqual([]);
      expect(modules.filter((m) => /\/node_modules\/execa\//.test(m)), `${args[0]} of a plain task runs no git`).toEqual([]);
      expect(files.length, `${args.join(' ')} reads ${files.length} files`).toBeLessThanOrEqual(30);
    }
  } finally {
    await stop();
  }
});
