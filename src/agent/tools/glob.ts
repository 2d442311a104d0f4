import { z } from 'zod';
import { makeMatcher } from './glob-match.js';
import type { AgentTool } from './types.js';
import { walkFiles } from './walk.js';

const MAX_RESULTS = 500;

const Input = z.object({ pattern: z.string().min(1), path: z.string().optional() });
type Input = z.infer<typeof Input>;

export const globTool: AgentTool<Input> = {
  name: 'glob',
  description:
    'Find files by glob pattern, relative to the working directory (or to `path`): `**` spans folders, ' +
    '`*` and `?` stay within one, `{a,b}` alternatives. Example: "src/**/*.ts". node_modules and .git are skipped. ' +
    `Returns at most ${MAX_RESULTS} paths, relative to the working directory.`,
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'Glob pattern, e.g. "src/**/*.ts"' },
      path: { type: 'string', description: 'Folder to search from (default ".")' },
    },
    required: ['pattern'],
  },
  parse: Input,
  step: (i) => `Find ${i.pattern}${i.path ? ` in ${i.path}` : ''}`,
  describe: (i) => `glob ${i.pattern}${i.path ? ` in ${i.path}` : ''}`,
  async run(i, { confine }) {
    const base = confine.resolve(i.path ?? '.');
    const match = makeMatcher(i.pattern);
    const prefix = base.rel === '.' ? '' : `${base.rel}/`;
    const found: string[] = [];
    let more = false;
    for await (const f of walkFiles(confine, base.abs)) {
      if (!match(f.rel.slice(prefix.length))) continue;
      if (found.length >= MAX_RESULTS) {
        more = true;
        break;
      }
      found.push(f.rel);
    }
    if (found.length === 0) return `[no files match ${i.pattern}]`;
    return more ? `${found.join('\n')}\n[truncated: more than ${MAX_RESULTS} matches; narrow the pattern]` : found.join('\n');
  },
};
