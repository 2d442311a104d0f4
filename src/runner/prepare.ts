// Writes what the runner needs into the task folder: run.nul (cwd, output cap, argv, env), the prompt where it is read.
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskRecord as Task } from '../core/task.js';
import { CLI_ENTRY, type TaskPaths } from '../core/paths.js';
import { ensurePrivateDir, writePrivateFile } from '../core/private-dir.js';
import { argvVars, expandArgv, placeholdersIn, type ArgvVars } from './argv-template.js';
import { signalAdapter } from './signals/index.js';
import { resumeTemplate, type AgentProfile } from './profile-schema.js';
import { capField } from './output-cap.js';
import { runFileContent } from './run-file.js';
import { sandboxArgv } from './sandbox.js';
import { directCommand } from './simple-command.js';
import { DEP_RESULT_MAX_BYTES, DEP_RESULTS_TOTAL_BYTES, resultText } from './task-vars.js';
import { substituteResults, templateEnv, type Templates } from './result-templates.js';

/** The pane renderer (pane-render.ts), which the runner puts between a JSON-speaking agent and its pane. */
export const PANE_RENDERER = join(dirname(fileURLToPath(import.meta.url)), 'pane-render.js');
/** The renderer's argv in the task folder; absent: the pane shows the output as it is. */
export const PANE_RENDER_FILE = 'pane-render.nul';
/** What the renderer drew, for the ending banner (the pane is respawned; tmux/banner.ts). */
export const PANE_COPY_FILE = 'pane.log';
/** The file whose tail a finished task's pane shows again: what the renderer drew, else the output. */
export function shownOutput(taskDir: string): string {
  const copy = join(taskDir, PANE_COPY_FILE);
  return existsSync(copy) ? copy : join(taskDir, 'output.log');
}
/** The CLI entry, for the built-in agent's `{panecrew}` placeholder. */

export interface DependencyResult {
  id: string;
  title: string;
  resultFile: string;
}

export interface PrepareInput {
  task: Task;
  paths: TaskPaths;
  profile: AgentProfile;
  /** The launching client's environment, captured at launch. */
  clientEnv: Record<string, string>;
  dependencies: DependencyResult[];
  /** output.log's cap (background_task.outputLogMaxBytes); 0: none. */
  outputLogMaxBytes: number;
  /** Also prepare the agent's interactive start (tty-argv.nul), which the runner uses in a pane. */
  interactive?: boolean;
  /** Reopen this session of the agent (profile `interactive.resume`), with `text` as its prompt. */
  resume?: { sessionId: string; text: string };
}

const nul = (items: string[]): string => items.map((s) => `${s}\0`).join('');

/** The argv as run: under bubblewrap for a sandboxed task, writing only what the task owns. */
function confined({ task, paths }: Pick<PrepareInput, 'task' | 'paths'>, argv: string[]): string[] {
  if (!task.sandbox) return argv;
  const ws = task.workspace;
  const writable = ws ? [ws.path, gitDirOf(ws.repo)] : [task.cwd];
  return sandboxArgv(argv, { mode: task.sandbox, agent: task.agent, writable: [...writable, paths.dir] });
}

/** Whether anything reads tasks/<id>/prompt.md: the agent's command ({prompt_file}), or, in a pane,
 *  its TUI's start or the typing of the prompt into it. */
function readsPromptFile(profile: AgentProfile, interactive: boolean | undefined): boolean {
  if (profile.prompt_via === 'file') return true;
  return !!interactive && !!profile.interactive && (profile.interactive.prompt === 'paste' || placeholdersIn(resumeTemplate(profile.interactive)).has('prompt_file'));
}

/** The main checkout's git folder (a worktree's commits are written there). */
const gitDirOf = (repo: string): string => join(repo, '.git');

/** Writes the interactive start (tty-argv.nul, and the files its signal wiring needs), or removes
 *  one an earlier attempt left; returns the environment the wiring adds. */
/** `name` (a path in the task folder) with its folders made, private like the task folder. */
function inTaskDir(dir: string, name: string): string {
  const file = join(dir, name);
  if (dirname(file) !== dir) ensurePrivateDir(dirname(file), false);
  return file;
}

function prepareInteractive({ task, paths, profile, clientEnv, interactive, resume }: PrepareInput, vars: ArgvVars): Record<string, string> {
  const ttyArgv = join(paths.dir, 'tty-argv.nul');
  rmSync(ttyArgv, { force: true });
  if (!interactive || !profile.interactive) return {};
  const wiring = signalAdapter(profile.interactive.signals).wire(paths.dir, paths.signals, { ...clientEnv, ...(profile.env ?? {}) });
  for (const [name, content] of Object.entries(wiring.files)) writePrivateFile(inTaskDir(paths.dir, name), content);
  for (const [name, target] of Object.entries(wiring.links ?? {})) {
    const link = inTaskDir(paths.dir, name);
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
  const argv = resume ? expandArgv(resumeTemplate(profile.interactive), { ...vars, session_id: resume.sessionId }) : expandArgv(profile.interactive.command, vars);
  writePrivateFile(ttyArgv, nul(confined({ task, paths }, [...argv, ...wiring.argv])));
  return wiring.env;
}

function templatesOf(refs: Record<string, string[]>, paths: TaskPaths, dependencies: DependencyResult[]): Templates {
  return { refs, resultFileOf: (id) => dependencies.find((d) => d.id === id)?.resultFile ?? join(dirname(paths.dir), id, 'result.md') };
}

/** In a pane, JSON output is rendered for a person (pane-render.ts); plain output (and the built-in
 *  agent's, whose events go to events.jsonl, its output being its own transcript) is shown as it is. */
function preparePaneRender({ task, paths, profile, clientEnv }: PrepareInput): void {
  const file = join(paths.dir, PANE_RENDER_FILE);
  rmSync(join(paths.dir, PANE_COPY_FILE), { force: true });
  if (profile.output === 'plain' || profile.events_from === 'events-file') return rmSync(file, { force: true });
  writePrivateFile(file, nul([process.execPath, PANE_RENDERER, profile.output, task.cwd, join(paths.dir, PANE_COPY_FILE), ...(clientEnv.NO_COLOR !== undefined ? ['--no-color'] : [])]));
}

export function taskEnv({ task, paths, profile, clientEnv, dependencies }: Pick<PrepareInput, 'task' | 'paths' | 'profile' | 'clientEnv' | 'dependencies'>): Record<string, string> {
  const env: Record<string, string> = { ...clientEnv, ...(profile.env ?? {}) };
  env.PANECREW_TASK_ID = task.id;
  env.PANECREW_TASK_DIR = paths.dir;
  env.PANECREW_EVENTS_FILE = paths.events;
  env.PANECREW_RESULT_FILE = paths.result;
  if (task.model) env.PANECREW_MODEL = task.model;
  if (task.plan) {
    env.PANECREW_PLAN_ID = task.plan.id;
    env.PANECREW_PLAN_DIR = task.plan.artifacts;
    if (profile.provider === 'local') Object.assign(env, templateEnv(task.prompt, templatesOf(task.plan.refs, paths, dependencies)));
  }
  if (!dependencies.length) return env;
  // A dependent task gets what it waited for: each result's text (bounded: see TASK_VARIABLES) and file.
  const n = dependencies.length;
  const each = Math.min(DEP_RESULT_MAX_BYTES, Math.floor(DEP_RESULTS_TOTAL_BYTES / n));
  const header = (id: string): string => `=== result of ${id} ===\n`;
  const shared = (id: string): number => Math.max(0, Math.floor(DEP_RESULT_MAX_BYTES / n) - Buffer.byteLength(header(id)) - 1);
  const line = (text: string): string => (text && !text.endsWith('\n') ? `${text}\n` : text);
  env.PANECREW_DEP_COUNT = String(n);
  dependencies.forEach((dep, i) => {
    env[`PANECREW_DEP_${i + 1}_ID`] = dep.id;
    env[`PANECREW_DEP_${i + 1}_RESULT`] = resultText(dep.resultFile, each);
    env[`PANECREW_DEP_${i + 1}_RESULT_FILE`] = dep.resultFile;
  });
  env.PANECREW_DEP_RESULTS = dependencies.map((d) => header(d.id) + line(resultText(d.resultFile, shared(d.id)))).join('');
  env.PANECREW_DEP_RESULT_FILES = dependencies.map((d) => d.resultFile).join('\n');
  return env;
}

/**
 * Prepares the task folder; throws (with a message for the person) when the argv cannot be built, or
 * when the folder (or the tasks folder) could be written by another user. Every file is created new,
 * 0600: the client's environment may hold secrets, and a symlink left in a file's place is replaced,
 * not written through.
 */
export function prepareTaskFolder(input: PrepareInput): string[] {
  const { task, paths, profile, dependencies } = input;
  ensurePrivateDir(dirname(paths.dir), false);
  ensurePrivateDir(paths.dir, false);
  let prompt = input.resume?.text ?? task.prompt;
  if (task.plan && !input.resume) prompt = substituteResults(prompt, templatesOf(task.plan.refs, paths, dependencies), profile.provider === 'local');
  // Model agents are told in words where the results are; a command (provider local) gets only the
  // variables, since its prompt is a program that must stay as written.
  if (dependencies.length && profile.provider !== 'local') {
    prompt += `\n\nResults of the tasks this one waited for:\n${dependencies.map((d) => `- ${d.id} (${d.title}): ${d.resultFile}`).join('\n')}\n`;
  }
  // The prompt's file only where something reads it: the agent ({prompt_file}) or the pane, which
  // types it into the agent's TUI. A file is a create, and creates are most of a start's cost.
  if (readsPromptFile(profile, input.interactive)) writePrivateFile(paths.prompt, prompt);
  if (profile.prompt_via === 'stdin') writePrivateFile(join(paths.dir, 'stdin'), prompt);
  const vars = argvVars({ prompt, promptFile: paths.prompt, model: task.model, provider: task.provider, cwd: task.cwd, taskId: task.id, taskDir: paths.dir, panecrew: CLI_ENTRY });
  const env = { ...taskEnv(input), ...prepareInteractive(input, vars) };
  // Not in a sandbox: there the program is looked up inside it, where bash's lookup is the one to keep.
  const direct = profile.direct_exec && !task.sandbox ? directCommand(prompt, env, task.cwd) : null;
  const argv = confined(input, direct?.argv ?? expandArgv(profile.command, vars));
  // The client's environment may hold secrets: never in the journal.
  writePrivateFile(paths.run, runFileContent({ cwd: task.cwd, cap: capField(input.outputLogMaxBytes), argv, env: { ...env, ...direct?.env } }));
  preparePaneRender(input);
  writePrivateFile(paths.spec, JSON.stringify({ ...task, argv }, null, 2));
  return argv;
}
