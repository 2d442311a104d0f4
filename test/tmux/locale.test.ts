// tmux prints a control character of a -F format as '_' to a client whose locale is not UTF-8
// (LANG unset or C: cron, a service, `env -i`, many containers). The client's fields are split on
// one (FIELD_SEPARATOR): without `tmux -u` the controller saw no `panecrew` session and failed
// every task with "duplicate session: panecrew".
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxClient } from '../../src/tmux/client.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let server: TestTmuxServer | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

describe('tmux client outside a UTF-8 locale', () => {
  it('reads the fields of a listing as they are', async () => {
    server = await startTmuxServer({ session: 'panecrew' });
    const { LANG: _l, LC_ALL: _a, LC_CTYPE: _c, ...rest } = process.env;
    const client = new TmuxClient({ socketName: server.socketName }, { env: { ...rest, LANG: 'C' } });
    expect(await client.listSessions(['session_name', 'session_windows'] as const)).toEqual([{ session_name: 'panecrew', session_windows: '1' }]);
  });
});
