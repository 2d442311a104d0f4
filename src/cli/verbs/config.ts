import { resolve } from 'node:path';
import { checkConfigFile, loadConfig, type LoadedConfig } from '../../config/load.js';
import { defineVerb, EXIT, printJson, UsageError } from '../command.js';
import { inert } from '../../render/inert.js';
import { SUMMARY } from '../summaries.js';

function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

function sourceOf(loaded: LoadedConfig, path: string): string {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = loaded.sources.get(p);
    if (s) return s;
  }
  return 'default';
}

export default defineVerb({
  name: 'config',
  summary: SUMMARY.config,
  usage: 'config check [FILE] | config show [--json]',
  help: `
Actions:
  check [FILE]   validate FILE (default: every layer that applies here); errors name file:line:column
  show           the merged configuration, each value with its source layer
Layers, lowest first: built-in config/default.yaml < $XDG_CONFIG_HOME/panecrew/config.yaml
  < the nearest .panecrew.yaml up from here (until you trust its folder, only what does not choose
  what runs: see panecrew trust --help) < $PANECREW_CONFIG < --set PATH=VALUE
Options:
  --set PATH=VALUE   override one option (repeatable)
  --json             (show) {config, sources} as JSON
Exit codes: 0 valid, 2 the configuration is invalid (or bad arguments).`,
  options: { json: { type: 'boolean' }, set: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [action, file, ...rest] = positionals;
    if (rest.length || (action !== 'check' && action !== 'show') || (action === 'show' && file)) {
      throw new UsageError('use: config check [FILE] or config show [--json]');
    }
    // An invalid file throws; runVerb prints it and exits 2, as for every verb that reads the config.
    const loaded = file ? checkConfigFile(resolve(ctx.cwd, file)) : loadConfig({ cwd: ctx.cwd, env: ctx.env, sets: (values.set as string[]) ?? [] });
    for (const w of loaded.warnings) ctx.err(`warning: ${inert(w)}`);
    if (action === 'check') {
      ctx.out(`configuration is valid (${loaded.layers.filter((l) => l.file).map((l) => l.file).join(', ')})`);
      return EXIT.ok;
    }
    const rows = leaves(loaded.config).map(([path, value]) => ({ path, value, source: sourceOf(loaded, path) }));
    if (values.json) {
      printJson(ctx, { config: loaded.config, sources: Object.fromEntries(rows.map((r) => [r.path, r.source])) });
      return EXIT.ok;
    }
    const width = Math.max(...rows.map((r) => r.path.length));
    ctx.out(rows.map((r) => inert(`${r.path.padEnd(width)}  ${JSON.stringify(r.value)}  # ${r.source}`)).join('\n'));
    return EXIT.ok;
  },
});
