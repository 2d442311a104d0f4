// The error of a tmux call, whether a spawned client or the control connection ran it.

export class TmuxError extends Error {
  readonly args: readonly string[];
  readonly stderr: string;
  readonly exitCode: number | undefined;
  /** Set when the call was stopped at its deadline (command_timeout_ms) instead of failing. */
  readonly timedOutMs: number | undefined;

  constructor(args: readonly string[], stderr: string, exitCode: number | undefined, timedOutMs?: number) {
    super(
      timedOutMs !== undefined
        ? `tmux ${args.join(' ')} timed out after ${timedOutMs}ms: the tmux server did not answer (stopped or hung?); raise tmux.command_timeout_ms if it is only slow`
        : `tmux ${args.join(' ')} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no error output'}`,
    );
    this.name = 'TmuxError';
    this.args = args;
    this.stderr = stderr;
    this.exitCode = exitCode;
    this.timedOutMs = timedOutMs;
  }

  get isTimeout(): boolean {
    return this.timedOutMs !== undefined;
  }

  /** tmux could not split because the target pane (or window) is too small. */
  get isNoSpace(): boolean {
    return /no space for new pane|pane too small|size too small/i.test(this.stderr);
  }

  /** The target (pane, window or session) does not exist (any more). */
  get isMissingTarget(): boolean {
    return /can't find|no such (pane|window|session)|session not found|window not found|pane not found/i.test(this.stderr);
  }

  /** No server is listening on the socket. */
  get isNoServer(): boolean {
    return /no server running|error connecting to|failed to connect/i.test(this.stderr);
  }
}
