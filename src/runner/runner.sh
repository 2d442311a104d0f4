#!/usr/bin/env bash
# panecrew task runner: starts one task's agent, in a tmux pane or headless, and records how it ended.
#
# It is bash, not Node, so that a task start costs a couple of milliseconds. It never evaluates task
# text: the agent's argv and environment are NUL-separated files written by the controller and read
# here as data (mapfile), then passed as an argv array. Usage:
#   runner.sh TASK_DIR headless|pane [START_TOKEN]
# In a pane, the agent's output goes to the pane too; the pane manager shows the outcome afterwards.
# The controller's spawner (spawner.sh) sources this file once and runs each headless start as
# runner_main in a fork of itself: no bash to start and no script to read per task. So everything
# here is a function, and the runner's pid is $BASHPID (in a fork, $$ is the spawner's).
set -u

# Every process a task start or end costs is felt (a fork and an exec each take milliseconds on a
# busy machine, and the agent's exit waits for them): what bash can do itself it does, with printf -v
# instead of $(...) subshells.
# EPOCHREALTIME uses the locale's decimal separator (a comma in de_DE): keep the digits only.
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; printf -v "$1" '%s' "${t:0:13}"; }

# exit.json is the one record of how the agent ended, written once by one write(2) of a line that
# ends with a newline: readers take a file without its final newline (empty: created, not yet
# written) as no record yet (runner/exit-record.ts). No tmp + rename: `mv` is a process, on the path
# of every task's end. On a full disk the write fails: retry a few seconds with the smallest record
# (space may come back), then give up and leave no file. The runner's own exit status is the agent's
# code either way, for the controller to read when exit.json is missing: a headless runner reports it
# to the spawner (runner_main's EXIT trap); a pane's runner leaves it on its pane (a tmux option: no disk needed), set
# before it exits so it is there when the controller sees the runner gone. Notes are fixed texts, never task text (they are not JSON-escaped).
write_exit() { # code signal note
  [ "$ended" = 1 ] && return
  ended=1
  local sig=null note=null tries=0
  [ -n "$2" ] && sig="\"$2\""
  [ -n "$3" ] && note="\"$3\""
  local record now
  now_ms now
  printf -v record '{"code":%s,"signal":%s,"startedAt":%s,"endedAt":%s,"note":%s}\n' "$1" "$sig" "$started" "$now" "$note"
  until { printf '%s' "$record" >"$dir/exit.json"; } 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 25 ]; then
      rm -f "$dir/exit.json"
      [ "$mode" = pane ] && [ -n "${TMUX_PANE:-}" ] && timeout 5 tmux set-option -p -t "$TMUX_PANE" @panecrew_exit "$1" 2>/dev/null
      return 1
    fi
    now_ms now
    printf -v record '{"code":%s,"signal":%s,"startedAt":%s,"endedAt":%s}\n' "$1" "$sig" "$started" "$now"
    sleep 0.2
  done
}

# The task cannot start: say why in exit.json and end with 127 (command not found), never 0.
fail_start() { # note
  write_exit 127 "" "$1"
  exit 127
}

# The pane closed, tmux died, or the task was cancelled: stop the agent and say so before going.
on_signal() { # signal-name code
  [ -n "$agent" ] && kill -TERM "$agent" 2>/dev/null
  write_exit "$2" "$1" "runner received SIG$1"
  exit "$2"
}
# Copies stdin to output.log (and to the pane, fd 4) as it comes, at most half the cap per `dd` (it
# writes each read at once, where `head -c` holds it in a stdio buffer; it counts reads, short ones
# too, so a chunk may be less), and cuts the middle out whenever the log outgrows the cap by half
# (so it stays under 1.5 times the cap while the agent runs, and under the cap when it ends): head,
# one marker line saying how many bytes it stands for (src/runner/output-cap.ts reads it), the tail,
# in a new file renamed over the old one. It is the log's only writer, so nothing is lost between
# the copy and the rename. The log's size is read from fd 5's offset (appends move it to the end):
# no process per chunk but `dd` (and `tee` in a pane). A failed write (a full disk) drops that
# chunk, never ends the copy, which would kill the agent with SIGPIPE.
capped_copy() {
  local chunk=$(((cap_head + cap_tail) / 2)) size=0 dropped=0 marker=0 pos got ok line
  exec 5>>"$log"
  while :; do
    if [ "$mode" = pane ]; then
      dd bs=4K count="$chunk" iflag=count_bytes status=none | tee -p -a /dev/fd/4 >&5
      ok=$((PIPESTATUS[0] + PIPESTATUS[1]))
    else
      dd bs=4K count="$chunk" iflag=count_bytes status=none >&5
      ok=$?
    fi
    read -r _ pos <"/proc/$BASHPID/fdinfo/5"
    got=$((pos > size ? pos - size : 0))
    size=$((size + got))
    if [ "$size" -gt $((cap_head + marker + cap_tail + chunk)) ] || { [ "$got" = 0 ] && [ "$size" -gt $((cap_head + marker + cap_tail)) ]; }; then
      dropped=$((dropped + size - cap_tail - cap_head - marker))
      line=$'\n'"[panecrew: $dropped bytes of output dropped here; output.log keeps the first $cap_head and the last $cap_tail bytes]"$'\n'
      if { head -c "$cap_head" "$log" && printf '%s' "$line" && tail -c "$cap_tail" "$log"; } >"$log.tmp" 2>/dev/null && mv -f "$log.tmp" "$log"; then
        marker=${#line}
        size=$((cap_head + marker + cap_tail))
        exec 5>>"$log"
      else
        rm -f "$log.tmp"
        dropped=$((dropped - (size - cap_tail - cap_head - marker)))
      fi
    fi
    [ "$ok" = 0 ] && [ "$got" = 0 ] && return 0 # nothing read, nothing failed: the end
  done
}

# TASK_DIR MODE [START_TOKEN]: the whole run. A runner started by the spawner (PANECREW_SPAWNER=1)
# tells it on fd 9 the status it ends with, whatever ends it but a SIGKILL: the spawner only learns
# that its child is gone, and a runner gone with no report was killed by a signal. SIGPIPE is ignored
# for that last write only (a controller gone has no reader), never for the agent, which never gets fd 9.
runner_main() {
  dir=$1
  mode=${2:-headless}
  token=${3:-}
  log="$dir/output.log"
  now_ms started
  agent=""
  ended=0
  if [ "${PANECREW_SPAWNER:-}" = 1 ]; then
    unset PANECREW_SPAWNER
    trap 'status=$?; trap "" PIPE; { printf "ended %s %s\n" "$BASHPID" "$status" >&9; } 2>/dev/null; exit "$status"' EXIT
  fi
  trap 'on_signal HUP 129' HUP
  trap 'on_signal TERM 143' TERM
  trap 'on_signal INT 130' INT

  # The runner holds its folder's cwd file open (fd 8) for its whole life, and gives it to no one it
  # starts: /proc/PID/fd then tells this folder's runner from a process that took its pid after it
  # (a runner forked by the spawner has the spawner's command line, not the folder's name).
  { exec 8<"$dir/cwd"; } 2>/dev/null || :

  # Claim this start before touching the folder: start.TOKEN, created only where there is nothing of
  # that name (noclobber opens with O_EXCL), holding our pid. A controller restarted after a crash takes
  # the claim of a start it never saw begin (tmux may run it seconds later) with a file of its own
  # (also O_EXCL), and requeues the task; this runner must then leave the folder, now a newer attempt's, alone.
  if [ -n "$token" ]; then
    set -C
    if ! { printf '%s\n' "$BASHPID" >"$dir/start.$token"; } 2>/dev/null; then
      echo "panecrew: this start was given up by a restarted controller; the task runs again elsewhere" >&2
      exit 1
    fi
    set +C
  fi

  # The controller writes the whole folder before starting the runner; a part missing means it was not
  # prepared (or was damaged): `env -i` with no command would print the environment and exit 0.
  for part in argv.nul env.nul cwd; do
    [ -f "$dir/$part" ] || fail_start "the task folder has no $part: it was not prepared completely"
  done
  mapfile -d '' -t argv <"$dir/argv.nul" || fail_start "cannot read argv.nul"
  mapfile -d '' -t envv <"$dir/env.nul" || fail_start "cannot read env.nul"
  [ "${#argv[@]}" -gt 0 ] || fail_start "argv.nul is empty: there is no command to run"
  IFS= read -r -d '' workdir <"$dir/cwd"
  cd -- "$workdir" 2>/dev/null || fail_start "cannot enter the working directory named in cwd"
  printf '{"pid":%s,"startedAt":%s}\n' "$BASHPID" "$started" >"$dir/started.json"
  input=/dev/null
  [ -f "$dir/stdin" ] && input="$dir/stdin"

  # output.cap ("HEAD TAIL", bytes) caps output.log: the first HEAD and the last TAIL bytes are kept.
  cap_head=0 cap_tail=0
  [ -f "$dir/output.cap" ] && read -r cap_head cap_tail <"$dir/output.cap"
  [[ "$cap_head" =~ ^[0-9]+$ && "$cap_tail" =~ ^[0-9]+$ ]] || cap_head=0 cap_tail=0

  # The pane's copy goes to fd 4: the terminal itself, or, for an agent that writes JSON events
  # (pane-render.nul: the renderer's argv, written by the controller), a renderer that shows them as
  # text. The renderer gets a copy only: output.log keeps the raw stream. tee -p goes on writing the
  # log if the renderer dies. An interactive agent writes to the terminal itself: no renderer then.
  renderer=""
  exec 4>&1
  if [ "$mode" = pane ] && [ -f "$dir/pane-render.nul" ] && [ ! -f "$dir/tty-argv.nul" ] && mapfile -d '' -t render <"$dir/pane-render.nul" && [ "${#render[@]}" -gt 0 ]; then
    exec 4> >(exec "${render[@]}" 3>&- 4>&- 8<&-)
    renderer=$!
  fi

  # The agent's output goes to output.log (and the pane); exit.json waits for the copy to drain so that
  # the log is complete when the controller reads it. The copy is a coprocess: its input is fd 3, and
  # its own stdout, which only it holds (fd 7 where the copy writes to the pane), ends when it does, so
  # the runner waits for that end with `read -t` instead of a guard process.
  copier=""
  if [ "$cap_head" -gt 0 ] && [ "$cap_tail" -gt 0 ]; then
    coproc copy { exec 8<&-; capped_copy; }
  elif [ "$mode" = pane ]; then
    coproc copy { exec tee -p -a "$log" 7>&1 >&4 8<&-; }
  else
    exec 3>>"$log"
  fi
  if [ -n "${copy_PID:-}" ]; then
    copier=$copy_PID copy_done=${copy[0]}
    exec 3>&"${copy[1]}"
    eval "exec ${copy[1]}>&-"
  fi
  # A worktree's setup ran before the runner (its output is in setup.log): show it in the pane first.
  if [ "$mode" = pane ] && [ -s "$dir/setup.log" ]; then
    printf '── setup ──\n'
    cat -- "$dir/setup.log" 2>/dev/null
    printf '───────────\n'
  fi
  # An interactive agent (tty-argv.nul, in a pane) gets the pane's terminal itself: its screen is its
  # TUI, not a log, and its state comes from its own hooks (signals.jsonl). `<&0` keeps the terminal as
  # its stdin: bash gives a background command /dev/null otherwise.
  if [ "$mode" = pane ] && [ -f "$dir/tty-argv.nul" ]; then
    mapfile -d '' -t argv <"$dir/tty-argv.nul" || fail_start "cannot read tty-argv.nul"
    [ "${#argv[@]}" -gt 0 ] || fail_start "tty-argv.nul is empty: there is no command to run"
    env -i -- "${envv[@]}" "${argv[@]}" <&0 3>&- 4>&- 8<&- 9>&- &
  else
    env -i -- "${envv[@]}" "${argv[@]}" <"$input" >&3 2>&3 3>&- 4>&- 8<&- 9>&- &
  fi
  agent=$!
  wait "$agent"
  code=$?
  agent=""
  signal=""
  [ "$code" -gt 128 ] && signal=$(kill -l "$((code - 128))" 2>/dev/null)

  exec 3>&-
  if [ -n "$copier" ]; then
    # A daemon the agent left behind may hold the pipe open: give the copy two seconds, no more.
    read -r -t 2 -u "$copy_done" _ 2>/dev/null
    [ $? -gt 128 ] && kill "$copier" 2>/dev/null
    wait "$copier" 2>/dev/null
  fi
  # The renderer shows the end (result, tokens, cost) once the copy has closed its input: before the
  # ending banner. Five seconds, no more (Node may take one or two to start on a loaded machine): a
  # pane is no reason to hold up the task's end.
  exec 4>&-
  if [ -n "$renderer" ]; then
    ( sleep 5; kill "$renderer" 2>/dev/null ) &
    guard=$!
    wait "$renderer" 2>/dev/null
    kill "$guard" 2>/dev/null
  fi
  write_exit "$code" "$signal" ""

  exit "$code"
}

[ "${BASH_SOURCE[0]}" != "$0" ] || runner_main "$@"
