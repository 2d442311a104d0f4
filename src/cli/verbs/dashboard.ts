import { runDashboard } from '../../dashboard/app.js';
import { defineVerb, EXIT } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'dashboard',
  summary: SUMMARY.dashboard,
  usage: 'dashboard [--exit-on-focus]',
  help: `
Keys: ↑ ↓ or j k move, Enter focuses the task's tmux pane, o shows its whole output, c cancels
(asks first), r relaunches an ended task, / filters, a shows or hides finished tasks, ? help, q quits.

The dashboard is a client of the controller: quitting it, or it crashing, leaves every task running.
When the controller goes away it says so and reconnects. NO_COLOR turns colours off.

Options:
  --exit-on-focus   quit after Enter focused a pane (used by the tmux popup of: panecrew tmux-bind)`,
  options: { 'exit-on-focus': { type: 'boolean' } },
  async run({ values }, ctx) {
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      ctx.err('panecrew dashboard: needs a terminal; for scripts use: panecrew ls --json');
      return EXIT.usage;
    }
    return runDashboard({ env: ctx.env, color: ctx.color, exitOnFocus: Boolean(values['exit-on-focus']) });
  },
});
