import fs from 'node:fs/promises';
import { z } from 'zod';
import type { Confinement } from '../confine.js';
import { makeMatcher } from './glob-match.js';
import { compileLinear } from './linear-regex.js';
import type { AgentTool } from './types.js';
import { walkFiles } from './walk.js';

const DEFAULT_MATCHES = 100;
const MAX_MATCHES = 1000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_LINE_CHARS = 300;

const Input = z.object({
  pattern: z.string().min(1),
  path: z.string().optional(),
  glob: z.string().optional(),
  ignore_case: z.boolean().optional(),
  max_matches: z.number().int().min(1).optional(),
});
type Input = z.infer<typeof Input>;

export const grepTool: AgentTool<Input> = {
  name: 'grep',
  description:
    'Search file contents with a regular expression in RE2 syntax (as ripgrep: no backreferences or lookaround). Optional `path` (file or folder), `glob` to filter ' +
    'files (e.g. "*.ts" matches at any depth), `ignore_case`, `max_matches` (default 100). ' +
    'Each match is printed as path:line: text. Binary files, node_modules and .git are skipped.',
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'Regular expression (RE2 syntax)' },
      path: { type: 'string', description: 'File or folder to search (default ".")' },
      glob: { type: 'string', description: 'Only files matching this glob, e.g. "*.ts" or "src/**/*.ts"' },
      ignore_case: { type: 'boolean' },
      max_matches: { type: 'integer', minimum: 1, maximum: MAX_MATCHES },
    },
    required: ['pattern'],
  },
  parse: Input,
  step: (i) => `Search /${i.pattern}/${i.path ? ` in ${i.path}` : ''}${i.glob ? ` (${i.glob})` : ''}`,
  describe: (i) => `grep /${i.pattern}/${i.path ? ` ${i.path}` : ''}${i.glob ? ` (${i.glob})` : ''}`,
  async run(i, { confine }) {
    const re = compileLinear(i.pattern, { ignoreCase: i.ignore_case });
    const limit = Math.min(i.max_matches ?? DEFAULT_MATCHES, MAX_MATCHES);
    const filter = i.glob ? makeMatcher(i.glob, { basenameOnly: true }) : () => true;
    const base = confine.resolve(i.path ?? '.');
    const st = await fs.stat(base.abs);
    const files = st.isDirectory() ? walkFiles(confine, base.abs) : single(base.abs, base.rel);

    const out: string[] = [];
    let truncated = false;
    scan: for await (const f of files) {
      if (!filter(f.rel)) continue;
      let buf: Buffer | null;
      try {
        buf = await readSmall(confine, f.abs);
      } catch (err) {
        if (!st.isDirectory()) throw err; // the one file asked for: say why it cannot be searched
        continue; // unreadable, not a regular file, or moved outside while walking: skip it
      }
      if (!buf) continue;
      if (buf.subarray(0, 8000).includes(0)) continue;
      const lines = buf.toString('utf8').split('\n');
      for (const [n, line] of lines.entries()) {
        if (!re.test(line)) continue;
        if (out.length >= limit) {
          truncated = true;
          break scan;
        }
        const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
        out.push(`${f.rel}:${n + 1}: ${text}`);
      }
    }
    if (out.length === 0) return `[no matches for /${i.pattern}/]`;
    return truncated ? `${out.join('\n')}\n[truncated at ${limit} matches; narrow the search or raise max_matches]` : out.join('\n');
  },
};

/** A confined regular file's bytes, read through the checked descriptor; null when over MAX_FILE_BYTES. */
async function readSmall(confine: Confinement, abs: string): Promise<Buffer | null> {
  const { handle, size } = await confine.openFile(abs);
  try {
    return size > MAX_FILE_BYTES ? null : await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function* single(abs: string, rel: string): AsyncGenerator<{ abs: string; rel: string }> {
  yield { abs, rel };
}
