// The controller's young generation stays near V8's initial size (4 MB of new space measured) instead
// of growing to 16-32 MB while the modules load: an idle controller allocates little, and the grown
// space stays resident for good (about 10 MB of RSS). The trade, measured in docs/benchmarks.md:
// more frequent (cheap) scavenges under load. V8 reads the growth factor when a scavenge decides to
// grow, so it takes effect at run time, but only before the space has grown: it must be the first
// import of whatever a controller process evaluates first (the CLI's entry, and main.ts). Not of
// client.ts: that runs inside other hosts (the OpenCode plugin, in OpenCode's Bun runtime, stopped
// waking its session when client.ts set this). Only a controller process (`panecrew controller run`)
// sets it: loading node:v8 cost every short-lived CLI call 6-10 ms (issue 16, paired timings).
const isController = process.argv[2] === 'controller' && process.argv[3] === 'run';
if (isController) process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
