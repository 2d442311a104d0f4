// The README shows every built-in profile as YAML: that block must say what the code does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, resolveProfiles } from '../../src/runner/profiles.js';

describe('README', () => {
  it('documents each built-in profile exactly as it is defined', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const block = readme.split('```yaml\n').map((b) => b.split('```')[0]!).find((b) => b.includes('  builtin:'))!;
    const documented = parse(block).agents as Record<string, unknown>;
    expect(Object.keys(documented).sort()).toEqual(Object.keys(BUILTIN_PROFILES).sort());
    const resolved = resolveProfiles(documented);
    for (const [name, profile] of Object.entries(BUILTIN_PROFILES)) {
      const { description: _, ...rest } = profile;
      expect(resolved[name], name).toMatchObject(rest);
    }
  });
});
