import { runAgent, USAGE } from '../../agent/index.js';
import { defineVerb } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** The built-in agent parses its own flags: this verb hands it the rest of the command line. */
export default defineVerb({
  name: 'agent',
  summary: SUMMARY.agent,
  usage: 'agent --prompt TEXT | --prompt-file F [options]',
  help: USAGE,
  options: {},
  async run() {
    throw new Error('unreachable: agent is dispatched directly');
  },
});

export async function runBuiltinAgent(argv: string[]): Promise<never> {
  // The SDK's keep-alive sockets can hold the process open after the answer: exit explicitly.
  process.exit(await runAgent(argv, process.env));
}
