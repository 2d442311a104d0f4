// A shell task that is one simple command runs without bash, and the program cannot tell: the same
// argv, output, exit code and environment as under `bash -c`, checked against the real bash. Any
// line bash could read differently goes to bash.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directCommand } from '../../src/runner/simple-command.js';
import { startTestController, type TestController } from '../support/controller.js';

const dir = mkdtempSync(join(tmpdir(), 'panecrew-simple-'));
const bin = join(dir, 'bin');
const work = join(dir, 'work');
mkdirSync(bin);
mkdirSync(work);
symlinkSync(work, join(dir, 'link'));
/** Prints what a program sees: its argv, one per line, then its environment, sorted. */
const SHOW = '#!/bin/sh\nfor a in "$0" "$@"; do printf "arg %s\\n" "$a"; done\nenv | LC_ALL=C sort\nexit 3\n';
writeFileSync(join(bin, 'show'), SHOW, { mode: 0o755 });
writeFileSync(join(work, 'local-show'), SHOW, { mode: 0o755 });
writeFileSync(join(bin, 'no-shebang'), 'echo from a script with no #! line\n', { mode: 0o755 });
writeFileSync(join(bin, 'not-executable'), SHOW, { mode: 0o644 });
writeFileSync(join(bin, 'bad-interpreter'), '#!/nonexistent/sh\necho hi\n', { mode: 0o755 });
const PATH = `${bin}:/usr/local/bin:/usr/bin:/bin`;
const base = { PATH, HOME: dir, LANG: 'C.UTF-8' };

/** How `bash -c LINE panecrew-task` runs it, and how the runner would exec the direct argv. */
function both(line: string, env: Record<string, string>, cwd = work) {
  const viaBash = spawnSync('/bin/bash', ['-c', line, 'panecrew-task'], { env, cwd, encoding: 'utf8' });
  const direct = directCommand(line, env, cwd);
  expect(direct, `"${line}" runs directly`).not.toBeNull();
  const [file, ...args] = direct!.argv;
  const run = spawnSync(file!, args, { env: { ...env, ...direct!.env }, cwd, encoding: 'utf8', argv0: file });
  return { bash: [viaBash.status, viaBash.stdout, viaBash.stderr], direct: [run.status, run.stdout, run.stderr] };
}

describe('one simple command, without bash', () => {
  it.each([
    ['a program on PATH, with arguments', 'show one two=2 --three -4 a,b:c@d%e+f ./g', base],
    ['blanks around and between words', '  show\tone   two  ', base],
    ['a path relative to the cwd', './local-show x', base],
    ['an absolute path', `${bin}/show y`, base],
    ['no PWD, SHLVL or OLDPWD inherited', 'show', base],
    ['a PWD that names the cwd through a symlink is kept', 'show', { ...base, PWD: join(dir, 'link') }],
    ['a PWD elsewhere is replaced by the cwd', 'show', { ...base, PWD: dir, OLDPWD: dir }],
    ['a relative PWD is replaced', 'show', { ...base, PWD: 'work' }],
    ['SHLVL as it was', 'show', { ...base, SHLVL: '4' }],
    ['SHLVL 0', 'show', { ...base, SHLVL: '0' }],
  ])('%s: the same argv, output, exit code and environment', (_, line, env) => {
    const { bash, direct } = both(line, env);
    expect(bash[0]).toBe(3);
    expect(direct).toEqual(bash);
  });

  it('true and false with no arguments: the programs do what the builtins do', () => {
    for (const line of ['true', 'false']) {
      const { bash, direct } = both(line, base);
      expect(direct).toEqual(bash);
    }
    expect(directCommand('true --help', base, work)).toBeNull();
  });

  it.each([
    ['a builtin', 'echo hi'],
    ['a builtin as a bare word', 'cd'],
    ['a keyword', 'time show'],
    ['an assignment', 'X=1 show'],
    ['a variable', 'show $HOME'],
    ['command substitution', 'show `id`'],
    ['quotes', "show 'a b'"],
    ['a backslash', 'show a\\ b'],
    ['a glob', 'show *'],
    ['a bracket glob', 'show [ab]'],
    ['a tilde', 'show ~'],
    ['braces', 'show {a,b}'],
    ['a separator', 'show; show'],
    ['a pipe', 'show | show'],
    ['a redirection', 'show > out'],
    ['background', 'show &'],
    ['a comment', 'show # note'],
    ['a subshell', '(show)'],
    ['a second line', 'show\nshow'],
    ['nothing', '   '],
    ['a program not found (bash says so, exit 127)', 'no-such-program-here'],
    ['a file that is not executable', 'not-executable'],
    ['a script with no #! line (bash runs it as bash)', 'no-shebang'],
    ['a script whose interpreter is missing (bash says so)', 'bad-interpreter'],
    ['a folder', `${dir}/work`],
  ])('%s goes to bash', (_, line) => {
    expect(directCommand(line, base, work)).toBeNull();
  });

  it.each([
    ['BASH_ENV (bash would source it)', { BASH_ENV: join(dir, 'rc') }],
    ['an exported function of that name', { 'BASH_FUNC_show%%': '() { echo function; }' }],
    ['SHELLOPTS', { SHELLOPTS: 'xtrace' }],
    ['a PATH with a relative entry', { PATH: `bin:${PATH}` }],
    ['a PATH with an empty entry', { PATH: `${PATH}:` }],
    ['no PATH', { PATH: '' }],
    ['a SHLVL bash rewrites', { SHLVL: 'x' }],
    ['a SHLVL bash warns about', { SHLVL: '999' }],
    ['an OLDPWD bash drops', { OLDPWD: join(dir, 'gone') }],
  ])('with %s, bash runs the line', (_, extra) => {
    expect(directCommand('show', { ...base, ...extra }, work)).toBeNull();
  });
});

describe('a shell task', () => {
  let tc: TestController;
  beforeAll(async () => {
    tc = await startTestController();
  });
  afterAll(() => tc?.stop());

  it('runs a simple command without bash, and anything else with it, with the same outcome', async () => {
    const env = { PATH, HOME: dir };
    const c = await tc.client();
    try {
      const direct = await tc.launchFast(c, { prompt: 'show a b', cwd: work, env });
      const viaBash = await tc.launchFast(c, { prompt: 'show "a" b', cwd: work, env });
      for (const t of [direct, viaBash]) expect(await tc.waitFinal(t.id)).toMatchObject({ state: 'error', exitCode: 3 });
      const argv = (id: string): string[] => JSON.parse(readFileSync(join(tc.home, 'tasks', id, 'spec.json'), 'utf8')).argv;
      expect(argv(direct.id)).toEqual(['show', 'a', 'b']);
      expect(argv(viaBash.id)).toEqual(['bash', '-c', 'show "a" b', 'panecrew-task']);
      const seen = (id: string): string => readFileSync(join(tc.home, 'tasks', id, 'output.log'), 'utf8').replace(/PANECREW_TASK_ID=.*|PANECREW_(TASK_DIR|EVENTS_FILE|RESULT_FILE)=.*/g, '');
      expect(seen(direct.id)).toContain(`_=${bin}/show`);
      expect(seen(direct.id)).toBe(seen(viaBash.id));
    } finally {
      c.close();
    }
  });
});
