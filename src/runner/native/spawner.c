// panecrew's spawner: starts the headless runners of one controller, which starts it once. A start is
// then a request on a pipe and a fork of this small process, never a fork of the ~70 MB controller
// (Node's spawn forks the controller and waits for the child's exec: milliseconds per task on a busy
// machine). As their parent, it also learns at once when each one is gone.
//
// Requests on stdin, NUL-terminated fields: an id, the number N of arguments, the N arguments. Replies
// on stdout, one line each, written whole by one write (shorter than PIPE_BUF):
//   started ID PID   the command runs as PID, leading a process group of its own (so that a signal to
//                    -PID reaches everything it starts); its stdin, stdout and stderr are /dev/null
//   ended PID CODE   written by the runner itself as it exits (on fd 9, with PANECREW_SPAWNER=1)
//   gone PID         PID is gone; without `ended` before it, a signal killed it
//   failed ID ERRNO  no process could be created (fork failed: the machine's or container's limit)
// A controller that dies closes stdin: the spawner goes, and what runs goes on (the next controller
// adopts it). A start of the runner (panecrew-runner, next to this program) runs it in the fork
// itself: no exec per task. Its command line is then the spawner's; the executor tells a runner by
// the file of its folder it holds open (runner.c, fd 8).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

/** A request's fields may not exceed this, all together (argv and the environment are in the task folder). */
#define REQUEST_MAX (1 << 20)

static void reply(const char *line, int len) {
  while (write(1, line, (size_t)len) < 0 && errno == EINTR) {
  }
}

static char runner_path[4096];
static int sigfd;

static void start(const char *id, int argc, char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    close(sigfd);
    setpgid(0, 0);
    reset_signals();
    int null = open("/dev/null", O_RDWR);
    dup2(1, 9);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (null > 2) close(null);
    setenv("PANECREW_SPAWNER", "1", 1);
    if (strcmp(argv[0], runner_path) == 0) exit(runner_main(argc, argv));
    execvp(argv[0], argv);
    _exit(127);
  }
  char line[64];
  if (pid < 0) {
    reply(line, snprintf(line, sizeof line, "failed %s %d\n", id, errno));
    return;
  }
  setpgid(pid, pid); // also here: the group exists before the controller can signal it
  reply(line, snprintf(line, sizeof line, "started %s %d\n", id, (int)pid));
}

/** Takes the whole requests at the start of buf[0..len); the bytes used. */
static size_t take_requests(char *buf, size_t len) {
  size_t used = 0;
  for (;;) {
    char *fields[3 + 4096];
    size_t at = used, count = 0, want = 2;
    while (count < want && at < len) {
      char *end = memchr(buf + at, 0, len - at);
      if (!end) return used;
      fields[count++] = buf + at;
      at = (size_t)(end - buf) + 1;
      if (count == 2) {
        char *rest;
        unsigned long n = strtoul(fields[1], &rest, 10);
        if (*rest || n == 0 || n > 4096) exit(2); // not our controller talking: stop
        want = 2 + n;
      }
    }
    if (count < want) return used;
    fields[count] = NULL;
    start(fields[0], (int)(count - 2), fields + 2);
    used = at;
  }
}

int main(void) {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  signal(SIGCHLD, SIG_DFL); // inherited as ignored, runners would be reaped unseen: no `gone`
  sigprocmask(SIG_BLOCK, &chld, NULL);
  sigfd = signalfd(-1, &chld, SFD_CLOEXEC);
  ssize_t n = readlink("/proc/self/exe", runner_path, sizeof runner_path - 32);
  char *slash = n > 0 ? memrchr(runner_path, '/', (size_t)n) : NULL;
  if (slash) strcpy(slash + 1, "panecrew-runner");
  else runner_path[0] = 0;
  signal(SIGPIPE, SIG_IGN); // a controller gone: the writes fail, the spawner goes at stdin's end
  fcntl(0, F_SETFD, FD_CLOEXEC);
  static char buf[REQUEST_MAX];
  size_t len = 0;
  for (;;) {
    struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = sigfd, .events = POLLIN}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return 1;
    if (fds[1].revents & POLLIN) {
      struct signalfd_siginfo info;
      if (read(sigfd, &info, sizeof info) < 0 && errno != EAGAIN && errno != EINTR) return 1;
      int status;
      pid_t pid;
      char line[32];
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) reply(line, snprintf(line, sizeof line, "gone %d\n", (int)pid));
    }
    if (fds[0].revents) {
      ssize_t r = read(0, buf + len, sizeof buf - len);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return 0;
      len += (size_t)r;
      size_t used = take_requests(buf, len);
      if (used == 0 && len == sizeof buf) return 2; // a request larger than any the controller sends
      memmove(buf, buf + used, len - used);
      len -= used;
    }
  }
}
