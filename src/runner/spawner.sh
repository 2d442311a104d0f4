#!/usr/bin/env bash
# panecrew's spawner: starts the headless runners of one controller, which starts it once. A start is
# then the fork of this small bash, never blocking the controller (Node's spawn forks the ~70 MB
# controller and waits for the child's exec: milliseconds per task on a busy machine).
#
# Requests on stdin, NUL-terminated fields: an id, the number N of arguments, the N arguments. Replies
# on stdout, one line each, written whole (shorter than PIPE_BUF):
#   started ID PID   the command runs as PID, leading a process group of its own (so that a signal to
#                    -PID reaches everything it starts); its stdin, stdout and stderr are /dev/null
#   ended PID CODE   written by the runner itself as it exits (on fd 9, with PANECREW_SPAWNER=1): its status
#   gone PID         PID is gone; without `ended` before it, a signal killed it
# Each command has a waiter, a subshell of this one, since only a process's parent learns that it is
# gone. A controller that dies closes stdin: this loop ends, and what runs goes on (the next
# controller adopts it); a waiter with no one to tell dies of SIGPIPE.
set -u
while IFS= read -r -d '' id && IFS= read -r -d '' n; do
  args=()
  for ((i = 0; i < n; i++)); do
    IFS= read -r -d '' arg || exit 0
    args+=("$arg")
  done
  (
    set -m # job control: the command gets a process group of its own
    PANECREW_SPAWNER=1 "${args[@]}" 9>&1 </dev/null >/dev/null 2>&1 &
    pid=$!
    printf 'started %s %s\n' "$id" "$pid"
    wait "$pid"
    printf 'gone %s\n' "$pid"
  ) 2>/dev/null &
done
