// When an attempt prepares: the task's worktree made (or found again, for a retry), its files copied
// or linked from the main checkout, its setup command run in it. Failures say what and why.
import { appendFileSync, cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Workspace } from '../core/task.js';
import { baseRef, commitPending } from './changes.js';
import { git, gitOk } from './git.js';

/** Setup output kept for the person in the error, at most this much of its end. */
const SETUP_TAIL_BYTES = 4096;

/** The commit to start from: the base as planned, or the branch of the task this one waited for,
 *  its uncommitted work committed first so that none of it is left behind. */
async function startingCommit(ws: Workspace): Promise<string> {
  if (ws.baseCommit) return ws.baseCommit;
  // Worktrees of one repository share a folder: the dependency's is beside this one.
  const from = ws.fromTask && join(dirname(ws.path), ws.fromTask);
  if (from && existsSync(from)) await commitPending(from, `panecrew: uncommitted work of ${ws.fromTask}, taken as the base of a dependent task`);
  return git(ws.repo, ['rev-parse', '--verify', `${ws.base}^{commit}`]);
}

async function runSetup(ws: Workspace, cwd: string, env: Record<string, string>, log: string): Promise<void> {
  const [file, ...args] = ws.setup;
  appendFileSync(log, `[panecrew: setup in ${ws.path}: ${ws.setup.join(' ')}]\n`);
  // execa on first use: an idle controller never needs it (docs/benchmarks.md, footprint).
  const { execa } = await import('execa');
  const r = await execa(file!, args, { cwd, env, extendEnv: false, reject: false, all: true, stdin: 'ignore' });
  appendFileSync(log, `${r.all ?? ''}\n[panecrew: setup ended with ${r.exitCode ?? r.signal}]\n`);
  if (r.exitCode !== 0) {
    const out = Buffer.from(r.all ?? '');
    const tail = out.subarray(Math.max(0, out.length - SETUP_TAIL_BYTES)).toString('utf8');
    throw new Error(`the worktree's setup \`${ws.setup.join(' ')}\` failed (${r.exitCode != null ? `exit code ${r.exitCode}` : r.signal ?? r.shortMessage}):\n${tail}`);
  }
}

export interface EnsureInput {
  id: string;
  ws: Workspace;
  cwd: string;
  /** The task folder: setup.log (the worktree made, setup's output) and the "ready" mark go there. */
  taskDir: string;
  env: Record<string, string>;
}

/** Makes the worktree ready; a retried attempt finds it and reuses it as it is (with its work). */
export async function ensureWorktree({ id, ws, cwd, taskDir, env }: EnsureInput): Promise<void> {
  const ready = join(taskDir, 'worktree-ready');
  if (existsSync(ready) && existsSync(ws.path)) return;
  // Kept apart from output.log, whose first lines are a shell task's result.
  const log = join(taskDir, 'setup.log');
  if (!existsSync(ws.path)) {
    if (await gitOk(ws.repo, ['show-ref', '--verify', '--quiet', `refs/heads/${ws.branch}`])) {
      throw new Error(`branch ${ws.branch} was made by someone else since the launch: delete it or launch again with another --branch`);
    }
    const start = await startingCommit(ws);
    mkdirSync(dirname(ws.path), { recursive: true, mode: 0o700 });
    const t0 = Date.now();
    await git(ws.repo, ['worktree', 'add', '-b', ws.branch, ws.path, start]);
    await git(ws.repo, ['update-ref', baseRef(id), start]);
    appendFileSync(log, `[panecrew: worktree ${ws.path} on branch ${ws.branch} from ${ws.base} (${start.slice(0, 12)}) in ${Date.now() - t0} ms]\n`);
    for (const note of ws.notes) appendFileSync(log, `[panecrew: note: ${note}]\n`);
  }
  for (const rel of ws.copy) {
    const from = join(ws.repo, rel);
    if (!existsSync(from)) throw new Error(`worktree.copy: ${from} does not exist in the main checkout`);
    mkdirSync(dirname(join(ws.path, rel)), { recursive: true });
    cpSync(from, join(ws.path, rel), { recursive: true, force: true });
  }
  for (const rel of ws.link) {
    const from = join(ws.repo, rel);
    if (!existsSync(from)) throw new Error(`worktree.link: ${from} does not exist in the main checkout`);
    if (existsSync(join(ws.path, rel))) continue;
    mkdirSync(dirname(join(ws.path, rel)), { recursive: true });
    symlinkSync(from, join(ws.path, rel));
  }
  if (ws.setup.length) await runSetup(ws, cwd, env, log);
  writeFileSync(ready, `${Date.now()}\n`);
}
