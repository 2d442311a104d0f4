// Which built-in profiles this repository runs for real (the real CLI, offline against the local
// model servers, through the real controller), and where: `panecrew agents` shows it, so nobody
// mistakes an untested command line for a checked one. A profile a user overrides is theirs.
export const REAL_RUN_TESTS: Readonly<Record<string, string>> = Object.freeze({
  claude: 'test/agents/real-clis.test.ts',
  opencode: 'test/agents/real-clis.test.ts, test/agents/opencode-live.test.ts',
  codex: 'test/agents/vendor-clis.test.ts, test/agents/codex-live.test.ts',
  gemini: 'test/agents/vendor-clis.test.ts, test/agents/gemini-live.test.ts',
  builtin: 'test/agent/agent.test.ts',
  shell: 'test/engine/launch-defaults.test.ts',
});
