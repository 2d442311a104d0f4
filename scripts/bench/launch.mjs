// 1. Launch latency: from just before the launch is sent to the agent's first command, through the
// CLI (a fresh Node process per launch) and through a persistent ControllerClient (no start-up).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, captureEnv, configYaml, connect, makeHome, now, progress, readJournal, readNsFile, run, startController, summarize, teardown, Tracker } from './lib.mjs';

export async function benchLaunch({ quick }) {
  const n = quick ? 6 : 20;
  const h = makeHome('launch', configYaml({ defaultConcurrency: 8 }));
  const ctl = await startController(h);
  const client = await connect(h);
  const tracker = await new Tracker(client).start();
  const env = captureEnv(h.env);

  // Floors: a bare Node start, and the CLI loading all its modules without talking to the controller.
  const nodeBare = [];
  const cliHelp = [];
  for (let i = 0; i < (quick ? 3 : 8); i++) {
    nodeBare.push((await run(process.execPath, ['-e', '0'])).ms);
    cliHelp.push((await run(process.execPath, [CLI, '--help'])).ms);
  }
  progress(`node -e 0: ${summarize(nodeBare).median} ms, panecrew --help: ${summarize(cliHelp).median} ms`);

  const cli = { agentStart: [], cliExit: [] };
  const viaClient = { agentStart: [], reply: [], toCreated: [], toRunning: [], toRunner: [], runnerToAgent: [] };
  const marks = []; // [id, t0, file] for the client breakdown, read from the journal at the end

  for (let i = -1; i < n; i++) {
    // CLI: the whole `panecrew launch` invocation, as a person or a main agent runs it.
    const file = join(h.dir, `cli-start-${i}`);
    const r = await run(process.execPath, [CLI, 'launch', '--agent', 'shell', '--prompt', `date +%s%N > ${file}`], { env: h.env, cwd: h.dir });
    if (r.code !== 0) throw new Error(`panecrew launch failed (${r.code}): ${r.stderr}`);
    const id = r.stdout.trim();
    await tracker.final(id);
    if (i >= 0) {
      cli.agentStart.push(readNsFile(file) - r.t0);
      cli.cliExit.push(r.ms);
    }

    // Persistent client: one request on an open socket.
    const file2 = join(h.dir, `client-start-${i}`);
    const t0 = now();
    const task = await client.request({ op: 'launch', spec: { prompt: `date +%s%N > ${file2}`, agent: 'shell', cwd: h.dir, env } });
    const replied = now();
    await tracker.final(task.id);
    if (i >= 0) {
      const agentAt = readNsFile(file2);
      viaClient.agentStart.push(agentAt - t0);
      viaClient.reply.push(replied - t0);
      marks.push({ id: task.id, t0, agentAt });
    }
    if (i >= 0 && (i + 1) % 5 === 0) progress(`launch ${i + 1}/${n}: cli ${cli.agentStart.at(-1).toFixed(0)} ms, client ${viaClient.agentStart.at(-1).toFixed(1)} ms`);
  }

  // Where the client's launch time goes: journal times (ms) of created / running, the runner's own start.
  const journal = readJournal(h.journal);
  for (const { id, t0, agentAt } of marks) {
    const created = journal.find((e) => e.type === 'created' && e.task.id === id)?.at;
    const running = journal.find((e) => e.type === 'updated' && e.id === id && e.patch.state === 'running')?.at;
    const startedFile = join(h.tasks, id, 'started.json');
    const runnerAt = existsSync(startedFile) ? JSON.parse(readFileSync(startedFile, 'utf8')).startedAt : NaN;
    viaClient.toCreated.push(created - t0);
    viaClient.toRunning.push(running - created);
    viaClient.toRunner.push(runnerAt - running);
    viaClient.runnerToAgent.push(agentAt - runnerAt);
  }

  await teardown(h, ctl, client);
  const s = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, summarize(v)]));
  return { n, nodeBare: summarize(nodeBare), cliHelp: summarize(cliHelp), cli: s(cli), client: s(viaClient) };
}
