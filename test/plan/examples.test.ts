// The example plans in examples/ stay valid: each expands into its tasks without error.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPlan } from '../../src/plan/expand.js';
import { readPlanFile } from '../../src/plan/load.js';

const DIR = resolve(import.meta.dirname, '../../examples');

describe('examples/*.plan.yaml', () => {
  it('holds the two seed workflows and the demo\'s plan, all valid', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.plan.yaml'));
    expect(files.sort()).toEqual(['api-feature.plan.yaml', 'demo.plan.yaml', 'explore.plan.yaml']);
    const nodes = files.map((f) => {
      const file = join(DIR, f);
      return expandPlan(readPlanFile(file), { file, planId: 'pl_00000000', artifacts: '/tmp/x', set: {} }).map((i) => i.ref);
    });
    expect(nodes).toContainEqual(['contract', 'backend', 'frontend', 'integration']);
    expect(nodes).toContainEqual([...Array.from({ length: 6 }, (_, i) => `explore[${i}]`), 'synthesis']);
    expect(nodes).toContainEqual(['explore[0]', 'explore[1]', 'explore[2]', 'count', 'synthesis']);
  });
});
