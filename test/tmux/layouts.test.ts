import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLayout, LayoutError } from '../../src/tmux/layouts.js';
import { TmuxOptionsSchema } from '../../src/tmux/options.js';

describe('layout files', () => {
  it('loads the shipped custom layouts', async () => {
    expect(await loadLayout('right-column')).toEqual({ kind: 'custom', name: 'right-column', main: { side: 'left' }, agents: { arrange: 'column' } });
    expect(await loadLayout('bottom-grid')).toEqual({ kind: 'custom', name: 'bottom-grid', main: { side: 'top', size: 50 }, agents: { arrange: 'grid', columns: 2 } });
  });

  it('every built-in layout has a documenting file', async () => {
    for (const name of ['main-vertical', 'main-horizontal', 'tiled', 'even-horizontal', 'even-vertical']) {
      expect(await loadLayout(name)).toEqual({ kind: 'builtin', name });
    }
  });

  it('prefers the extra folder and reports bad files with file and path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-layouts-'));
    await writeFile(join(dir, 'mine.yaml'), 'main: { side: right }\nagents: { arrange: column, columns: 3 }\n');
    const err = await loadLayout('mine', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LayoutError);
    expect((err as Error).message).toContain(join(dir, 'mine.yaml'));
    expect((err as Error).message).toMatch(/main\.side/);
    await writeFile(join(dir, 'right-column.yaml'), 'builtin: tiled\n');
    expect(await loadLayout('right-column', dir)).toEqual({ kind: 'builtin', name: 'tiled' });
  });

  it('names the unknown layout and the places it looked', async () => {
    await expect(loadLayout('nope')).rejects.toThrow(/unknown layout "nope".*built-in layouts are main-vertical/);
    await expect(loadLayout('../etc/passwd')).rejects.toThrow(/invalid layout name/);
  });
});

describe('tmux options', () => {
  it('gives every default for an empty section', () => {
    expect(TmuxOptionsSchema.parse({})).toEqual({
      enabled: true, session: 'panecrew', layout: 'main-vertical', main_pane_size: 60, main_pane_min_width: 120,
      agent_pane_min_width: 40, agent_pane_min_height: 8, close_delay_ms: 3000, keep_failed_panes: false, command_timeout_ms: 5000, control_idle_ms: 10000, overflow_window: 'panecrew-overflow',
    });
  });
  it('accepts durations and rejects unknown keys and out-of-range sizes', () => {
    expect(TmuxOptionsSchema.parse({ close_delay_ms: '5s' }).close_delay_ms).toBe(5000);
    expect(TmuxOptionsSchema.safeParse({ main_pane_sise: 60 }).success).toBe(false);
    expect(TmuxOptionsSchema.safeParse({ main_pane_size: 90 }).success).toBe(false);
  });
});
