import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findProjectConfig } from '../../config/files.js';
import { untrustProjects } from '../../config/trust.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, printJson, UsageError } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** The recorded names DIR may go by: as given, its real path, and the folder of the project file that applies there. */
function namesOf(dir: string): string[] {
  if (!existsSync(dir)) return [dir];
  const real = realpathSync(dir);
  const file = findProjectConfig(real);
  return [dir, real, ...(file ? [realpathSync(dirname(file))] : [])];
}

export default defineVerb({
  name: 'untrust',
  summary: SUMMARY.untrust,
  usage: 'untrust DIR... [--json]',
  help: `
Forgets the trust of each folder (see: panecrew trust --help): its .panecrew.yaml may again set
only what does not choose what runs. A folder that is gone is named as panecrew trust --list shows it.
Options:
  --json    print {removed: [folders]} as JSON
Exit codes: 0 done (also when a folder was not trusted), 2 bad arguments.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (!positionals.length) throw new UsageError('name the folder(s) to untrust; panecrew trust --list shows them');
    const removed = untrustProjects(ctx.env, positionals.flatMap((p) => namesOf(resolve(ctx.cwd, p))));
    if (values.json) printJson(ctx, { removed });
    else ctx.out(removed.length ? removed.map((d) => inert(`untrusted ${d}`)).join('\n') : 'none of these folders was trusted');
    return EXIT.ok;
  },
});
