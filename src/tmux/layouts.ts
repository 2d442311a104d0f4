// Layout presets in YAML: `layouts/<name>.yaml` shipped with the package, or in the user's
// `tmux.layouts_dir` (searched first). A file either documents a built-in tmux layout
// (`builtin: main-vertical`) or defines a custom one (main pane side and size, agent arrangement).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { BUILTIN_LAYOUTS, isBuiltinLayout } from './options.js';
import type { LayoutSpec } from './layout-plan.js';

const BuiltinLayoutFileSchema = z
  .object({
    description: z.string().optional(),
    builtin: z.enum(BUILTIN_LAYOUTS),
  })
  .strict();

const CustomLayoutFileSchema = z
    .object({
      description: z.string().optional(),
      main: z
        .object({
          side: z.enum(['left', 'top']),
          /** % of the window; omitted = the tmux.main_pane_size option. */
          size: z.number().int().min(20).max(80).optional(),
        })
        .strict(),
      agents: z
        .object({
          arrange: z.enum(['column', 'row', 'grid']),
          /** grid only: how many agent panes side by side in each row. */
          columns: z.number().int().min(1).max(16).optional(),
        })
        .strict()
        .refine((a) => a.arrange === 'grid' || a.columns === undefined, { message: '`columns` only applies to `arrange: grid`', path: ['columns'] }),
    })
    .strict();

export const LayoutFileSchema = z.union([BuiltinLayoutFileSchema, CustomLayoutFileSchema]);

export type LayoutFile = z.infer<typeof LayoutFileSchema>;

export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

/**
 * The package root: this file is src/tmux/layouts.ts under vitest and dist/tmux/layouts.js after
 * tsc — two levels below the root either way.
 */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function shippedLayoutsDir(): string {
  return join(packageRoot(), 'layouts');
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Validates a parsed layout file; `file` is only used in messages. */
export function layoutFromData(name: string, data: unknown, file: string): LayoutSpec {
  // Validate against the kind the file means, so that errors name the right fields.
  const isBuiltin = typeof data === 'object' && data !== null && 'builtin' in data;
  const parsed = (isBuiltin ? BuiltinLayoutFileSchema : CustomLayoutFileSchema).safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('\n');
    throw new LayoutError(
      `invalid layout ${file}:\n${issues}\nA layout is either \`builtin: <${BUILTIN_LAYOUTS.join('|')}>\` or \`main: {side: left|top, size: 20-80}\` with \`agents: {arrange: column|row|grid, columns: N}\`.`,
    );
  }
  const def = parsed.data;
  if ('builtin' in def) return { kind: 'builtin', name: def.builtin };
  return {
    kind: 'custom',
    name,
    main: def.main.size === undefined ? { side: def.main.side } : { side: def.main.side, size: def.main.size },
    agents: def.agents.columns === undefined ? { arrange: def.agents.arrange } : { arrange: def.agents.arrange, columns: def.agents.columns },
  };
}

/** Parses and validates the YAML text of a layout file. */
export function parseLayout(name: string, text: string, file: string): LayoutSpec {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new LayoutError(`invalid YAML in layout ${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  return layoutFromData(name, doc.toJS(), file);
}

/**
 * Loads layout `name`: `<extraDir>/<name>.yaml` first, then the shipped `layouts/<name>.yaml`.
 * A built-in tmux layout name needs no file at all.
 */
export async function loadLayout(name: string, extraDir?: string): Promise<LayoutSpec> {
  if (!NAME_RE.test(name)) throw new LayoutError(`invalid layout name ${JSON.stringify(name)}: use letters, digits, ".", "_" or "-"`);
  const dirs = [...(extraDir ? [resolve(extraDir)] : []), shippedLayoutsDir()];
  for (const dir of dirs) {
    const file = join(dir, `${name}.yaml`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new LayoutError(`cannot read layout ${file}: ${(err as Error).message}`);
    }
    return parseLayout(name, text, file);
  }
  if (isBuiltinLayout(name)) return { kind: 'builtin', name };
  throw new LayoutError(`unknown layout ${JSON.stringify(name)}: no ${name}.yaml in ${dirs.join(' or ')}; built-in layouts are ${BUILTIN_LAYOUTS.join(', ')}`);
}
