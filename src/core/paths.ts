// XDG locations and the layout of PANECREW_HOME.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI's entry point (the controller and agents' `{panecrew}` run it). Here, not in runner/prepare.ts,
 * so that a client verb finds it without loading the runner's modules. */
export const CLI_ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

export function xdgConfigHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
}

export function xdgStateHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
}

export function panecrewHome(env: NodeJS.ProcessEnv): string {
  return env.PANECREW_HOME || join(xdgStateHome(env), 'panecrew');
}

export interface HomePaths {
  home: string;
  socket: string;
  pid: string;
  log: string;
  journal: string;
  snapshot: string;
  tasks: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    socket: join(home, 'controller.sock'),
    pid: join(home, 'controller.pid'),
    log: join(home, 'controller.log'),
    journal: join(home, 'journal.jsonl'),
    snapshot: join(home, 'snapshot.json'),
    tasks: join(home, 'tasks'),
  };
}

/** Files of one task's folder. */
/** Where an interactive agent's hooks append their signals, in its task folder. */
export const SIGNALS_FILE = 'signals.jsonl';
/** What the runner runs: cwd, output cap, argv, environment (runner/run-file.ts). */
export const RUN_FILE = 'run.nul';

export function taskPaths(tasksDir: string, id: string) {
  const dir = join(tasksDir, id);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    run: join(dir, RUN_FILE),
    prompt: join(dir, 'prompt.md'),
    output: join(dir, 'output.log'),
    events: join(dir, 'events.jsonl'),
    signals: join(dir, SIGNALS_FILE),
    turns: join(dir, 'turns'),
    exit: join(dir, 'exit.json'),
    result: join(dir, 'result.md'),
  };
}
export type TaskPaths = ReturnType<typeof taskPaths>;
