// One status line for a tool call, the same for every agent: "Read src/auth.ts", "Grep 'jwt'",
// "Bash npm test". Claude Code names tools `Read` with `file_path`; OpenCode names them `read` with
// `filePath`; both map here.
import { oneLine, shortPath } from './text.js';

export const STEP_MAX = 80;

type Shape = 'path' | 'quoted' | 'command' | 'text';

interface ToolDisplay {
  label: string;
  shape: Shape;
  /** Input keys to look in, first present wins. */
  keys: string[];
}

const PATH_KEYS = ['file_path', 'filePath', 'path', 'notebook_path'];

const TOOLS: Record<string, ToolDisplay> = {
  read: { label: 'Read', shape: 'path', keys: PATH_KEYS },
  write: { label: 'Write', shape: 'path', keys: PATH_KEYS },
  edit: { label: 'Edit', shape: 'path', keys: PATH_KEYS },
  multiedit: { label: 'Edit', shape: 'path', keys: PATH_KEYS },
  notebookedit: { label: 'Edit', shape: 'path', keys: PATH_KEYS },
  patch: { label: 'Patch', shape: 'path', keys: PATH_KEYS },
  ls: { label: 'List', shape: 'path', keys: PATH_KEYS },
  list: { label: 'List', shape: 'path', keys: PATH_KEYS },
  grep: { label: 'Grep', shape: 'quoted', keys: ['pattern', 'query'] },
  glob: { label: 'Glob', shape: 'text', keys: ['pattern'] },
  bash: { label: 'Bash', shape: 'command', keys: ['command', 'cmd'] },
  shell: { label: 'Bash', shape: 'command', keys: ['command', 'cmd'] },
  webfetch: { label: 'WebFetch', shape: 'text', keys: ['url'] },
  websearch: { label: 'WebSearch', shape: 'quoted', keys: ['query'] },
  task: { label: 'Task', shape: 'text', keys: ['description', 'prompt'] },
};

function firstString(input: unknown, keys: string[]): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  for (const key of keys) {
    const v = record[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

export function describeToolCall(name: string, input: unknown, cwd: string | undefined): string {
  const display = TOOLS[name.toLowerCase()];
  if (!display) return oneLine(name, STEP_MAX);
  const shown = toolTarget(name, input, cwd);
  return shown === undefined ? display.label : oneLine(`${display.label} ${shown}`, STEP_MAX);
}

/** What a tool call works on, shortened for a status line ("src/auth.ts", "'jwt'", "npm test"); undefined when unknown. */
export function toolTarget(name: string, input: unknown, cwd: string | undefined): string | undefined {
  const display = TOOLS[name.toLowerCase()];
  if (!display) return undefined;
  const arg = firstString(input, display.keys);
  if (arg === undefined) return undefined;
  switch (display.shape) {
    case 'path':
      return shortPath(oneLine(arg, 1000), cwd);
    case 'quoted': {
      let shown = `'${oneLine(arg, 58)}'`;
      if (display.label === 'Grep') {
        const where = firstString(input, ['path']);
        if (where !== undefined) shown += ` in ${shortPath(where, cwd, 40)}`;
      }
      return shown;
    }
    case 'command':
      // The first line says what runs; a heredoc body after it does not.
      return oneLine(arg.trim().split('\n')[0] ?? '', 60);
    case 'text':
      return oneLine(arg, 60);
  }
}
