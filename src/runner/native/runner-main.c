// panecrew-runner TASK_DIR headless|pane [START_TOKEN]: a pane's runner, started by tmux.
#include "runner.h"

int main(int argc, char **argv) { return runner_main(argc, argv); }
