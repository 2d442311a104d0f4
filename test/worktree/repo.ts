// A real git repository in a temp folder, for the worktree tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd })).stdout;
}

/** A repository on `main` with one commit: notes.txt (three lines) and src/app.txt. */
export async function makeRepo(dir: string): Promise<string> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Test');
  await git(dir, 'config', 'user.email', 'test@example.com');
  writeFileSync(join(dir, 'notes.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(dir, 'src', 'app.txt'), 'app\n');
  writeFileSync(join(dir, '.gitignore'), '.env\n*.log\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'start');
  return dir;
}
