// Duration options on the command line (--timeout, --older-than). Apart from command.ts because the
// duration parser's module loads zod, which `panecrew --help` should not pay for.
import { parseCliDuration } from '../core/duration.js';
import { UsageError } from './command.js';

/** The value of a duration option in milliseconds: a bare number is seconds; a bad value is a usage error. */
export function durationOption(flag: string, value: string, opts: { allowZero?: boolean } = {}): number {
  const ms = parseCliDuration(value);
  if (ms === null || (ms === 0 && !opts.allowZero)) {
    throw new UsageError(`${flag} ${value}: expected a duration such as 90s, 5m, 2h or 250ms (a bare number is seconds)`);
  }
  return ms;
}
