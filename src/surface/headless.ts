// No terminal: the runner runs as a detached process in its own session, outliving the controller.
import { spawn } from 'node:child_process';
import type { Surface } from './surface.js';

export const headlessSurface: Surface = {
  terminal: false,
  async host({ command }) {
    const [file, ...args] = command('headless');
    if (!file) throw new Error('the executor built an empty command');
    const child = spawn(file, args, { detached: true, stdio: 'ignore' });
    child.unref();
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start ${file} for the runner: ${error.message}`);
    }
    return { pid: child.pid, placement: 'headless', paneId: null, note: null, child };
  },
  async ready() {},
  async exitLeft() {
    return null; // our own child: its exit event carries the status
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
  async close() {},
};
