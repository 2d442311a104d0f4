// What every part of the pane manager works with: the tmux server, the options and the log.
import type { TmuxClient } from './client.js';
import type { PlanOptions } from './layout-plan.js';
import type { TmuxOptions } from './options.js';

/** An agent pane that moved after it opened: out to the overflow window (resize, focus) or back in. */
export interface PlacementChange {
  paneId: string;
  taskId: string;
  placement: 'pane' | 'overflow';
  windowId: string;
  /** Why it went to the overflow window. */
  reason?: string;
}

export interface PaneContext {
  readonly client: TmuxClient;
  readonly options: TmuxOptions;
  log(msg: string): void;
  /** The planner's options, with the layout file loaded (once). */
  planOptions(): Promise<PlanOptions>;
  /** Tells the manager's listeners (see PaneManager.onPlacement). */
  placed(change: PlacementChange): void;
}
