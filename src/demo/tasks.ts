// What the demo launches: explorers of this repository on the built-in agent, two shell tasks that
// report progress (PANECREW_PROGRESS lines, see src/runner/parsers/plain.ts), and a shell task that
// waits for an explorer and reads its result. The shell scripts are ours, not user text.
import { join } from 'node:path';

export interface DemoTask {
  /** Name used for --after references inside this list. */
  name: string;
  title: string;
  prompt: string;
  agent?: string;
  subagentType?: string;
  cwd: string;
  /** Names of earlier tasks in the list this one waits for. */
  after?: string[];
}

const EXPLORED = ['src/controller', 'src/tmux', 'src/runner'];

/** Counts the lines of TypeScript per part of src/, slowly enough to watch the progress bar. */
const LINE_COUNT = String.raw`
dirs=(src/*/)
n=${'$'}{#dirs[@]}
rows=()
total=0
i=0
for d in "${'$'}{dirs[@]}"; do
  i=$((i + 1))
  c=$(find "$d" -name '*.ts' -exec cat {} + 2>/dev/null | grep -c '' || true)
  total=$((total + c))
  rows+=("$(printf '%-12s %6d' "${'$'}{d#src/}" "$c")")
  echo "PANECREW_PROGRESS $((i * 100 / n)) counting ${'$'}{d%/}"
  sleep 0.25
done
echo "$total lines of TypeScript in $n parts of src/"
printf '%s\n' "${'$'}{rows[@]}"
`;

/** Parses the compiled CLI, controller and runner modules with node --check, one process each. */
const SYNTAX_CHECK = String.raw`
files=(dist/cli/*.js dist/cli/verbs/*.js dist/controller/*.js dist/runner/*.js)
n=${'$'}{#files[@]}
bad=0
i=0
for f in "${'$'}{files[@]}"; do
  i=$((i + 1))
  "$PANECREW_DEMO_NODE" --check "$f" || bad=$((bad + 1))
  if [ $((i % 4)) = 0 ] || [ "$i" = "$n" ]; then echo "PANECREW_PROGRESS $((i * 100 / n)) node --check $f"; fi
done
echo "$n compiled modules parsed by node --check, $bad with syntax errors"
[ "$bad" = 0 ]
`;

/** Reads the result of the task it waited for, through the variables panecrew sets. */
const READ_DEPENDENCY = String.raw`
first=$(grep -m1 'begins:' <<<"$PANECREW_DEP_1_RESULT" || head -n 1 <<<"$PANECREW_DEP_1_RESULT")
echo "explorer $PANECREW_DEP_1_ID reported: ${'$'}{first:0:160}"
echo "(the whole result: $PANECREW_DEP_1_RESULT_FILE)"
`;

export function demoTasks(repo: string): DemoTask[] {
  const explorers: DemoTask[] = EXPLORED.map((dir) => ({
    name: `explore:${dir}`,
    title: `explore ${dir}`,
    prompt: `Explore ${dir}: what its files do and how they fit together.`,
    subagentType: 'explore',
    cwd: join(repo, dir),
  }));
  return [
    ...explorers,
    { name: 'lines', title: 'count lines of TypeScript per part', prompt: LINE_COUNT.trim(), agent: 'shell', cwd: repo },
    { name: 'check', title: 'node --check the CLI, controller and runner', prompt: SYNTAX_CHECK.trim(), agent: 'shell', cwd: repo },
    {
      name: 'follow-up',
      title: 'read what the src/controller explorer found',
      prompt: READ_DEPENDENCY.trim(),
      agent: 'shell',
      cwd: repo,
      after: ['explore:src/controller'],
    },
  ];
}
