import { runDemo } from '../../demo/run.js';
import { defineVerb, UsageError } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'demo',
  summary: SUMMARY.demo,
  usage: 'demo [--plan] [--no-attach] [--keep] [--socket NAME]',
  help: `
Starts a throw-away controller (its own PANECREW_HOME), a local Messages API server (no API key
needed; with ANTHROPIC_API_KEY set the explorers use the real API instead), and a tmux session
"panecrew-demo" on a tmux server of its own (tmux -L panecrew-demo), so your tmux is never touched.
Its main pane shows a live task list; from that pane's identity the demo launches explorers of
src/controller, src/tmux and src/runner on the built-in agent, two shell tasks that report
progress, and a shell task that waits for an explorer and reads its result. Their panes open
beside the list.

On a terminal it attaches you to the session; detach (Ctrl-b d) to end the demo. Inside tmux
(which does not nest) it prints how to watch from another terminal, waits for every task, prints
the final list and the first line of each result, then keeps the session until you press Enter.
With --no-attach, or without a terminal, it exits once the tasks end. Exit codes: 0 all completed,
1 any did not, 124 they did not end in time, 130 interrupted.

Options:
  --plan            run a plan instead (examples/demo.plan.yaml: three explorers and a shell task,
                    then a synthesis reading their results); the list groups it by phase
  --no-attach       do not attach; wait for the tasks and print the outcome
  --keep            leave the session, controller and local server running at the end
  --socket NAME     tmux -L name of the demo's server (default panecrew-demo)`,
  options: { plan: { type: 'boolean' }, 'no-attach': { type: 'boolean' }, keep: { type: 'boolean' }, socket: { type: 'string' } },
  async run({ values }, ctx) {
    const socketName = (values.socket as string | undefined) ?? 'panecrew-demo';
    if (!/^[A-Za-z0-9._-]+$/.test(socketName)) throw new UsageError(`--socket ${socketName}: letters, digits, ".", "_" and "-" only`);
    return runDemo({
      attach: !values['no-attach'],
      keep: Boolean(values.keep),
      socketName,
      env: ctx.env,
      out: ctx.out,
      err: ctx.err,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      plan: Boolean(values.plan),
    });
  },
});
