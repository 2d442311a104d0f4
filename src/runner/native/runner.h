// The task runner's whole run, as its own program (runner-main.c) and in a fork of the spawner, which
// runs it without an exec (spawner.c).
#ifndef PANECREW_RUNNER_H
#define PANECREW_RUNNER_H

// argv: the runner's path, TASK_DIR, headless|pane, [START_TOKEN]. Returns only on bad arguments.
int runner_main(int argc, char **argv);

// In a child about to run a program: the signal state it expects (nothing blocked; SIGPIPE and SIGCHLD default).
void reset_signals(void);

#endif
