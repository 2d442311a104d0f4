// A duration in config and request files (see duration.ts), checked by zod: apart from duration.ts,
// which the CLI's output uses without loading zod.
import { z } from 'zod';
import { parseDuration } from './duration.js';

export const DurationSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 500ms, 30s, 5m or a number of milliseconds, found ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});
