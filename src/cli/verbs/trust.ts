import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { findProjectConfig, trustStoreFile } from '../../config/files.js';
import { readYamlLayer } from '../../config/layers.js';
import { readTrustStore, sha256, trustProject, untrustedPart, type TrustEntry } from '../../config/trust.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, printJson, UsageError, type Context } from '../command.js';
import { SUMMARY } from '../summaries.js';

type Listed = TrustEntry & { status: 'trusted' | 'changed' | 'missing' };

function listed(entry: TrustEntry): Listed {
  let text: string;
  try {
    text = readFileSync(entry.file, 'utf8');
  } catch {
    return { ...entry, status: 'missing' };
  }
  return { ...entry, status: sha256(text) === entry.sha256 ? 'trusted' : 'changed' };
}

function list(json: boolean, ctx: Context): number {
  const projects = readTrustStore(ctx.env).map(listed);
  if (json) printJson(ctx, { store: trustStoreFile(ctx.env), projects });
  else if (!projects.length) ctx.out(`no project is trusted (${trustStoreFile(ctx.env)})`);
  else ctx.out(projects.map((p) => inert(`${p.status.padEnd(7)}  ${p.dir}  (since ${p.trustedAt})`)).join('\n'));
  return EXIT.ok;
}

export default defineVerb({
  name: 'trust',
  summary: SUMMARY.trust,
  usage: 'trust [DIR] | trust --list [--json]',
  help: `
A project's .panecrew.yaml comes with the code, so until you trust its folder it may set only
launch defaults that do not choose what runs (defaults.placement, defaults.priority) and the pane
layout (tmux.*); its default agent, agents, categories, subagents, notification and background_task
settings are ignored, with a warning. Read the file, then trust it:

  DIR        the folder whose .panecrew.yaml applies (the nearest one up from DIR; default: here)
  --list     the trusted folders, each trusted, changed (edited since: ignored again until you
             trust it again) or missing
  --json     machine-readable

Trust is kept (the folder's real path and a sha256 of the file) in
$XDG_CONFIG_HOME/panecrew/trusted-projects.json (mode 0600). Undo with: panecrew untrust DIR.
Exit codes: 0 trusted (or listed), 2 no .panecrew.yaml there, or it does not parse.`,
  options: { list: { type: 'boolean' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length > 1) throw new UsageError('give one folder');
    if (values.list) {
      if (positionals.length) throw new UsageError('--list takes no folder');
      return list(Boolean(values.json), ctx);
    }
    const from = resolve(ctx.cwd, positionals[0] ?? '.');
    if (!existsSync(from)) throw new UsageError(`${from} does not exist`);
    const file = findProjectConfig(realpathSync(from));
    if (!file) throw new UsageError(`no .panecrew.yaml in ${from} or above it: nothing to trust`);
    // Parsed first: a file that does not even read is not worth trusting (this throws with file:line:col).
    const layer = readYamlLayer('project', file);
    const entry = trustProject(ctx.env, file, layer.sha256!);
    const sets = untrustedPart(layer.data).ignored;
    if (values.json) printJson(ctx, { trusted: entry, sets });
    else {
      ctx.out(inert(`trusted ${entry.file} (sha256 ${entry.sha256.slice(0, 12)}…)`));
      ctx.out(inert(sets.length ? `launches from ${entry.dir} now use its ${sets.join(', ')}` : 'it sets nothing that needed trust'));
    }
    return EXIT.ok;
  },
});
