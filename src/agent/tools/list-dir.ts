import fs from 'node:fs/promises';
import { z } from 'zod';
import type { AgentTool } from './types.js';

const MAX_ENTRIES = 1000;

const Input = z.object({ path: z.string().optional() });
type Input = z.infer<typeof Input>;

export const listDirTool: AgentTool<Input> = {
  name: 'list_dir',
  description:
    'List the entries of a directory inside the working directory, one per line, sorted; folders end with "/", ' +
    'symlinks with "@". Defaults to the working directory itself.',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Directory, relative to the working directory (default ".")' } },
  },
  parse: Input,
  step: (i) => `List ${i.path ?? '.'}`,
  describe: (i) => `list_dir ${i.path ?? '.'}`,
  async run(i, { confine }) {
    const { abs, rel } = confine.resolve(i.path ?? '.');
    const st = await fs.stat(abs);
    if (!st.isDirectory()) throw new Error(`${rel} is a file, not a directory; use read_file to read it`);
    const dirents = await fs.readdir(abs, { withFileTypes: true });
    const names = dirents
      .map((d) => (d.isDirectory() ? `${d.name}/` : d.isSymbolicLink() ? `${d.name}@` : d.name))
      .sort();
    if (names.length === 0) return `[${rel} is empty]`;
    const shown = names.slice(0, MAX_ENTRIES).join('\n');
    return names.length > MAX_ENTRIES ? `${shown}\n[truncated: ${names.length - MAX_ENTRIES} more entries]` : shown;
  },
};
