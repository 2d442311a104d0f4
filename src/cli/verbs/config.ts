import { resolve } from 'node:path';
import { checkConfigFile, ConfigError, loadConfig, type LoadedConfig } from '../../config/load.js';
import { ConfigFileError } from '../../config/layers.js';
import { defineVerb, EXIT, printJson, UsageError } from '../command.js';

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
  summary: 'Check a config file, or show the merged configuration and where each value came from.',
  usage: 'config check [FILE] | config show [--json]',
  help: `
Actions:
  check [FILE]   validate FILE (default: every layer that applies here); errors name file:line:column
  show           the merged configuration, each value with its source layer
Layers, lowest first: built-in config/default.yaml < $XDG_CONFIG_HOME/panecrew/config.yaml
  < the nearest .panecrew.yaml up from here < $PANECREW_CONFIG < --set PATH=VALUE
Options:
  --set PATH=VALUE   override one option (repeatable)
  --json             (show) {config, sources} as JSON
Exit codes: 0 valid, 1 invalid, 2 usage.`,
  options: { json: { type: 'boolean' }, set: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [action, file, ...rest] = positionals;
    if (rest.length || (action !== 'check' && action !== 'show') || (action === 'show' && file)) {
      throw new UsageError('use: config check [FILE] or config show [--json]');
    }
    let loaded: LoadedConfig;
    try {
      loaded = file ? checkConfigFile(resolve(ctx.cwd, file)) : loadConfig({ cwd: ctx.cwd, env: ctx.env, sets: (values.set as string[]) ?? [] });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ConfigFileError) {
        ctx.err(`invalid configuration:\n${err.message.split('\n').map((l) => `  ${l}`).join('\n')}`);
        return EXIT.failed;
      }
      throw err;
    }
    for (const w of loaded.warnings) ctx.err(`warning: ${w}`);
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
    ctx.out(rows.map((r) => `${r.path.padEnd(width)}  ${JSON.stringify(r.value)}  # ${r.source}`).join('\n'));
    return EXIT.ok;
  },
});
