// panecrew's task runner: starts one task's agent, in a tmux pane or headless, and records how it ended.
//   panecrew-runner TASK_DIR headless|pane [START_TOKEN]
// It is C, not a shell script, so that a task costs two processes (this one and its agent) and no
// copy process: on a busy machine every fork and exec is milliseconds. It never evaluates task text:
// the agent's cwd, argv and environment are NUL-separated fields of run.nul, written by the
// controller, passed to chdir and execve as they are. In a pane, the agent's output goes to the pane
// too; the pane manager shows the outcome afterwards. A runner started by the controller's spawner
// (PANECREW_SPAWNER=1) tells it on fd 9 the status it ends with, whatever ends it but a SIGKILL
// (see spawner.c).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "runner.h"

extern char **environ;

/** A daemon the agent left behind may hold its output open: the copy waits this long after the agent's end, no more. */
#define DRAIN_MS 2000
/** The renderer shows the end (result, tokens, cost) after the output ends; a pane is no reason to hold up the task's end. */
#define RENDERER_MS 5000

static const char *dir, *mode;
static char started_ms[24];
static int reporting; // PANECREW_SPAWNER=1: report the exit status on fd 9
static int ended;     // exit.json written (or given up)
static pid_t agent = -1;

/** Milliseconds on a clock: CLOCK_REALTIME for the records, CLOCK_MONOTONIC for deadlines. */
static long long clock_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static char *path_of(const char *name) {
  char *p;
  if (asprintf(&p, "%s/%s", dir, name) < 0) exit(70);
  return p;
}

static int is_file(const char *name) {
  struct stat st;
  char *p = path_of(name);
  int yes = stat(p, &st) == 0 && S_ISREG(st.st_mode);
  free(p);
  return yes;
}

/** The runner's status goes to the spawner, then the runner goes. */
static _Noreturn void finish(int status) {
  if (reporting) dprintf(9, "ended %d %d\n", (int)getpid(), status); // SIGPIPE is ignored: a controller gone has no reader
  exit(status);
}

/** A file's whole content, NUL-terminated; NULL when it cannot be read. */
static char *read_file(const char *name, size_t *len) {
  char *p = path_of(name);
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  free(p);
  if (fd < 0) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1))) exit(70);
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      free(buf);
      close(fd);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *len = n;
  return buf;
}

/** A NUL-separated file as a NULL-terminated array (the last item may lack its NUL); NULL when unreadable. */
static char **read_nul_list(const char *name, size_t *count) {
  size_t len;
  char *text = read_file(name, &len);
  if (!text) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len; i += strlen(text + i) + 1) n++;
  char **items = calloc(n + 1, sizeof *items);
  if (!items) exit(70);
  n = 0;
  for (size_t i = 0; i < len; i += strlen(text + i) + 1) items[n++] = text + i;
  *count = n;
  return items;
}

static const char *const SIGNAL_NAMES[] = {NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
                                           "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

/** The signal's name as bash's `kill -l` gives it (TERM, RTMIN+3); "" for none. */
static void signal_name(int n, char *out, size_t size) {
  if (n > 0 && n < (int)(sizeof SIGNAL_NAMES / sizeof *SIGNAL_NAMES)) snprintf(out, size, "%s", SIGNAL_NAMES[n]);
  else if (n == SIGRTMIN) snprintf(out, size, "RTMIN");
  else if (n == SIGRTMAX) snprintf(out, size, "RTMAX");
  else if (n > SIGRTMIN && n <= SIGRTMIN + 15) snprintf(out, size, "RTMIN+%d", n - SIGRTMIN);
  else if (n > SIGRTMIN + 15 && n < SIGRTMAX) snprintf(out, size, "RTMAX-%d", SIGRTMAX - n);
  else *out = 0;
}

/** Runs argv with a 5 s limit, its output discarded (tmux, to leave the exit status on the pane). */
static void run_briefly(char *const argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    reset_signals();
    execvp(argv[0], argv);
    _exit(127);
  }
  for (int i = 0; pid > 0 && i < 100; i++) {
    if (waitpid(pid, NULL, WNOHANG) != 0) return;
    usleep(50000);
  }
  if (pid > 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
  }
}

/**
 * exit.json is the one record of how the agent ended, written once by one write(2) of a line that
 * ends with a newline: readers take a file without its final newline (empty: created, not yet
 * written) as no record yet (runner/exit-record.ts). No tmp + rename. On a full disk the write fails:
 * retry a few seconds with the smallest record (space may come back), then give up and leave no file.
 * The runner's own exit status is the agent's code either way, for the controller to read when
 * exit.json is missing; a pane's runner also leaves it on its pane (a tmux option: no disk needed).
 * Notes are fixed texts, never task text (they are not JSON-escaped).
 */
static void write_exit(int code, const char *signal, const char *note) {
  if (ended) return;
  ended = 1;
  char sig[32] = "null", record[512], *file = path_of("exit.json");
  if (*signal) snprintf(sig, sizeof sig, "\"%s\"", signal);
  for (int tries = 0;; tries++) {
    int len = tries == 0 ? snprintf(record, sizeof record, "{\"code\":%d,\"signal\":%s,\"startedAt\":%s,\"endedAt\":%lld,\"note\":%s%s%s}\n", code, sig, started_ms, clock_ms(CLOCK_REALTIME), note ? "\"" : "", note ? note : "null", note ? "\"" : "")
                         : snprintf(record, sizeof record, "{\"code\":%d,\"signal\":%s,\"startedAt\":%s,\"endedAt\":%lld}\n", code, sig, started_ms, clock_ms(CLOCK_REALTIME));
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int ok = fd >= 0 && write(fd, record, (size_t)len) == len;
    if (fd >= 0 && close(fd) != 0) ok = 0;
    if (ok) break;
    if (tries >= 25) {
      unlink(file);
      const char *pane = getenv("TMUX_PANE");
      if (strcmp(mode, "pane") == 0 && pane && *pane) {
        char status[16];
        snprintf(status, sizeof status, "%d", code);
        run_briefly((char *const[]){"tmux", "set-option", "-p", "-t", (char *)pane, "@panecrew_exit", status, NULL});
      }
      break;
    }
    usleep(200000);
  }
  free(file);
}

/** The task cannot start: say why in exit.json and end with 127 (command not found), never 0. */
static _Noreturn void fail_start(const char *note) {
  write_exit(127, "", note);
  finish(127);
}

/** The pane closed, tmux died, or the task was cancelled: stop the agent and say so before going. */
static _Noreturn void on_signal(int n) {
  char name[16], note[64];
  signal_name(n, name, sizeof name);
  snprintf(note, sizeof note, "runner received SIG%s", name);
  if (agent > 0) kill(agent, SIGTERM);
  write_exit(128 + n, name, note);
  finish(128 + n);
}

/** Starts the pane's renderer reading from a pipe; the pipe's write end, or -1 (the pane gets the output as it is). */
static int start_renderer(char **argv, pid_t *pid) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  *pid = fork();
  if (*pid == 0) {
    dup2(fds[0], 0);
    reset_signals();
    execvp(argv[0], argv);
    fprintf(stderr, "panecrew: cannot start the pane renderer %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[0]);
  if (*pid < 0) {
    close(fds[1]);
    return -1;
  }
  return fds[1];
}

/** Reaps what has ended; the agent's wait status goes to *agent_status. */
static void reap(pid_t renderer, int *agent_status, int *renderer_done) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == agent) {
      *agent_status = status;
      agent = -1; // reaped: its pid may be another process's soon, never to be signalled
    }
    if (pid == renderer) *renderer_done = 1;
  }
}

static int parse_count(const char *s, unsigned long long *out) {
  if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18) return 0;
  *out = strtoull(s, NULL, 10);
  return 1;
}

/** The output cap, "HEAD TAIL" in bytes, both whole numbers; anything else (or "") is no cap. */
static void parse_cap(const char *field, unsigned long long *head, unsigned long long *tail) {
  char *text = strdup(field);
  if (!text) exit(70);
  *head = *tail = 0;
  char *save, *a = strtok_r(text, " \t", &save), *b = strtok_r(NULL, " \t", &save);
  if (!a || !b || strtok_r(NULL, " \t", &save) || !parse_count(a, head) || !parse_count(b, tail)) *head = *tail = 0;
  free(text);
}

int runner_main(int argc, char **argv) {
  if (argc < 3 || argc > 4 || (strcmp(argv[2], "pane") != 0 && strcmp(argv[2], "headless") != 0)) {
    fprintf(stderr, "usage: panecrew-runner TASK_DIR headless|pane [START_TOKEN]\n");
    return 2;
  }
  // The folder's files are named from it after the agent's cwd was entered: make it absolute.
  char here[4096];
  if (argv[1][0] == '/' || !getcwd(here, sizeof here)) dir = argv[1];
  else if (asprintf((char **)&dir, "%s/%s", here, argv[1]) < 0) return 70;
  mode = argv[2];
  const char *token = argc == 4 ? argv[3] : "";
  int pane = strcmp(mode, "pane") == 0;
  snprintf(started_ms, sizeof started_ms, "%lld", clock_ms(CLOCK_REALTIME));
  const char *spawner = getenv("PANECREW_SPAWNER");
  reporting = spawner && strcmp(spawner, "1") == 0;
  unsetenv("PANECREW_SPAWNER");
  if (reporting) fcntl(9, F_SETFD, FD_CLOEXEC); // the agent never gets the report pipe

  // Signals are read from a signalfd in the loop below, never handled in the middle of a step.
  sigset_t handled;
  sigemptyset(&handled);
  for (int s = 0, list[] = {SIGHUP, SIGTERM, SIGINT, SIGCHLD}; s < 4; s++) sigaddset(&handled, list[s]);
  signal(SIGCHLD, SIG_DFL); // inherited as ignored, children would be reaped unseen and the runner wait forever
  sigprocmask(SIG_BLOCK, &handled, NULL);
  int sigfd = signalfd(-1, &handled, SFD_CLOEXEC);
  signal(SIGPIPE, SIG_IGN);

  // The runner holds its folder's run.nul open (fd 8) for its whole life, and gives it to no one it
  // starts: /proc/PID/fd then tells this folder's runner from a process that took its pid after it.
  char *run_file = path_of("run.nul");
  int held = open(run_file, O_RDONLY | O_CLOEXEC);
  if (held >= 0 && held != 8) {
    dup3(held, 8, O_CLOEXEC);
    close(held);
  }
  free(run_file);

  // Claim this start before touching the folder: start.TOKEN, created only where there is nothing of
  // that name (O_EXCL), holding our pid. A controller restarted after a crash takes the claim of a
  // start it never saw begin (tmux may run it seconds later) with a file of its own (also O_EXCL), and
  // requeues the task; this runner must then leave the folder, now a newer attempt's, alone.
  if (*token) {
    char name[256];
    snprintf(name, sizeof name, "start.%s", token);
    char *claim = path_of(name);
    int fd = open(claim, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    free(claim);
    if (fd < 0) {
      fprintf(stderr, "panecrew: this start was given up by a restarted controller; the task runs again elsewhere\n");
      finish(1);
    }
    dprintf(fd, "%d\n", (int)getpid());
    close(fd);
  }

  // run.nul, written by the controller before it starts the runner, holds what to run, as
  // NUL-terminated fields: the working directory, the output cap ("HEAD TAIL", or "" for none), the
  // number of arguments, the arguments, then the environment to the end (runner/run-file.ts).
  if (!is_file("run.nul")) fail_start("the task folder has no run.nul: it was not prepared completely");
  size_t fields, argc_agent;
  char **run = read_nul_list("run.nul", &fields);
  if (!run) fail_start("cannot read run.nul");
  unsigned long long count;
  if (fields < 4 || !parse_count(run[2], &count) || count < 1 || count > fields - 3) fail_start("run.nul is damaged: it names no command to run");
  argc_agent = (size_t)count;
  char **agent_argv = calloc(argc_agent + 1, sizeof *agent_argv);
  if (!agent_argv) exit(70);
  memcpy(agent_argv, run + 3, argc_agent * sizeof *agent_argv);
  char **agent_env = run + 3 + argc_agent; // NULL-terminated, like run
  if (chdir(run[0]) != 0) fail_start("cannot enter the working directory named in run.nul");
  char *started_file = path_of("started.json");
  FILE *started = fopen(started_file, "we");
  if (started) {
    fprintf(started, "{\"pid\":%d,\"startedAt\":%s}\n", (int)getpid(), started_ms);
    fclose(started);
  }
  const char *input = is_file("stdin") ? path_of("stdin") : "/dev/null";
  unsigned long long cap_head, cap_tail;
  parse_cap(run[1], &cap_head, &cap_tail);

  // An interactive agent (tty-argv.nul, in a pane) gets the pane's terminal itself: its screen is its
  // TUI, not a log, and its state comes from its own hooks (signals.jsonl).
  int tty = pane && is_file("tty-argv.nul");
  if (tty) {
    agent_argv = read_nul_list("tty-argv.nul", &argc_agent);
    if (!agent_argv) fail_start("cannot read tty-argv.nul");
    if (argc_agent == 0) fail_start("tty-argv.nul is empty: there is no command to run");
  }

  // The pane's copy: the terminal itself, or, for an agent that writes JSON events (pane-render.nul:
  // the renderer's argv, written by the controller), a renderer that shows them as text. The renderer
  // gets a copy only: output.log keeps the raw stream.
  pid_t renderer = -1;
  int pane_copy = -1;
  size_t renderc;
  char **render = pane && !tty && is_file("pane-render.nul") ? read_nul_list("pane-render.nul", &renderc) : NULL;
  if (render && renderc > 0) pane_copy = start_renderer(render, &renderer);
  if (pane && pane_copy < 0) pane_copy = 1;

  // The agent's output goes to output.log (and the pane) through this runner, which caps the log; a
  // headless agent with no cap writes the log itself. exit.json waits for the output to end, so that
  // the log is complete when the controller reads it.
  char *log = path_of("output.log");
  int copying = !tty && (pane || (cap_head > 0 && cap_tail > 0));
  int out[2] = {-1, -1};
  if (copying && pipe2(out, O_CLOEXEC) != 0) copying = 0;
  int direct = !tty && !copying ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666) : -1;
  struct output output;
  if (copying) output_open(&output, log, cap_head, cap_tail, pane_copy);

  // A worktree's setup ran before the runner (its output is in setup.log): show it in the pane first.
  size_t setup_len;
  char *setup = pane ? read_file("setup.log", &setup_len) : NULL;
  if (setup && setup_len > 0) {
    printf("── setup ──\n");
    fwrite(setup, 1, setup_len, stdout);
    printf("───────────\n");
  }
  fflush(stdout);

  agent = fork();
  if (agent == 0) {
    if (!tty) {
      int in = open(input, O_RDONLY);
      int to = copying ? out[1] : direct;
      if (in < 0 || to < 0) _exit(127);
      dup2(in, 0);
      dup2(to, 1);
      dup2(to, 2);
    }
    reset_signals();
    environ = agent_env;
    execvp(agent_argv[0], agent_argv);
    int code = errno == ENOENT ? 127 : 126;
    fprintf(stderr, "panecrew: cannot run %s: %s%s\n", agent_argv[0], strerror(errno),
            code == 127 ? " (is it installed, and on the PATH of the shell the task was launched from?)" : "");
    _exit(code);
  }
  if (agent < 0) fail_start("cannot start the agent: no process could be created");
  if (copying) close(out[1]);
  if (direct >= 0) close(direct);

  // Until the agent has ended and its output has (or DRAIN_MS after its end, whichever is first).
  int agent_status = -1, renderer_done = 0;
  long long drain_until = 0;
  char buf[65536];
  while (agent_status == -1 || (copying && clock_ms(CLOCK_MONOTONIC) < drain_until)) {
    struct pollfd fds[2] = {{.fd = sigfd, .events = POLLIN}, {.fd = copying ? out[0] : -1, .events = POLLIN}};
    int wait_ms = agent_status == -1 ? -1 : (int)(drain_until - clock_ms(CLOCK_MONOTONIC));
    if (poll(fds, 2, wait_ms < 0 && agent_status != -1 ? 0 : wait_ms) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info;
      if (read(sigfd, &info, sizeof info) == sizeof info && info.ssi_signo != SIGCHLD) on_signal((int)info.ssi_signo);
      reap(renderer, &agent_status, &renderer_done);
      if (agent_status != -1 && !drain_until) drain_until = clock_ms(CLOCK_MONOTONIC) + DRAIN_MS;
    }
    if (copying && fds[1].revents) {
      ssize_t r = read(out[0], buf, sizeof buf);
      if (r > 0) output_write(&output, buf, (size_t)r);
      else if (r == 0 || errno != EINTR) {
        close(out[0]);
        copying = 0;
        output_close(&output);
      }
    }
  }
  if (copying) {
    close(out[0]);
    output_close(&output);
  }
  int code = WIFSIGNALED(agent_status) ? 128 + WTERMSIG(agent_status) : WEXITSTATUS(agent_status);
  char signal_text[16] = "";
  if (code > 128) signal_name(code - 128, signal_text, sizeof signal_text);

  // The renderer shows the end once its input closes: before the ending banner, RENDERER_MS at most.
  if (renderer > 0) {
    close(pane_copy);
    for (long long until = clock_ms(CLOCK_MONOTONIC) + RENDERER_MS; !renderer_done;) {
      struct pollfd fd = {.fd = sigfd, .events = POLLIN};
      long long left = until - clock_ms(CLOCK_MONOTONIC);
      if (left <= 0) {
        kill(renderer, SIGTERM);
        break;
      }
      if (poll(&fd, 1, (int)left) > 0) {
        struct signalfd_siginfo info;
        if (read(sigfd, &info, sizeof info) == sizeof info && info.ssi_signo != SIGCHLD) on_signal((int)info.ssi_signo);
        reap(renderer, &agent_status, &renderer_done);
      }
    }
  }
  write_exit(code, signal_text, NULL);
  finish(code);
}
