// What the notifier hands to channels, and what channels report back.
import type { Task } from '../core/task.js';
import type { URGENCIES } from './options.js';

export type Urgency = (typeof URGENCIES)[number];

export interface Notification {
  title: string;
  body: string;
  urgency: Urgency;
  /** The tasks this notification is about; empty for a test or an "all done" notice alone. */
  tasks: Task[];
  /** tmux server socket path of the launching pane, when known. */
  tmuxSocket?: string;
  /** The launching pane, e.g. %3; channels that talk to a pane skip notifications without one. */
  tmuxPane?: string;
}

export const CHANNEL_NAMES = ['desktop', 'tmux', 'bell', 'command'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface Channel {
  readonly name: ChannelName;
  /** Rejects with an error meant for a person when the notification could not be delivered. */
  send(n: Notification): Promise<void>;
  /** Why this notification does not apply to the channel (e.g. no launching pane), or null. */
  skipReason?(n: Notification): string | null;
  /** A cheap synchronous check for `panecrew doctor` before anything was sent: null when fine. */
  probe?(): string | null;
  /** Upper bound for one send; the notifier gives up waiting after it. */
  readonly timeoutMs: number;
}

/** One channel's outcome of `Notifier.test()`. */
export interface ChannelReport {
  channel: ChannelName;
  outcome: 'sent' | 'failed' | 'skipped' | 'disabled';
  ok: boolean;
  detail: string;
  ms: number;
}

/** One channel's state for `panecrew doctor`. */
export interface ChannelHealth {
  channel: ChannelName;
  enabled: boolean;
  ok: boolean;
  detail: string;
}
