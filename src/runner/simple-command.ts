// A shell task whose command line is one simple command runs without the shell, as GNU make runs a
// recipe line with no shell syntax: `npm test`, `make lint`, `pytest -x tests/`. bash first costs an
// exec and ~4 ms of CPU per task; on a busy machine that is a good part of a short task's cost.
// The rule is conservative: anything bash could read differently from a plain split on blanks goes
// to bash as before, so the outcome is the same either way (the exit code, the output, what the
// program sees in argv and in its environment).
import { statSync } from 'node:fs';
import path from 'node:path';
import { readHead } from '../core/read-head.js';
import { locateExecutable } from './readiness.js';

/** Characters that bash never treats specially inside an unquoted word (shlex.quote's safe set). */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Words bash runs itself: keywords and builtins (bash 5). A command naming one goes to bash. */
const SHELL_OWN = new Set(
  (
    'if then else elif fi case esac for select while until do done in function time coproc ' +
    '. : [ alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable ' +
    'eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd ' +
    'read readarray readonly return set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait'
  ).split(' '),
);

/** Builtins whose program does exactly what the builtin does given no arguments: exit 0 or 1, print nothing. */
const SAME_AS_PROGRAM_BARE = new Set(['true', 'false']);

/** Variables through which bash itself would run code or change how it runs: with any set, bash runs the line. */
const SHELL_STARTUP = ['BASH_ENV', 'SHELLOPTS', 'BASHOPTS'];

export interface DirectCommand {
  /** The words, the first as written (argv[0]), for the runner's execvp. */
  argv: string[];
  /** What bash sets in the environment of a program it execs: PWD, SHLVL, _. */
  env: Record<string, string>;
}

/** SHLVL as bash leaves it for the program of `bash -c CMD` (up by one at start, down by one at the
 *  exec); null for a value bash would rewrite or warn about (bash runs the line). */
function shellLevel(inherited: string | undefined): string | null {
  if (inherited === undefined) return '0';
  return /^(0|[1-9][0-9]{0,2})$/.test(inherited) && Number(inherited) < 999 ? inherited : null;
}

/** bash drops an inherited OLDPWD that is not a directory: then bash runs the line. */
function oldPwdKept(oldpwd: string | undefined): boolean {
  if (oldpwd === undefined) return true;
  try {
    return statSync(oldpwd).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The command line as a direct argv when it is one simple command that `bash -c` would run by
 * exec'ing a program found where execvp finds it; null when bash must read it (any shell syntax, a
 * builtin, a keyword, an exported function of that name, a program not found: bash then says so in
 * its own words, exit 127).
 */
export function directCommand(line: string, env: Record<string, string>, cwd: string): DirectCommand | null {
  const words = line.split(/[ \t]+/).filter(Boolean);
  const [name] = words;
  if (name === undefined || !words.every((w) => PLAIN_WORD.test(w)) || name.includes('=')) return null;
  if (SHELL_OWN.has(name) && !(SAME_AS_PROGRAM_BARE.has(name) && words.length === 1)) return null;
  if (SHELL_STARTUP.some((v) => env[v]) || env[`BASH_FUNC_${name}%%`] !== undefined) return null;
  const level = shellLevel(env.SHLVL);
  if (level === null || !oldPwdKept(env.OLDPWD)) return null;
  const program = locate(name, env.PATH, cwd);
  if (!program || !execsItself(program)) return null;
  // `_` is the path bash ran: as written when it has a slash, else where PATH led.
  return { argv: words, env: { PWD: logicalCwd(env.PWD, cwd), SHLVL: level, _: name.includes('/') ? name : program } };
}

/** Where execvp finds `name` from `cwd`; null also when PATH is unset or has a relative or empty
 *  entry (those depend on the cwd in ways not worth copying: bash runs the line). */
function locate(name: string, PATH: string | undefined, cwd: string): string | null {
  if (name.includes('/')) return locateExecutable(path.resolve(cwd, name), undefined);
  if (!PATH || PATH.split(':').some((dir) => !dir.startsWith('/'))) return null;
  return locateExecutable(name, PATH);
}

/** The kernel reads this much of a file to choose how to run it (BINPRM_BUF_SIZE). */
const EXEC_HEAD = 256;

/** A binary, or a `#!` script whose interpreter is there: the kernel runs it. Any other file bash
 *  would run as a bash script where execvp would give it to /bin/sh, and a missing interpreter
 *  bash reports in its own words: bash runs the line. */
function execsItself(file: string): boolean {
  const text = readHead(file, EXEC_HEAD).head.toString('latin1');
  if (text.startsWith('\x7fELF')) return true;
  const interpreter = /^#![ \t]*(\/[^ \t\n]+)/.exec(text)?.[1];
  return interpreter !== undefined && locateExecutable(interpreter, undefined) !== null;
}

/** bash keeps an inherited PWD that names the cwd (a path through a symlink stays as the person
 *  typed it), and otherwise sets it to the cwd. */
function logicalCwd(inherited: string | undefined, cwd: string): string {
  if (!inherited || !inherited.startsWith('/')) return cwd;
  if (inherited === cwd) return cwd;
  try {
    const a = statSync(inherited);
    const b = statSync(cwd);
    return a.dev === b.dev && a.ino === b.ino ? inherited : cwd;
  } catch {
    return cwd;
  }
}
