import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { CLI_ENTRY } from '../../core/paths.js';
import { defineVerb, EXIT, UsageError } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** The comment that marks our line in tmux.conf, so --write replaces it instead of adding another. */
export const MARK = '# panecrew dashboard popup (panecrew tmux-bind)';
const DEFAULT_KEY = 'P';

/** A word for sh: single-quoted, with ' written as '\''. */
const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** A tmux double-quoted string: \ " $ and ~ would otherwise be interpreted by tmux. */
const tmuxQuote = (s: string): string => `"${s.replace(/[\\"$~]/g, (c) => `\\${c}`)}"`;

/** The bind-key line: a popup running this node and this panecrew, with the state and config it uses now. */
export function bindLine(key: string, env: NodeJS.ProcessEnv, node = process.execPath, cli = CLI_ENTRY): string {
  const vars = (['PANECREW_HOME', 'PANECREW_CONFIG'] as const)
    .filter((k) => env[k])
    .map((k) => `${k}=${shQuote(resolve(env[k]!))}`);
  const command = [...vars, shQuote(node), shQuote(cli), 'dashboard', '--exit-on-focus'].join(' ');
  const k = /^[A-Za-z0-9-]+$/.test(key) ? key : tmuxQuote(key);
  return `bind-key ${k} display-popup -E -w 90% -h 80% ${tmuxQuote(command)}`;
}

/** `conf` with our binding replaced or appended; the same text when it is already there. */
export function withBinding(conf: string, line: string): string {
  const lines = conf.split('\n');
  const at = lines.indexOf(MARK);
  if (at >= 0) {
    lines.splice(at + 1, lines[at + 1]?.startsWith('bind-key ') ? 1 : 0, line);
    return lines.join('\n');
  }
  const sep = conf === '' || conf.endsWith('\n') ? '' : '\n';
  return `${conf}${sep}${MARK}\n${line}\n`;
}

export default defineVerb({
  name: 'tmux-bind',
  summary: SUMMARY['tmux-bind'],
  usage: 'tmux-bind [KEY] [--write [--file PATH]]',
  help: `
KEY is pressed after the tmux prefix; the default is ${DEFAULT_KEY} (prefix ${DEFAULT_KEY} is unbound in stock tmux).
The popup (tmux 3.2 or later) runs this node and this panecrew by absolute path, with the
PANECREW_HOME and PANECREW_CONFIG set now, and closes after Enter has focused a task's pane.

Options:
  --write        add the binding to ~/.tmux.conf, or replace the one written before (idempotent)
  --file PATH    the tmux config to write instead of ~/.tmux.conf
Then reload tmux's config: tmux source-file ~/.tmux.conf`,
  options: { write: { type: 'boolean' }, file: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length > 1) throw new UsageError('give at most one key');
    const key = positionals[0] ?? DEFAULT_KEY;
    if (!/^(?:[CM]-)*(?:[!-~]|F\d{1,2}|[A-Z][a-zA-Z]+)$/.test(key)) throw new UsageError(`${JSON.stringify(key)} is not a tmux key name (e.g. P, C-d, M-p, F5)`);
    const line = bindLine(key, ctx.env);
    if (!values.write) {
      if (values.file) throw new UsageError('--file goes with --write');
      ctx.out(line);
      return EXIT.ok;
    }
    const file = resolve(ctx.cwd, (values.file as string | undefined) ?? resolve(homedir(), '.tmux.conf'));
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const after = withBinding(before, line);
    if (after === before) {
      ctx.out(`${file} already has: ${line}`);
      return EXIT.ok;
    }
    writeFileSync(file, after);
    ctx.out(`wrote to ${file}: ${line}\nreload it with: tmux source-file ${shQuote(file)}`);
    return EXIT.ok;
  },
});
