// No terminal: the runner runs as a detached process, leading its own process group, outliving the
// controller. The spawner (one small C process) starts it, so a start never forks the controller.
import type { Surface } from './surface.js';
import { Spawner } from './spawner.js';

export function createHeadlessSurface(): Surface {
  const spawner = new Spawner();
  return {
    terminal: false,
    async host({ command }) {
      const argv = command('headless');
      if (!argv.length) throw new Error('the executor built an empty command');
      const child = await spawner.spawn(argv);
      return { pid: child.pid, placement: 'headless', paneId: null, note: null, child };
    },
    async ready() {},
    async exitLeft() {
      return null; // the spawner's exit event carries the status
    },
    async deliver(task) {
      throw new Error(`task ${task.id} runs headless: its agent has no input to type into`);
    },
    ended() {},
    async focus(task) {
      throw new Error(`task ${task.id} runs headless: there is no pane to focus; read its output with: panecrew output ${task.id} --follow`);
    },
    async locate() {
      return null;
    },
    async tidy() {},
    onMoved() {},
    async close() {
      spawner.close();
    },
  };
}
