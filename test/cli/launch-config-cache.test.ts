// `panecrew launch` reads its defaults from a cache (config/launch-config.ts): through the real CLI and
// controller, every change to a layer file or to PANECREW_CONFIG is seen by the very next launch.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

it('a launch sees each edit, new and removed layer file and PANECREW_CONFIG change made since the last one', async () => {
  tc = await startTestController();
  const project = join(tc.dir, 'project');
  const cwd = join(project, 'src');
  mkdirSync(cwd, { recursive: true });
  const userFile = join(tc.dir, 'xdg-config', 'panecrew', 'config.yaml');
  mkdirSync(join(tc.dir, 'xdg-config', 'panecrew'), { recursive: true });
  const priority = async (env: NodeJS.ProcessEnv = {}): Promise<number> => {
    const r = await tc!.cli(['launch', '--json', '--agent', 'shell', '--placement', 'headless', '--prompt', 'true'], { cwd, env });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return (JSON.parse(r.stdout as string) as { priority: number }).priority;
  };

  expect(await priority()).toBe(5);
  expect(await priority()).toBe(5);
  expect(readdirSync(join(tc.dir, 'xdg-cache', 'panecrew', 'launch')), 'a cache entry').toHaveLength(1);

  writeFileSync(userFile, 'defaults:\n  priority: 2\n'); // a new user file
  expect(await priority()).toBe(2);
  writeFileSync(join(project, '.panecrew.yaml'), 'defaults:\n  priority: 3\n'); // a new project file above the cwd
  expect(await priority()).toBe(3);
  expect(await priority()).toBe(3);
  writeFileSync(join(project, '.panecrew.yaml'), 'defaults:\n  priority: 4\n'); // edited, the same size
  expect(await priority()).toBe(4);

  const extra = join(tc.dir, 'extra.yaml');
  writeFileSync(extra, 'defaults:\n  priority: 9\n');
  expect(await priority({ PANECREW_CONFIG: extra })).toBe(9);
  expect(await priority()).toBe(4); // the controller's own PANECREW_CONFIG again

  rmSync(join(project, '.panecrew.yaml')); // removed: the user file shows again
  expect(await priority()).toBe(2);
  writeFileSync(userFile, 'defaults:\n  priority: 7\n'); // edited, the same size
  expect(await priority()).toBe(7);
  rmSync(userFile);
  expect(await priority()).toBe(5);
});
