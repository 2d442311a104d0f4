// What one client may hold of the controller: connections, bytes buffered, time. Each bound is the
// answer to a way a careless or hostile client could exhaust the controller for everyone else.
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import type { SocketOptions } from '../config/schema.js';

export interface SocketLimits {
  /** Connections open at once; the one over it gets an error reply and is closed (socket.max_connections). */
  maxConnections: number;
  /** A connection that is not subscribed and has had nothing to do for this long is closed
   *  (socket.idle_timeout_ms). */
  idleMs: number;
  /** A request must arrive whole within this time of its first byte: slowloris (socket.request_timeout_ms). */
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

/** The limits that are not configurable; the others come from config `socket` (socketLimitsOf). */
const FIXED_SOCKET_LIMITS: Omit<SocketLimits, 'maxConnections' | 'idleMs' | 'frameMs'> = {
  framesBudgetBytes: 32 * 1024 * 1024,
  replyBacklogBytes: 1024 * 1024,
  maxInFlight: 4,
};

/** Frames up to this size are never refused for the budget, so ordinary requests always get through. */
export const SMALL_FRAME_BYTES = 64 * 1024;

/** The configured limits (config `socket`) and the rest of the limits, which are fixed. */
function socketLimitsOf(options: SocketOptions): SocketLimits {
  return { ...FIXED_SOCKET_LIMITS, maxConnections: options.max_connections, idleMs: options.idle_timeout_ms, frameMs: options.request_timeout_ms };
}

/** Environment variables that override the configured limits (tests set limits no config allows). */
const ENV: Array<[keyof SocketLimits, string, keyof SocketOptions]> = [
  ['maxConnections', 'PANECREW_SOCKET_MAX_CONNECTIONS', 'max_connections'],
  ['idleMs', 'PANECREW_SOCKET_IDLE_MS', 'idle_timeout_ms'],
  ['frameMs', 'PANECREW_SOCKET_FRAME_MS', 'request_timeout_ms'],
];
const PositiveInt = z.coerce.number().int().positive();

/** The configured limits, with the ones set in the environment (PANECREW_SOCKET_*) applied over them. */
export function socketLimits(options: SocketOptions, env: NodeJS.ProcessEnv): SocketLimits {
  const limits = socketLimitsOf(options);
  for (const [field, name, option] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = PositiveInt.safeParse(raw);
    if (!parsed.success) throw new ConfigError([`${name} must be a positive whole number, got "${raw}"; unset it to use socket.${option} from the configuration (${options[option]})`]);
    limits[field] = parsed.data;
  }
  return limits;
}
