#!/usr/bin/env bash
# signal-hook.sh EVENT FILE — what an agent's hook runs (Claude Code hooks, and any vendor whose
# hooks give the event as JSON on stdin): appends ONE line to FILE (the task's signals.jsonl)
#   {"hook":"EVENT","at":<epoch ms>,"payload":<the JSON the agent gave on stdin>}
# Bash builtins and one `tr`, no Node start: a PreToolUse hook holds the agent until it returns.
# The payload is copied, never evaluated: tr only joins a pretty-printed payload onto one line (a
# JSON string cannot hold a raw newline, so no value changes). Not `$(</dev/stdin)`: Claude Code's
# hook stdin is a socket, which cannot be opened by path. Nothing is printed: Claude Code adds a
# SessionStart or UserPromptSubmit hook's output to the model's context. Always exit 0: exit 2
# from a PreToolUse hook would block the tool.
payload=$(tr -d '\n\r')
# Epoch ms without a process: bash 5's EPOCHREALTIME (either decimal mark); macOS's bash 3.2 has
# none, so whole seconds from date there.
if [ -n "${EPOCHREALTIME:-}" ]; then now=${EPOCHREALTIME//[.,]/}; now=${now%???}; else now=$(date +%s)000; fi
# A huge payload (a PostToolUse carries the tool's whole output) would make a line the reader
# drops: keep the event and say how long the payload was instead.
if ((${#payload} > 1000000)); then payload="null,\"payloadChars\":${#payload}"; fi
printf -v line '{"hook":"%s","at":%s,"payload":%s}' "$1" "$now" "${payload:-null}"
exec 2>/dev/null 9>>"$2" || exit 0
# Bash writes a line of up to 4 KiB in one write(), which O_APPEND keeps whole; a longer one takes
# several, and the hooks of parallel tool calls run at once: lock the file for those (flock, where
# util-linux has it) so that lines never interleave.
if ((${#line} >= 4000)) && command -v flock >/dev/null; then flock 9; fi
printf '%s\n' "$line" >&9
exit 0
