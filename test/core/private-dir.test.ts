// PANECREW_HOME and the task folders in it hold what panecrew runs: another user who can write
// there can make a task run their binary. Such folders are refused, and task files are created
// afresh, never written through a planted symlink.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHome, writePrivateFile } from '../../src/core/private-dir.js';
import { homePaths, taskPaths } from '../../src/core/paths.js';
import type { Task } from '../../src/core/task.js';
import { prepareTaskFolder } from '../../src/runner/prepare.js';
import { BUILTIN_PROFILES } from '../../src/runner/profiles.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'panecrew-private-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOBODY = 65534;

describe('checkHome', () => {
  it('creates a missing home private (0700) and accepts it', () => {
    const home = join(dir, 'home');
    checkHome(homePaths(home));
    expect(lstatSync(home).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(home, 'tasks')).mode & 0o777).toBe(0o700);
  });

  it('refuses a home writable by others, naming the fix, and changes nothing', () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    chmodSync(home, 0o777);
    expect(() => checkHome(homePaths(home))).toThrow(`${home} is writable by other users (mode 777): another user could plant files that panecrew runs. Fix: chmod 700 ${home}`);
    expect(lstatSync(home).mode & 0o777).toBe(0o777);
    expect(() => lstatSync(join(home, 'tasks'))).toThrow();
  });

  it('refuses a tasks folder writable by its group', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, 'tasks'), { recursive: true, mode: 0o700 });
    chmodSync(join(home, 'tasks'), 0o770);
    expect(() => checkHome(homePaths(home))).toThrow(/tasks is writable by other users \(mode 770\)/);
  });

  it('refuses a home owned by another user', (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip('only root can give a folder to another user');
    const home = join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, NOBODY, NOBODY);
    expect(() => checkHome(homePaths(home))).toThrow(`${home} belongs to uid ${NOBODY}, not to you (uid 0): another user could plant files that panecrew runs. Fix: use a folder of your own (unset PANECREW_HOME, or point it at one)`);
  });
});

describe('writePrivateFile', () => {
  it('replaces a planted symlink instead of writing through it', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'file'));
    writePrivateFile(join(dir, 'file'), 'data');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(join(dir, 'file')).isFile()).toBe(true);
    expect(lstatSync(join(dir, 'file')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('data');
  });
});

describe('prepareTaskFolder', () => {
  const task = (cwd: string): Task => ({ id: 'bg_0000test', prompt: 'echo hi', cwd, model: null, provider: 'local' }) as unknown as Task;
  const prepare = (tasks: string) =>
    prepareTaskFolder({ task: task(dir), paths: taskPaths(tasks, 'bg_0000test'), profile: BUILTIN_PROFILES.shell!, clientEnv: { PATH: '/usr/bin' }, dependencies: [], outputLogMaxBytes: 0 });

  it('never writes through a symlink planted in the task folder', () => {
    const tasks = join(dir, 'tasks');
    const paths = taskPaths(tasks, 'bg_0000test');
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched');
    for (const file of [paths.run, paths.prompt, paths.spec]) symlinkSync(victim, file);
    prepare(tasks);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(readFileSync(paths.run, 'utf8').startsWith([dir, '', '4', 'bash', '-c', 'echo hi', 'panecrew-task', 'PATH=/usr/bin', ''].join('\0'))).toBe(true);
  });

  it('refuses a task folder that is a symlink to a folder elsewhere', () => {
    const tasks = join(dir, 'tasks');
    mkdirSync(tasks, { mode: 0o700 });
    mkdirSync(join(dir, 'elsewhere'), { mode: 0o700 });
    symlinkSync(join(dir, 'elsewhere'), join(tasks, 'bg_0000test'));
    expect(() => prepare(tasks)).toThrow(/bg_0000test is not a folder but a symlink/);
  });

  it('refuses a task folder that others can write to', () => {
    const tasks = join(dir, 'tasks');
    const paths = taskPaths(tasks, 'bg_0000test');
    mkdirSync(paths.dir, { recursive: true });
    chmodSync(paths.dir, 0o777);
    expect(() => prepare(tasks)).toThrow(/bg_0000test is writable by other users \(mode 777\)/);
  });
});
