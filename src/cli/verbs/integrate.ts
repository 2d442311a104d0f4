import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  claudeAddCommand,
  mergeClaudeMcp,
  mergeClaudeSettings,
  mergeOpencode,
  opencodeServerEntry,
  readJsonObject,
  writeJsonObject,
  type Invocation,
} from '../../mcp/integrate.js';
import { claudeReadiness } from '../../mcp/claude-readiness.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, UsageError, type Context } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** This node and this CLI, by absolute path: the generated configs work without a global install. */
function invocation(): Invocation {
  const path = (rel: string) => realpathSync(fileURLToPath(new URL(rel, import.meta.url)));
  return { node: process.execPath, cli: path('../main.js'), hook: path('../../mcp/hook-main.js') };
}

const show = (value: unknown) => JSON.stringify(value, null, 2);

/** Says what Claude Code still needs before its interface can run in `dir` unattended. */
function printClaudeReadiness(ctx: Context, dir: string): void {
  const checks = claudeReadiness(ctx.env, dir);
  ctx.out(`\nClaude Code in ${inert(dir)}, for an interactive agent in a tmux pane:`);
  for (const c of checks) ctx.out(`${c.ok ? '✓' : '✗'} ${inert(c.what)}${c.fix ? `\n    fix: ${inert(c.fix)}` : ''}`);
  if (checks.every((c) => c.ok)) ctx.out('Ready: claude starts there without stopping at a first-run question.');
}

export default defineVerb({
  name: 'integrate',
  summary: SUMMARY.integrate,
  usage: 'integrate claude-code|opencode [--write] [--dir DIR]',
  help: `
claude-code   the MCP server in the project's .mcp.json (Claude Code's project scope) and hooks in
              .claude/settings.json that tell the main agent when a background task it launched
              has ended, each ending once: an asyncRewake waiter (after a task call, at session
              start, after each turn) that wakes an idle session or joins the running turn.
              For every project instead: the printed "claude mcp add --scope user" command.
              It then says what Claude Code still needs to start in that folder without a person
              at its first-run screens (setup done, folder trusted, API key approved).
opencode      the MCP server in the project's opencode.json, under "mcp", and a plugin under
              "plugin" that tells each session the endings of its tasks, each once (waking it).

Options:
  --write       merge the entries into those files (other entries are kept; an older panecrew
                entry is replaced). Without it, print them.
  --dir DIR     the project folder (default: the current one)

Commands use the absolute paths of this node and this panecrew, so no global install is needed.`,
  options: { write: { type: 'boolean' }, dir: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const client = positionals[0];
    if (positionals.length !== 1 || (client !== 'claude-code' && client !== 'opencode')) throw new UsageError('name the client: integrate claude-code, or integrate opencode');
    const dir = resolve(ctx.cwd, (values.dir as string | undefined) ?? '.');
    const inv = invocation();
    const files: Array<{ file: string; merge: (existing: Record<string, unknown>) => Record<string, unknown>; shown: unknown }> =
      client === 'claude-code'
        ? [
            { file: join(dir, '.mcp.json'), merge: (e) => mergeClaudeMcp(e, inv), shown: mergeClaudeMcp({}, inv) },
            { file: join(dir, '.claude', 'settings.json'), merge: (e) => mergeClaudeSettings(e, inv), shown: mergeClaudeSettings({}, inv) },
          ]
        : [{ file: join(dir, 'opencode.json'), merge: (e) => mergeOpencode(e, inv), shown: mergeOpencode({}, inv) }];

    if (values.write) {
      if (client === 'opencode' && !existsSync(join(dir, 'opencode.json')) && existsSync(join(dir, 'opencode.jsonc'))) {
        // Rewriting JSONC would drop its comments; a second file beside it would be confusing.
        ctx.err(`panecrew integrate: ${join(dir, 'opencode.jsonc')} exists; add this under "mcp" by hand:\n${show({ panecrew: opencodeServerEntry(inv) })}`);
        return EXIT.failed;
      }
      try {
        // Read and merge every file before writing any, so a bad file leaves all of them unchanged.
        const merged = files.map((f) => ({ file: f.file, value: f.merge(readJsonObject(f.file)) }));
        for (const m of merged) writeJsonObject(m.file, m.value);
      } catch (err) {
        ctx.err(`panecrew integrate: ${(err as Error).message}`);
        return EXIT.failed;
      }
      for (const f of files) ctx.out(`wrote ${f.file}`);
      ctx.out(
        client === 'claude-code'
          ? 'Start claude in that folder and approve the "panecrew" server when asked (or check with: claude mcp list).'
          : 'Start opencode in that folder; the tools appear as panecrew_task, panecrew_background_output, ...',
      );
      if (client === 'claude-code') printClaudeReadiness(ctx, dir);
      return EXIT.ok;
    }
    for (const f of files) ctx.out(`# ${f.file} (merge into it, or run again with --write)\n${show(f.shown)}\n`);
    if (client === 'claude-code') {
      ctx.out(`# or, for every project (user scope), let Claude Code add it:\n${claudeAddCommand(inv)}\n`);
      printClaudeReadiness(ctx, dir);
    }
    return EXIT.ok;
  },
});
