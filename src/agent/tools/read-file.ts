import { z } from 'zod';
import type { AgentTool } from './types.js';

const MAX_BYTES = 2 * 1024 * 1024; // larger files are refused: read a range of a smaller one instead
const MAX_LINES = 2000;
const MAX_CHARS = 100_000;

const Input = z.object({
  path: z.string().min(1),
  start_line: z.number().int().min(1).optional(),
  end_line: z.number().int().min(1).optional(),
});
type Input = z.infer<typeof Input>;

const range = (i: Input): string =>
  i.start_line !== undefined || i.end_line !== undefined ? ` (${i.start_line ?? 1}-${i.end_line ?? 'end'})` : '';

export const readFileTool: AgentTool<Input> = {
  name: 'read_file',
  description:
    'Read a text file inside the working directory. Optional 1-based inclusive start_line/end_line. ' +
    `At most ${MAX_LINES} lines / ${MAX_CHARS} characters are returned; the result says when it was truncated.`,
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'File path, relative to the working directory' },
      start_line: { type: 'integer', minimum: 1, description: 'First line to read (1-based)' },
      end_line: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive)' },
    },
    required: ['path'],
  },
  parse: Input,
  step: (i) => `Read ${i.path}${range(i)}`,
  describe: (i) => `read_file ${i.path}${range(i)}`,
  async run(i, { confine }) {
    // Only regular files, read through the descriptor that was checked (a FIFO or a device never blocks).
    const { handle, rel, size } = await confine.openFile(i.path);
    let buf: Buffer;
    try {
      if (size > MAX_BYTES) {
        throw new Error(`${rel} is ${size} bytes, more than the ${MAX_BYTES}-byte limit; use grep to find the part you need`);
      }
      buf = await handle.readFile();
    } finally {
      await handle.close();
    }
    if (buf.subarray(0, 8000).includes(0)) return `[${rel} is a binary file of ${buf.length} bytes; not shown]`;
    const lines = buf.toString('utf8').split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const total = lines.length;
    const start = i.start_line ?? 1;
    const end = Math.min(i.end_line ?? total, total);
    if (start > total) return `[${rel} has only ${total} lines; nothing at line ${start}]`;
    if (end < start) throw new Error(`end_line ${end} is before start_line ${start}`);

    let lastShown = Math.min(end, start + MAX_LINES - 1);
    let text = lines.slice(start - 1, lastShown).join('\n');
    if (text.length > MAX_CHARS) {
      text = text.slice(0, MAX_CHARS);
      lastShown = start + (text.match(/\n/g)?.length ?? 0);
    }
    const notes: string[] = [];
    if (lastShown < end) {
      notes.push(`[truncated: showed lines ${start}-${lastShown} of ${total}; read on with start_line=${lastShown + 1}]`);
    } else if (start > 1 || end < total) {
      notes.push(`[lines ${start}-${end} of ${total}]`);
    }
    return notes.length > 0 ? `${text}\n${notes.join('\n')}` : text;
  },
};
