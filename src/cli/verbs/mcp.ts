import { defineVerb, EXIT } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'mcp',
  summary: SUMMARY.mcp,
  usage: 'mcp [--no-autostart]',
  help: `
Run by an MCP client (Claude Code, OpenCode, ...), not by hand: it speaks JSON-RPC on stdin/stdout.
Tasks open in tmux panes beside the pane the client runs in ($TMUX_PANE), in this directory by default.
Set it up with: panecrew integrate claude-code | opencode

Options:
  --no-autostart   do not start the controller when none runs (tools then report it as unavailable)`,
  options: { 'no-autostart': { type: 'boolean' } },
  async run({ values }, ctx) {
    // Loaded here, not at the top: the MCP SDK would slow every other verb's start (the prompt hook's too).
    const { serveStdio } = await import('../../mcp/server.js');
    await serveStdio({ env: ctx.env, cwd: ctx.cwd, autostart: !values['no-autostart'] });
    return EXIT.ok;
  },
});
