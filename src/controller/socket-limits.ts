// What one client may hold of the controller: connections, bytes buffered, time. Each bound is the
// answer to a way a careless or hostile client could exhaust the controller for everyone else.
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';

export interface SocketLimits {
  /** Connections open at once; the one over it gets an error reply and is closed. */
  maxConnections: number;
  /** A connection that is not subscribed and has had nothing to do for this long is closed. */
  idleMs: number;
  /** A request must arrive whole within this time of its first byte (slowloris). */
  frameMs: number;
  /** Bytes of unfinished requests held across all connections; a large frame over it is refused. */
  framesBudgetBytes: number;
  /** Unread reply bytes at which a connection's next request waits (and its socket is not read). */
  replyBacklogBytes: number;
  /**
   * Requests of one connection being answered at once; replies still go out in request order. Small,
   * because an answer is held until it is written and one `output` answer can be 16 MB.
   */
  maxInFlight: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxConnections: 256,
  idleMs: 10 * 60_000,
  frameMs: 30_000,
  framesBudgetBytes: 32 * 1024 * 1024,
  replyBacklogBytes: 1024 * 1024,
  maxInFlight: 4,
};

/** Frames up to this size are never refused for the budget, so ordinary requests always get through. */
export const SMALL_FRAME_BYTES = 64 * 1024;

const ENV: Array<[keyof SocketLimits, string]> = [
  ['maxConnections', 'PANECREW_SOCKET_MAX_CONNECTIONS'],
  ['idleMs', 'PANECREW_SOCKET_IDLE_MS'],
  ['frameMs', 'PANECREW_SOCKET_FRAME_MS'],
];
const PositiveInt = z.coerce.number().int().positive();

/** The defaults, with the ones set in the environment (PANECREW_SOCKET_*) applied. */
export function socketLimitsFromEnv(env: NodeJS.ProcessEnv): SocketLimits {
  const limits = { ...DEFAULT_SOCKET_LIMITS };
  for (const [field, name] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = PositiveInt.safeParse(raw);
    if (!parsed.success) throw new ConfigError([`${name} must be a positive whole number, got "${raw}"; unset it to use ${DEFAULT_SOCKET_LIMITS[field]}`]);
    limits[field] = parsed.data;
  }
  return limits;
}
