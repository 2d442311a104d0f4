// What every part of the pane manager works with: the tmux server, the options and the log.
import type { TmuxClient } from './client.js';
import type { PlanOptions } from './layout-plan.js';
import type { TmuxOptions } from './options.js';

export interface PaneContext {
  readonly client: TmuxClient;
  readonly options: TmuxOptions;
  log(msg: string): void;
  /** The planner's options, with the layout file loaded (once). */
  planOptions(): Promise<PlanOptions>;
}
