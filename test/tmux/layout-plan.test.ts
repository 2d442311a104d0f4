import { describe, expect, it } from 'vitest';
import { maxAgents, planLayout, spread, type LayoutSpec, type PlanOptions, type PaneBox } from '../../src/tmux/layout-plan.js';
import { layoutChecksum, layoutString } from '../../src/tmux/layout-string.js';

function opts(layout: LayoutSpec, over: Partial<PlanOptions> = {}): PlanOptions {
  return { layout, mainPaneSize: 60, mainPaneMinWidth: 120, agentPaneMinWidth: 40, agentPaneMinHeight: 8, ...over };
}
const builtin = (name: 'main-vertical' | 'main-horizontal' | 'tiled' | 'even-horizontal' | 'even-vertical'): LayoutSpec => ({ kind: 'builtin', name });
const box = (b: PaneBox) => `${b.w}x${b.h}@${b.x},${b.y}`;

function panesOf(plan: ReturnType<typeof planLayout>): string[] {
  if (!plan.fits) throw new Error(`expected a fit, got: ${plan.reason}`);
  return plan.panes.map(box);
}

describe('spread', () => {
  it('gives every cell the same size and the last one the rest, one border between cells', () => {
    expect(spread(50, 5)).toEqual([9, 9, 9, 9, 10]);
    expect(spread(200, 6)).toEqual([32, 32, 32, 32, 32, 35]);
    expect(spread(10, 1)).toEqual([10]);
  });
});

describe('layout checksum', () => {
  it('matches the checksum tmux prints for #{window_layout}', () => {
    const body = '150x40,0,0[150x25,0,0,0,150x14,0,26{49x14,0,26,3,49x14,50,26,2,50x14,100,26,1}]';
    expect(layoutChecksum(body).toString(16)).toBe('2567');
  });
});

describe('main-vertical', () => {
  const o = opts(builtin('main-vertical'));

  it('keeps the main pane at floor((W-1)*size%) and stacks agents on the right', () => {
    const plan = planLayout({ width: 240, height: 60, hasMain: true, agents: 4 }, o);
    expect(panesOf(plan)).toEqual(['143x60@0,0', '96x14@144,0', '96x14@144,15', '96x14@144,30', '96x15@144,45']);
    expect(plan.fits && plan.apply).toEqual({ kind: 'builtin', name: 'main-vertical', windowOptions: { 'main-pane-width': '60%' } });
  });

  it('raises the main pane to main_pane_min_width (absolute) when the percentage falls short', () => {
    const plan = planLayout({ width: 180, height: 50, hasMain: true, agents: 1 }, o);
    expect(panesOf(plan)).toEqual(['120x50@0,0', '59x50@121,0']);
    expect(plan.fits && plan.apply).toEqual({ kind: 'builtin', name: 'main-vertical', windowOptions: { 'main-pane-width': '120' } });
  });

  it('fits exactly when agent panes reach the minimum height, and not one more', () => {
    // 6 agents x 8 rows + 5 borders = 53 rows
    expect(planLayout({ width: 240, height: 53, hasMain: true, agents: 6 }, o).fits).toBe(true);
    const more = planLayout({ width: 240, height: 53, hasMain: true, agents: 7 }, o);
    expect(more.fits).toBe(false);
    expect(!more.fits && more.reason).toMatch(/agent_pane_min_height 8/);
    expect(maxAgents({ width: 240, height: 53 }, o)).toBe(6);
  });

  it('fits exactly at main_pane_min_width + 1 + agent_pane_min_width columns', () => {
    expect(panesOf(planLayout({ width: 161, height: 40, hasMain: true, agents: 1 }, o))).toEqual(['120x40@0,0', '40x40@121,0']);
  });

  it('degrades to main-horizontal when narrower than main min + border + agent min', () => {
    const plan = planLayout({ width: 160, height: 40, hasMain: true, agents: 2 }, o);
    expect(plan.fits).toBe(true);
    if (!plan.fits) return;
    expect(plan.layoutName).toBe('main-horizontal');
    expect(plan.degradedFrom).toBe('main-vertical');
    expect(plan.panes.map(box)).toEqual(['160x23@0,0', '79x16@0,24', '80x16@80,24']);
  });

  it('uses main-horizontal in an ordinary 100x30 window, the main pane keeping the whole width', () => {
    const plan = planLayout({ width: 100, height: 30, hasMain: true, agents: 2 }, o);
    expect(panesOf(plan)).toEqual(['100x17@0,0', '49x12@0,18', '50x12@50,18']);
    expect(plan.fits && plan.degradedFrom).toBe('main-vertical');
    expect(maxAgents({ width: 100, height: 30 }, o)).toBe(2);
  });

  it('has no room when neither main-vertical nor main-horizontal fits', () => {
    const plan = planLayout({ width: 100, height: 16, hasMain: true, agents: 1 }, o);
    expect(plan.fits).toBe(false);
    expect(!plan.fits && plan.reason).toMatch(/main-horizontal does not fit either/);
    expect(maxAgents({ width: 100, height: 16 }, o)).toBe(0);
  });

  it('always fits the main pane alone', () => {
    expect(panesOf(planLayout({ width: 30, height: 5, hasMain: true, agents: 0 }, o))).toEqual(['30x5@0,0']);
  });
});

describe('main-horizontal', () => {
  const o = opts(builtin('main-horizontal'));
  it('puts the main pane on top and agents side by side below', () => {
    const plan = planLayout({ width: 200, height: 51, hasMain: true, agents: 5 }, { ...o, agentPaneMinWidth: 39 });
    expect(panesOf(plan)).toEqual(['200x30@0,0', '39x20@0,31', '39x20@40,31', '39x20@80,31', '39x20@120,31', '40x20@160,31']);
    expect(plan.fits && plan.apply).toEqual({ kind: 'builtin', name: 'main-horizontal', windowOptions: { 'main-pane-height': '60%' } });
  });
  it('refuses one agent too many for the minimum width', () => {
    // 240 columns hold 5 x 40 + 4 borders = 204 and 6 x 39 ... not 6 x 40 + 5 = 245
    expect(maxAgents({ width: 240, height: 60 }, o)).toBe(5);
  });
  it('gives the main pane the whole width of a window narrower than main_pane_min_width', () => {
    expect(panesOf(planLayout({ width: 100, height: 60, hasMain: true, agents: 1 }, o))).toEqual(['100x35@0,0', '100x24@0,36']);
  });
});

describe('tiled', () => {
  const o = opts(builtin('tiled'), { mainPaneMinWidth: 80 });
  it('grows rows before columns and spreads an incomplete last row', () => {
    expect(panesOf(planLayout({ width: 200, height: 51, hasMain: true, agents: 4 }, o))).toEqual(['99x16@0,0', '100x16@100,0', '99x16@0,17', '100x16@100,17', '200x17@0,34']);
    expect(panesOf(planLayout({ width: 200, height: 51, hasMain: true, agents: 5 }, o))).toEqual(['99x16@0,0', '100x16@100,0', '99x16@0,17', '100x16@100,17', '99x17@0,34', '100x17@100,34']);
  });
  it('counts the main pane as a tile that must keep main_pane_min_width', () => {
    const plan = planLayout({ width: 200, height: 60, hasMain: true, agents: 8 }, o); // 3x3 grid: 66 wide
    expect(plan.fits).toBe(false);
    expect(!plan.fits && plan.reason).toMatch(/main_pane_min_width 80/);
  });
  it('tiles windows without a main pane (overflow)', () => {
    const plan = planLayout({ width: 80, height: 24, hasMain: false, agents: 2 }, opts(builtin('main-vertical')));
    expect(panesOf(plan)).toEqual(['80x11@0,0', '80x12@0,12']);
  });
});

describe('even-horizontal and even-vertical', () => {
  it('even-horizontal gives every pane the same width, the main pane included', () => {
    const o = opts(builtin('even-horizontal'), { mainPaneMinWidth: 60 });
    expect(panesOf(planLayout({ width: 200, height: 50, hasMain: true, agents: 2 }, o))).toEqual(['66x50@0,0', '66x50@67,0', '66x50@134,0']);
    expect(maxAgents({ width: 200, height: 50 }, o)).toBe(2);
  });
  it('even-vertical stacks every pane at full width', () => {
    const o = opts(builtin('even-vertical'));
    expect(panesOf(planLayout({ width: 200, height: 51, hasMain: true, agents: 5 }, { ...o, agentPaneMinHeight: 7 }))).toEqual(['200x7@0,0', '200x7@0,8', '200x7@0,16', '200x7@0,24', '200x7@0,32', '200x11@0,40']);
    // 8 rows per pane: 5 panes need 5*8+4 = 44
    expect(maxAgents({ width: 200, height: 44 }, o)).toBe(4);
    expect(maxAgents({ width: 200, height: 43 }, o)).toBe(3);
  });
});

describe('custom layouts', () => {
  const grid: LayoutSpec = { kind: 'custom', name: 'bottom-grid', main: { side: 'top', size: 50 }, agents: { arrange: 'grid', columns: 2 } };
  const column: LayoutSpec = { kind: 'custom', name: 'right-column', main: { side: 'left' }, agents: { arrange: 'column' } };

  it('bottom-grid: main on top, agents two per row, the last row spread', () => {
    const plan = planLayout({ width: 200, height: 60, hasMain: true, agents: 3 }, opts(grid));
    expect(panesOf(plan)).toEqual(['200x29@0,0', '99x14@0,30', '100x14@100,30', '200x15@0,45']);
    if (!plan.fits || plan.apply.kind !== 'custom') throw new Error('expected a custom layout');
    const body = '200x60,0,0[200x29,0,0,0,200x30,0,30[200x14,0,30{99x14,0,30,1,100x14,100,30,2},200x15,0,45,3]]';
    expect(plan.apply.layout).toBe(`${layoutChecksum(body).toString(16).padStart(4, '0')},${body}`);
  });

  it('right-column gives the same geometry as main-vertical as a layout string', () => {
    const a = planLayout({ width: 240, height: 60, hasMain: true, agents: 4 }, opts(column));
    const b = planLayout({ width: 240, height: 60, hasMain: true, agents: 4 }, opts(builtin('main-vertical')));
    expect(panesOf(a)).toEqual(panesOf(b));
    expect(a.fits && a.apply.kind).toBe('custom');
  });

  it('a single agent is a leaf, not a container', () => {
    const plan = planLayout({ width: 200, height: 60, hasMain: true, agents: 1 }, opts(grid));
    if (!plan.fits || plan.apply.kind !== 'custom') throw new Error('expected a custom layout');
    expect(plan.apply.layout.slice(5)).toBe('200x60,0,0[200x29,0,0,0,200x30,0,30,1]');
  });

  it('refuses too many agents for the grid rows', () => {
    // 30 rows below the main pane hold 3 rows of 8 (+2 borders = 26), not 4 (35)
    expect(maxAgents({ width: 200, height: 60 }, opts(grid))).toBe(6);
  });

  it('serializes nested cells with {} for side by side and [] for stacked', () => {
    expect(layoutString({ x: 0, y: 0, w: 10, h: 5, split: 'lr', children: [{ x: 0, y: 0, w: 4, h: 5, paneIndex: 0 }, { x: 5, y: 0, w: 5, h: 5, paneIndex: 1 }] })).toMatch(/^[0-9a-f]{4},10x5,0,0\{4x5,0,0,0,5x5,5,0,1\}$/);
  });
});

describe('tiny and invalid windows', () => {
  it('a window with no size fits nothing', () => {
    expect(planLayout({ width: 0, height: 0, hasMain: true, agents: 0 }, opts(builtin('tiled'))).fits).toBe(false);
  });
  it('a 10x3 window holds no agent pane in any layout', () => {
    for (const name of ['main-vertical', 'main-horizontal', 'tiled', 'even-horizontal', 'even-vertical'] as const) {
      expect(maxAgents({ width: 10, height: 3 }, opts(builtin(name)))).toBe(0);
    }
  });
});
