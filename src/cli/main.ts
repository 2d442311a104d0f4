#!/usr/bin/env node
// panecrew: the command line. Parsing and printing only; every verb is a controller request.
import { createContext, EXIT, runVerb, type Verb } from './command.js';
import agent, { runBuiltinAgent } from './verbs/agent.js';
import cancel from './verbs/cancel.js';
import config from './verbs/config.js';
import controller from './verbs/controller.js';
import focus from './verbs/focus.js';
import launch from './verbs/launch.js';
import ls from './verbs/ls.js';
import output from './verbs/output.js';
import prune from './verbs/prune.js';
import relaunch from './verbs/relaunch.js';
import status from './verbs/status.js';
import wait from './verbs/wait.js';
import { suggest } from '../config/suggest.js';

const VERBS: Verb[] = [launch, ls, status, output, wait, cancel, relaunch, focus, prune, controller, config, agent];

function usage(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length));
  return `panecrew: run AI coding agents in the background, each in its own tmux pane.

usage: panecrew VERB [options]      (panecrew VERB --help for each verb)

${VERBS.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join('\n')}

Environment: PANECREW_HOME (state, default $XDG_STATE_HOME/panecrew), PANECREW_CONFIG, NO_COLOR.`;
}

async function main(argv: string[]): Promise<number> {
  const ctx = createContext(process.env, process.cwd());
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'agent' && !rest.includes('--help')) return runBuiltinAgent(rest);
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    const hint = suggest(name, VERBS.map((v) => v.name));
    ctx.err(`panecrew: unknown verb "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; see: panecrew --help`);
    return EXIT.usage;
  }
  return runVerb(verb, rest, ctx);
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
