import { ConfigError, ConfigFileError } from '../../config/errors.js';
import { loadConfig } from '../../config/load.js';
import { resolveCategories, resolveSubagents, type Category } from '../../runner/categories.js';
import { BUILTIN_PROFILES, installedCheck, ProfileConfigError, resolveProfiles } from '../../runner/profiles.js';
import { REAL_RUN_TESTS } from '../../runner/profile-tests.js';
import { defineVerb, EXIT, printJson } from '../command.js';
import { inert } from '../../render/inert.js';
import { SUMMARY } from '../summaries.js';

interface AgentRow {
  name: string;
  source: 'built-in' | 'config';
  description: string | null;
  command: string[];
  output: string;
  completion: string;
  provider: string | null;
  defaultModel: string | null;
  retryExitCodes: number[];
  installed: boolean;
  executable: string;
  path: string | null;
  /** The test that runs this built-in profile for real; null when none does (or it is yours). */
  testedIn: string | null;
}

interface CategoryRow {
  name: string;
  agent: string;
  model: string | null;
  description: string | null;
}

function categoryRows(entries: Record<string, Category>): CategoryRow[] {
  return Object.entries(entries).map(([name, c]) => ({ name, agent: c.agent, model: c.model ?? null, description: c.description ?? null }));
}

/** Aligned columns; the last column is never padded. Config text is shown inert (a project file can carry escapes). */
function columns(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map((c) => inert(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** An argv template shown as one line; elements with spaces are quoted so the boundaries stay visible. */
const showCommand = (argv: string[]): string => argv.map((a) => (/[\s"]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');

export default defineVerb({
  name: 'agents',
  summary: SUMMARY.agents,
  usage: 'agents [--json]',
  help: `
Shows every agent profile — the built-in ones and those under \`agents:\` in your configuration —
with its command template, output format, completion rule, provider and whether its executable is
found on PATH; then the categories (--category) and subagent types (--subagent) with the agent
and model each one picks.

Options:
  --json    print {agents, categories, subagents} as JSON
Exit codes: 0 listed, 2 the configuration is invalid.`,
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    let profiles;
    let categories: CategoryRow[];
    let subagents: CategoryRow[];
    try {
      const { config, warnings } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
      for (const w of warnings) ctx.err(`panecrew agents: warning: ${inert(w)}`);
      profiles = resolveProfiles(config.agents);
      categories = categoryRows(resolveCategories(config.categories));
      subagents = categoryRows(resolveSubagents(config.subagents));
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ConfigFileError || err instanceof ProfileConfigError) {
        ctx.err(`panecrew agents: the configuration is invalid:\n${err.message}`);
        return EXIT.usage;
      }
      throw err;
    }
    const agents: AgentRow[] = await Promise.all(
      Object.entries(profiles).map(async ([name, p]) => {
        const check = await installedCheck(p, ctx.env);
        return {
          name,
          source: BUILTIN_PROFILES[name] === p ? 'built-in' : 'config',
          description: p.description ?? null,
          command: [...p.command],
          output: p.output,
          completion: p.completion,
          provider: p.provider ?? null,
          defaultModel: p.default_model ?? null,
          retryExitCodes: [...p.retry_exit_codes],
          installed: check.installed,
          executable: check.executable,
          path: check.path ?? null,
          testedIn: BUILTIN_PROFILES[name] === p ? (REAL_RUN_TESTS[name] ?? null) : null,
        } satisfies AgentRow;
      }),
    );
    if (values.json) {
      printJson(ctx, { agents, categories, subagents });
      return EXIT.ok;
    }
    ctx.out('Agents');
    ctx.out(
      columns(
        ['NAME', 'INSTALLED', 'OUTPUT', 'COMPLETION', 'PROVIDER', 'TESTED', 'COMMAND'],
        agents.map((a) => [
          a.source === 'config' ? `${a.name}*` : a.name,
          a.installed ? 'yes' : `no (${a.executable})`,
          a.output,
          a.completion,
          a.provider ?? '(model prefix)',
          a.testedIn ? 'yes' : a.source === 'config' ? '-' : 'untested',
          showCommand(a.command),
        ]),
      ),
    );
    if (agents.some((a) => a.source === 'config')) ctx.out('* from your configuration (agents:)');
    const table = (rows: CategoryRow[]) =>
      columns(['NAME', 'AGENT', 'MODEL', 'DESCRIPTION'], rows.map((r) => [r.name, r.agent, r.model ?? '(agent default)', r.description ?? '']));
    ctx.out(`\nCategories (--category)\n${table(categories)}`);
    ctx.out(`\nSubagent types (--subagent)\n${table(subagents)}`);
    return EXIT.ok;
  },
});
