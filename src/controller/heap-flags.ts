// The controller's young generation stays near V8's initial size (4 MB of new space measured) instead
// of growing to 16-32 MB while the modules load: an idle controller allocates little, and the grown
// space stays resident for good (about 10 MB of RSS). The trade, measured in docs/benchmarks.md:
// more frequent (cheap) scavenges under load. V8 reads the growth factor when a scavenge decides to
// grow, so it takes effect at run time, but only before the space has grown: it must be the first
// import of whatever a controller process evaluates first (the CLI's entry, and main.ts). Not of
// client.ts: that runs inside other hosts (the OpenCode plugin, in OpenCode's Bun runtime, stopped
// waking its session when client.ts set this). The short-lived CLI processes get it too; their
// start-up time was unchanged within the noise of 15-run timings.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
