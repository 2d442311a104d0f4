export interface RetryOptions {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  factor: number;
}

/** Delay before attempt `next` (2, 3, …): backoff × factor^(next-2), capped, with ±10% jitter so retries spread out. */
export function backoffDelay(next: number, retry: RetryOptions, random = Math.random): number {
  const base = Math.min(retry.maxBackoffMs, retry.backoffMs * retry.factor ** Math.max(0, next - 2));
  return Math.round(base * (0.9 + 0.2 * random()));
}
