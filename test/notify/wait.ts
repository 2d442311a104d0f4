import { until } from '../support/until.js';

export function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  return until(check, what, timeoutMs);
}
