#!/usr/bin/env node
// panecrew: the command line. Parsing and printing; most verbs are controller requests.
// Each verb is imported only when it runs (`launch` must not pay for blessed or the MCP SDK), and
// `panecrew --help` imports none: the summaries come from summaries.ts.
// First: `panecrew controller run` reaches the controller's modules through here; see heap-flags.ts.
import '../controller/heap-flags.js';
import { createContext, EXIT, runVerb, type Verb } from './command.js';
import { SUMMARY, type VerbName } from './summaries.js';
import { suggest } from '../core/suggest.js';
import { inert } from '../render/inert.js';

const VERBS: Record<VerbName, () => Promise<{ default: Verb }>> = {
  launch: () => import('./verbs/launch.js'),
  plan: () => import('./verbs/plan.js'),
  ls: () => import('./verbs/ls.js'),
  status: () => import('./verbs/status.js'),
  output: () => import('./verbs/output.js'),
  wait: () => import('./verbs/wait.js'),
  cancel: () => import('./verbs/cancel.js'),
  diff: () => import('./verbs/diff.js'),
  merge: () => import('./verbs/merge.js'),
  worktree: () => import('./verbs/worktree.js'),
  relaunch: () => import('./verbs/relaunch.js'),
  send: () => import('./verbs/send.js'),
  close: () => import('./verbs/close.js'),
  resume: () => import('./verbs/resume.js'),
  focus: () => import('./verbs/focus.js'),
  attach: () => import('./verbs/attach.js'),
  dashboard: () => import('./verbs/dashboard.js'),
  'tmux-bind': () => import('./verbs/tmux-bind.js'),
  prune: () => import('./verbs/prune.js'),
  agents: () => import('./verbs/agents.js'),
  agent: () => import('./verbs/agent.js'),
  mcp: () => import('./verbs/mcp.js'),
  integrate: () => import('./verbs/integrate.js'),
  hook: () => import('./verbs/hook.js'),
  notify: () => import('./verbs/notify.js'),
  doctor: () => import('./verbs/doctor.js'),
  controller: () => import('./verbs/controller.js'),
  config: () => import('./verbs/config.js'),
  trust: () => import('./verbs/trust.js'),
  untrust: () => import('./verbs/untrust.js'),
  demo: () => import('./verbs/demo.js'),
};

function usage(): string {
  const width = Math.max(...Object.keys(SUMMARY).map((n) => n.length));
  return `panecrew: run AI coding agents in the background, each in its own tmux pane.

usage: panecrew VERB [options]      (panecrew VERB --help for each verb)

${Object.entries(SUMMARY).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`).join('\n')}

Environment: PANECREW_HOME (state, default $XDG_STATE_HOME/panecrew), PANECREW_CONFIG, NO_COLOR.
Exit codes: 0 ok, 1 a task or check failed, 2 bad arguments or config, 3 controller unreachable
or refused, 4 no such task, 124 timeout (the README has the whole table).`;
}

const isVerb = (name: string): name is VerbName => Object.hasOwn(VERBS, name);

async function main(argv: string[]): Promise<number> {
  const ctx = createContext(process.env, process.cwd());
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'agent' && !rest.includes('--help')) {
    const { runBuiltinAgent } = await import('./verbs/agent.js');
    return runBuiltinAgent(rest);
  }
  if (!isVerb(name)) {
    const hint = suggest(name, Object.keys(VERBS));
    ctx.err(`panecrew: unknown verb "${inert(name)}"${hint ? ` (did you mean "${hint}"?)` : ''}; see: panecrew --help`);
    return EXIT.usage;
  }
  return runVerb((await VERBS[name]()).default, rest, ctx);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`panecrew: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT.internal;
  },
);
