// The pane renderer, a process of its own: the runner pipes a print-mode agent's output through it to
// the pane (output.log gets the raw bytes). Usage: node pane-render.js FORMAT CWD COPY [--no-color]
// What it draws also goes to the file COPY (pane.log), for the ending banner to show again once the
// pane is respawned (tmux/banner.ts). It loads only the parsers and the text helpers, so that it
// starts fast; it reads stdin to the end whatever happens, since a renderer that stopped reading
// would block the agent's writes.
import { openSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { createParser, OUTPUT_FORMATS } from './parsers/index.js';
import { PaneView } from './pane-view.js';

const ArgsSchema = z.tuple([z.enum(OUTPUT_FORMATS), z.string(), z.string().min(1)]).rest(z.literal('--no-color'));

/** Appends to the copy file; a failed write (a full disk) loses the copy, never the pane. */
function copyTo(file: string): (text: string) => void {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'w', 0o600);
  } catch {
    return () => {};
  }
  return (text) => {
    try {
      if (fd !== null) writeSync(fd, text);
    } catch {
      fd = null;
    }
  };
}

function main(): void {
  const out = process.stdout;
  // The pane closed under us: keep draining stdin, the runner is being told (SIGHUP).
  out.on('error', () => {});
  const args = ArgsSchema.safeParse(process.argv.slice(2));
  if (!args.success) {
    out.write(`panecrew: cannot show this task's output here (usage: pane-render FORMAT CWD COPY [--no-color]); output.log has all of it\n`);
    process.stdin.resume();
    return;
  }
  const [format, cwd, copyFile, ...flags] = args.data;
  const copy = copyTo(copyFile);
  const write = (text: string): void => {
    out.write(text);
    copy(text);
  };
  const colour = out.isTTY === true && process.env.NO_COLOR === undefined && flags.length === 0;
  const view = new PaneView({ width: () => out.columns || Number(process.env.COLUMNS) || 100, colour, write });
  const parser = createParser(format, { cwd: cwd || undefined, onShow: (item) => view.show(item) });
  process.stdin.on('data', (chunk: Buffer) => parser.feed(chunk));
  process.stdin.on('end', () => {
    parser.end();
    view.end(parser.state);
  });
}

main();
