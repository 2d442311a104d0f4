// Tasks in their own git worktrees, through the real controller, CLI and git: parallel edits of one
// file kept apart, merged back all or nothing, setup, the refusals, and work that survives cleanup.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { git, makeRepo } from './repo.js';
import { startMcp, taskIdOf } from '../mcp/helpers.js';

let tc: TestController;
let repo: string;

beforeAll(async () => {
  tc = await startTestController(testConfig({ background_task: { retry: { attempts: 3, backoffMs: '100ms' } }, agents: { flaky: { command: ['bash', '-c', '{prompt}'], retry_exit_codes: [75], provider: 'local' } }, categories: { parallel: { agent: 'shell', isolation: 'worktree' } }, worktree: { copy: ['.env'], setup: ['sh', '-c', 'echo setting up here; pwd > setup-ran.log'] } }));
  repo = realpathSync(await makeRepo(join(tc.dir, 'repo')));
  writeFileSync(join(repo, '.env'), 'SECRET=1\n');
}, 90_000);
afterAll(() => tc?.stop());

const shell = (cmd: string, ...more: string[]) => tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', join(repo, 'src'), '--worktree', ...more, '--prompt', cmd]);

describe('worktrees', () => {
  it('two tasks editing the same file each leave their own branch; the main checkout is untouched; merge 1 applies, merge 2 conflicts and changes nothing', async () => {
    const a = await shell(`sed -i 's/two/TWO from A/' ../notes.txt && pwd > where.txt`);
    const b = await shell(`sed -i 's/two/two from B/' ../notes.txt`);
    expect((await tc.waitFinal(a.id, 60_000)).state).toBe('completed');
    expect((await tc.waitFinal(b.id, 60_000)).state).toBe('completed');
    const wa = a.workspace!;
    expect(wa.branch).toBe(`panecrew/${a.id}`);
    expect(wa.path.startsWith(join(tc.home, 'worktrees'))).toBe(true);
    // the same relative cwd inside the worktree
    expect(readFileSync(join(wa.path, 'src', 'where.txt'), 'utf8').trim()).toBe(join(wa.path, 'src'));
    expect(readFileSync(join(wa.path, 'notes.txt'), 'utf8')).toContain('TWO from A');
    expect(readFileSync(join(b.workspace!.path, 'notes.txt'), 'utf8')).toContain('two from B');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(await git(repo, 'status', '--porcelain')).toBe('');

    const stat = await tc.cli(['diff', a.id, '--stat']);
    expect(stat.stdout).toMatch(/notes\.txt/);
    expect(stat.stdout).toMatch(/where\.txt/);
    expect((await tc.cli(['diff', a.id])).stdout).toContain('+TWO from A');

    await until(async () => (await tc.get(a.id)).workspace?.changes, 'the change summary recorded');
    const ls = String((await tc.cli(['ls'])).stdout);
    expect(ls, ls).toContain('[2 files +2 -1]');
    expect((await tc.cli(['status', a.id])).stdout).toContain(`changes: 2 files changed, +2 -1 on branch ${wa.branch}`);

    const m1 = await tc.cli(['merge', a.id]);
    expect(m1.exitCode, String(m1.stderr)).toBe(0);
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toContain('TWO from A');
    const head = await git(repo, 'rev-parse', 'HEAD');

    const m2 = await tc.cli(['merge', b.id, '--squash']);
    expect(m2.exitCode).toBe(1);
    expect(m2.stderr).toContain('conflicts in: notes.txt');
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(b.workspace!.path, 'notes.txt'), 'utf8')).toContain('two from B');
  }, 180_000);

  it('a category can make worktrees the default; --no-worktree overrides it', async () => {
    const t = await tc.launch(['--category', 'parallel', '--placement', 'headless', '--cwd', repo, '--prompt', 'true']);
    expect(t.workspace?.branch).toBe(`panecrew/${t.id}`);
    const plain = await tc.launch(['--category', 'parallel', '--no-worktree', '--placement', 'headless', '--cwd', repo, '--prompt', 'true']);
    expect(plain.workspace).toBeUndefined();
    expect(plain.cwd).toBe(repo);
    await tc.waitFinal(t.id, 60_000);
    await tc.waitFinal(plain.id, 60_000);
  }, 90_000);

  it('a retried attempt works on in the same worktree, with what the first one left', async () => {
    const t = await tc.launch(['--agent', 'flaky', '--placement', 'headless', '--cwd', repo, '--worktree', '--prompt', 'echo try >> tally.txt; [ $(wc -l < tally.txt) -ge 2 ] || exit 75']);
    const done = await tc.waitFinal(t.id, 60_000);
    expect(done.state).toBe('completed');
    expect(done.attempts).toHaveLength(2);
    expect(readFileSync(join(t.workspace!.path, 'tally.txt'), 'utf8')).toBe('try\ntry\n');
  }, 90_000);

  it('a relaunch gets a fresh worktree of the same checkout, at the same relative cwd', async () => {
    const t = await shell('pwd');
    await tc.waitFinal(t.id, 60_000);
    const r = await tc.cli(['relaunch', '--json', t.id]);
    const again = JSON.parse(String(r.stdout)) as typeof t;
    expect(again.workspace!.repo).toBe(repo);
    expect(again.workspace!.path).not.toBe(t.workspace!.path);
    expect(again.cwd).toBe(join(again.workspace!.path, 'src'));
    await tc.waitFinal(again.id, 60_000);
  }, 90_000);

  it('setup copies the configured files and runs its command in the worktree before the agent', async () => {
    const t = await shell('cat ../.env; cat setup-ran.log');
    const done = await tc.waitFinal(t.id, 60_000);
    expect(done.state).toBe('completed');
    expect(readFileSync(join(tc.home, 'tasks', t.id, 'setup.log'), 'utf8')).toContain('setting up here');
    const out = (await tc.cli(['output', t.id])).stdout;
    expect(out).toContain('SECRET=1');
    expect(out).toContain(join(t.workspace!.path, 'src'));
  }, 90_000);

  it('a failing setup ends the task as error with its output', async () => {
    const failing = await startTestController(testConfig({ worktree: { setup: ['sh', '-c', 'echo cannot install; exit 3'] } }));
    try {
      const r = await failing.cli(['launch', '--json', '--agent', 'shell', '--placement', 'headless', '--cwd', repo, '--worktree', '--prompt', 'echo never']);
      const t = await failing.waitFinal(JSON.parse(r.stdout as string).id, 60_000);
      expect(t.state).toBe('error');
      expect(t.reason).toContain('cannot install');
      expect(t.reason).toContain('exit code 3');
    } finally {
      await failing.stop();
    }
  }, 90_000);

  it('refuses a non-repository cwd, a taken branch and a detached HEAD with the reason; notes a dirty main checkout', async () => {
    const plain = join(tc.dir, 'plain');
    mkdirSync(plain, { recursive: true });
    const notRepo = await tc.cli(['launch', '--agent', 'shell', '--cwd', plain, '--worktree', '--prompt', 'true']);
    expect(notRepo.exitCode).toBe(2);
    expect(notRepo.stderr).toContain('is not in a git repository');
    const bare = join(tc.dir, 'bare.git');
    await git(tc.dir, 'init', '-q', '--bare', bare);
    const bareLaunch = await tc.cli(['launch', '--agent', 'shell', '--cwd', bare, '--worktree', '--prompt', 'true']);
    expect(bareLaunch.stderr).toContain('is in a bare repository');
    await git(repo, 'branch', 'taken');
    const taken = await tc.cli(['launch', '--agent', 'shell', '--cwd', repo, '--worktree', '--branch', 'taken', '--prompt', 'true']);
    expect(taken.stderr).toContain('branch taken already exists');

    writeFileSync(join(repo, 'src', 'app.txt'), 'changed by hand\n');
    try {
      const dirty = await tc.launch(['--agent', 'shell', '--placement', 'headless', '--cwd', repo, '--worktree', '--prompt', 'cat src/app.txt']);
      expect(dirty.workspace!.notes.join()).toContain('uncommitted changes');
      await tc.waitFinal(dirty.id, 60_000);
      expect((await tc.cli(['output', dirty.id])).stdout).toMatch(/^app$/m);
      const refused = await tc.cli(['merge', dirty.id]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('uncommitted changes');
    } finally {
      await git(repo, 'checkout', '--', 'src/app.txt');
    }
    await git(repo, 'checkout', '-q', '--detach');
    try {
      const detached = await tc.cli(['launch', '--agent', 'shell', '--cwd', repo, '--worktree', '--prompt', 'true']);
      expect(detached.stderr).toContain('detached HEAD');
    } finally {
      await git(repo, 'checkout', '-q', 'main');
    }
  }, 90_000);

  it('MCP `task` takes isolation; background_output shows the change summary', async () => {
    const mcp = await startMcp(tc.env, { cwd: join(repo, 'src') });
    try {
      const launched = await mcp.call('task', { subagent_type: 'shell', prompt: 'echo mcp > mcp.txt', isolation: 'worktree', run_in_background: false, timeout: 20_000 });
      expect(launched.text).toContain('changes: 1 file changed, +1 -0 on branch panecrew/');
      const t = await tc.get(taskIdOf(launched.text));
      expect(readFileSync(join(t.workspace!.path, 'src', 'mcp.txt'), 'utf8')).toBe('mcp\n');
      expect(existsSync(join(repo, 'src', 'mcp.txt'))).toBe(false);
    } finally {
      await mcp.close();
    }
  }, 90_000);

  it('a dependent task starts from the branch of the task it waited for', async () => {
    const contract = await shell('echo "api: v1" > contract.txt');
    const backend = await shell('cat contract.txt', '--after', contract.id, '--base', contract.id);
    expect(backend.workspace!.base).toBe(contract.workspace!.branch);
    expect((await tc.waitFinal(backend.id, 60_000)).state).toBe('completed');
    expect((await tc.cli(['output', backend.id])).stdout).toContain('api: v1');
  }, 90_000);

  it('unmerged work survives cancel and prune; rm refuses it without --force', async () => {
    const t = await shell('echo unsaved > work.txt; sleep 60');
    const file = join(t.workspace!.path, 'src', 'work.txt');
    // cancel only once the work is written: a loaded machine may not have run the echo yet
    await until(() => existsSync(file) && readFileSync(file, 'utf8') === 'unsaved\n', 'the unsaved work written');
    await tc.cli(['cancel', t.id]);
    await tc.waitFinal(t.id, 60_000);
    expect(readFileSync(file, 'utf8')).toBe('unsaved\n');
    writeFileSync(join(tc.dir, 'zero-retention.yaml'), testConfig({ background_task: { retentionMs: 0 } }));
    const prune = await tc.cli(['worktree', 'prune'], { env: { PANECREW_CONFIG: join(tc.dir, 'zero-retention.yaml') } });
    expect(prune.stderr).toContain(`kept ${t.id}`);
    expect(existsSync(file)).toBe(true);
    const rm = await tc.cli(['worktree', 'rm', t.id]);
    expect(rm.exitCode).toBe(1);
    expect(rm.stderr).toContain('uncommitted work');
    expect(existsSync(file)).toBe(true);
    const forced = await tc.cli(['worktree', 'rm', t.id, '--force']);
    expect(forced.exitCode, String(forced.stderr)).toBe(0);
    expect(existsSync(t.workspace!.path)).toBe(false);
  }, 90_000);
});
