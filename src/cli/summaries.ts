// Each verb's one-line summary, in the order `panecrew --help` lists them. They live here, not in
// the verbs' modules, so `panecrew --help` lists every verb without loading any (each module pulls
// in the client, zod and more); each verb's --help reads its own line from here too.
export const SUMMARY = {
  launch: 'Queue a background task and print its id.',
  plan: 'Run a plan file (a graph of tasks in phases) and show, wait for, cancel or retry it.',
  ls: 'List tasks: what runs, what waits and why, what ended in the last hour.',
  status: "Show one task's state, progress and result preview.",
  output: "Print a task's output (output.log); with --follow, keep printing until it ends.",
  wait: 'Wait until tasks end. Driven by the controller\'s events: no polling.',
  diff: "Show what a worktree task changed against its base (committed and uncommitted); --stat for a summary.",
  merge: "Merge a worktree task's branch into the main checkout's current branch (--squash, --rebase); all or nothing.",
  worktree: "Task worktrees: 'worktree ls', 'worktree rm ID', 'worktree prune'; unmerged work is kept unless --force.",
  cancel: "Cancel tasks: pending ones leave the queue, running ones have their process tree killed.",
  relaunch: 'Launch a finished task again with the same prompt, agent, model and environment.',
  send: 'Give an interactive agent a follow-up: typed into its input, confirmed by the agent.',
  resume: "Reopen a closed interactive agent in its own conversation (claude --resume, …) with a follow-up.",
  close: 'Close an interactive agent left open after its turn (the task keeps its result).',
  focus: "Select the task's tmux pane, bringing it in from the overflow window if needed.",
  attach: "Attach this terminal to panecrew's tmux session (where tasks launched outside tmux run).",
  dashboard: 'Open the live dashboard: every task, the queue and why it waits; focus, cancel, relaunch.',
  'tmux-bind': 'Print (or --write to ~/.tmux.conf) a tmux key binding that opens the dashboard in a popup.',
  prune: 'Forget finished tasks older than the retention (background_task.retentionMs) and delete their folders.',
  agents: 'List agent profiles (and whether each CLI is installed), categories and subagent types.',
  agent: "Run panecrew's built-in agent (read-only tools on @anthropic-ai/sdk) in the foreground.",
  mcp: 'Serve the MCP tools task, background_output, background_cancel, background_list on stdio.',
  integrate: 'Print (or --write) the MCP setup for Claude Code or OpenCode.',
  hook: "Agent hooks: 'hook claude-code' prints notices of ended, unread background tasks.",
  notify: 'Send a test notification through every enabled channel and say what happened.',
  doctor: 'Check what panecrew needs: config, tmux, notifications, agent CLIs, the controller.',
  controller: 'Start, stop or inspect the per-user controller (one per PANECREW_HOME).',
  config: 'Check a config file, or show the merged configuration and where each value came from.',
  trust: "Trust a project folder's .panecrew.yaml to choose what runs (its agents, default agent); --list shows them.",
  untrust: "Forget a project folder's trust: its .panecrew.yaml may again set only harmless launch defaults.",
  demo: 'A live demo in a tmux session of its own: agents explore this repository beside a task list.',
};

export type VerbName = keyof typeof SUMMARY;
