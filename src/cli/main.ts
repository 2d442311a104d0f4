#!/usr/bin/env node
// panecrew: the command line. Parsing and printing only; every verb is a controller request.
// Each verb is imported only when it runs: `launch` must not pay for blessed or the MCP SDK.
import { createContext, EXIT, runVerb, type Verb } from './command.js';
import { suggest } from '../core/suggest.js';

/** Verbs in the order `panecrew --help` lists them. */
const VERBS: Record<string, () => Promise<{ default: Verb }>> = {
  launch: () => import('./verbs/launch.js'),
  ls: () => import('./verbs/ls.js'),
  status: () => import('./verbs/status.js'),
  output: () => import('./verbs/output.js'),
  wait: () => import('./verbs/wait.js'),
  cancel: () => import('./verbs/cancel.js'),
  relaunch: () => import('./verbs/relaunch.js'),
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
  demo: () => import('./verbs/demo.js'),
};

async function usage(): Promise<string> {
  const verbs = await Promise.all(Object.values(VERBS).map(async (load) => (await load()).default));
  const width = Math.max(...verbs.map((v) => v.name.length));
  return `panecrew: run AI coding agents in the background, each in its own tmux pane.

usage: panecrew VERB [options]      (panecrew VERB --help for each verb)

${verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join('\n')}

Environment: PANECREW_HOME (state, default $XDG_STATE_HOME/panecrew), PANECREW_CONFIG, NO_COLOR.`;
}

async function main(argv: string[]): Promise<number> {
  const ctx = createContext(process.env, process.cwd());
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(await usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'agent' && !rest.includes('--help')) {
    const { runBuiltinAgent } = await import('./verbs/agent.js');
    return runBuiltinAgent(rest);
  }
  const load = VERBS[name];
  if (!load) {
    const hint = suggest(name, Object.keys(VERBS));
    ctx.err(`panecrew: unknown verb "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; see: panecrew --help`);
    return EXIT.usage;
  }
  return runVerb((await load()).default, rest, ctx);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`panecrew: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
