#!/usr/bin/env node
// Records docs/tmux-example.txt: a real 240x60 tmux window with a main pane and four panecrew tasks,
// as a person attached to it sees it. `npm run build && node scripts/record-tmux-example.mjs`.
// Everything runs on private tmux servers and a throw-away PANECREW_HOME.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');
const work = `pc-example-${process.pid}`;
const view = `${work}-view`;
const tmux = (server, ...args) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' }).trimEnd();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'panecrew-example-'));
const config = join(dir, 'config.yaml');
writeFileSync(config, 'background_task:\n  resourceGate: { enabled: false }\ntmux:\n  close_delay_ms: 1m\nnotification:\n  desktop: { enabled: false }\n');
const env = { ...process.env, PANECREW_HOME: join(dir, 'home'), PANECREW_CONFIG: config, NO_COLOR: '1' };
delete env.TMUX;
delete env.TMUX_PANE;

const TASKS = [
  ['explore the auth code', 'for f in login session token refresh logout; do echo "Read src/auth/$f.ts"; sleep 0.4; done; echo; echo "auth: 5 files, JWT in token.ts:41"'],
  ['research OAuth PKCE', 'for s in "RFC 7636 §4.1 code_verifier" "§4.2 code_challenge S256" "§4.4 authorization request" "§4.5 token request"; do echo "grep \'$s\'"; sleep 0.5; done'],
  ['lint and fix', 'for i in 20 40 60 80; do echo "PANECREW_PROGRESS $i eslint: $((i / 20)) of 5 folders"; echo "fixed $i issues"; sleep 0.5; done'],
  ['run the tests', 'for t in engine queue liveness durability; do echo "✓ test/engine/$t.test.ts"; sleep 0.5; done; echo "Tests 31 passed"'],
];

try {
  tmux(work, '-f', '/dev/null', 'new-session', '-d', '-x', '240', '-y', '60', '-s', 'work', '--', 'sh', '-c', 'echo "main pane: you, or your main agent, keep working here"; exec sleep 3600');
  const main = tmux(work, 'display', '-p', '-t', 'work:', '#{pane_id}');
  tmux(work, 'select-pane', '-t', main, '-T', 'main pane');
  tmux(work, 'set-option', '-g', 'pane-border-status', 'top');
  tmux(work, 'set-option', '-g', 'pane-border-format', ' #{pane_title} ');
  const socket = tmux(work, 'display', '-p', '-t', main, '#{socket_path}');
  const fromMain = { ...env, TMUX: `${socket},1,0`, TMUX_PANE: main };
  for (const [title, prompt] of TASKS) {
    execFileSync('node', [CLI, 'launch', '--agent', 'shell', '--title', title, '--prompt', prompt], { env: fromMain, cwd: dir });
  }
  // A client attached to the work session inside a second tmux server, so the capture shows the
  // whole window as a person sees it: borders, titles, status line.
  const viewer = spawn('tmux', ['-L', view, '-f', '/dev/null', 'new-session', '-d', '-x', '240', '-y', '61', '-s', 'view', '--', 'env', '-u', 'TMUX', 'tmux', '-L', work, 'attach', '-t', 'work'], { stdio: 'ignore' });
  await new Promise((r) => viewer.once('exit', r));
  await sleep(1500);
  const screen = tmux(view, 'capture-pane', '-p', '-t', 'view:');
  const geometry = tmux(work, 'list-panes', '-t', 'work:', '-F', '#{pane_id} #{pane_width}x#{pane_height} at #{pane_left},#{pane_top}  #{@panecrew_task} #{pane_title}');
  writeFileSync(
    join(ROOT, 'docs/tmux-example.txt'),
    `panecrew — a 240x60 tmux window: the main pane and four agent panes, layout main-vertical
(main_pane_size 60, main_pane_min_width 120, agent_pane_min_width 40), tmux 3.3a.
Recorded by scripts/record-tmux-example.mjs: four shell tasks launched with \`panecrew launch\` from
the main pane, seen through a client attached to the window (pane-border-status on for the titles).

${geometry}

${screen}
`,
  );
  console.log('wrote docs/tmux-example.txt');
} finally {
  for (const server of [view, work]) {
    try {
      tmux(server, 'kill-server');
    } catch {
      // already gone
    }
  }
  execFileSync('node', [CLI, 'controller', 'stop'], { env });
  rmSync(dir, { recursive: true, force: true });
}
