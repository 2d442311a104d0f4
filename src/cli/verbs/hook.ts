import { uncollectedNotices } from '../../mcp/hook.js';
import { defineVerb, EXIT } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'hook',
  summary: SUMMARY.hook,
  usage: 'hook claude-code',
  help: `
claude-code   For a Claude Code UserPromptSubmit hook added by hand (panecrew integrate claude-code
              installs the rewake waiter instead, which tells endings without a prompt).
              Prints one "🔔 Background task ID completed: <first line>" per task launched from this
              pane ($TMUX_PANE, or headless outside tmux) that ended and was not yet read, and marks it read.
              Never starts the controller; prints nothing and exits 0 when none runs.`,
  options: {},
  allowPositionals: true,
  async run({ positionals }, ctx) {
    // Exit 2 from a UserPromptSubmit hook blocks the prompt in Claude Code: a misconfigured hook says so and exits 1.
    if (positionals.length !== 1 || positionals[0] !== 'claude-code') {
      ctx.err('panecrew hook: the only hook is: hook claude-code');
      return EXIT.failed;
    }
    const notices = await uncollectedNotices(ctx.env);
    if (notices.length) ctx.out(notices.join('\n'));
    return EXIT.ok;
  },
});
