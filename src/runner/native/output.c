// The runner is the log's only writer, so it cuts the log itself: the head, one marker line saying how
// many bytes it stands for, the tail, written to a new file renamed over the old one. It cuts when
// the log outgrows the cap by half (so it stays under 1.5 times the cap while the agent runs) and once
// more at the end (under the cap when it ends).
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Writes all of buf; the bytes written, fewer on an error.
static size_t write_all(int fd, const char *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, buf + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    done += (size_t)w;
  }
  return done;
}

// Copies len bytes of from, at offset at, to the end of to; 0 when all of them were copied.
static int copy_range(int from, off_t at, int to, uint64_t len) {
  char buf[65536];
  while (len > 0) {
    ssize_t r = pread(from, buf, len < sizeof buf ? len : sizeof buf, at);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || write_all(to, buf, (size_t)r) != (size_t)r) return -1;
    at += r;
    len -= (uint64_t)r;
  }
  return 0;
}

static int open_log(const char *path) {
  return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
}

void output_open(struct output *o, const char *path, uint64_t head, uint64_t tail, int pane) {
  struct stat st;
  *o = (struct output){.path = path, .pane = pane, .head = tail ? head : 0, .tail = head ? tail : 0};
  o->fd = open_log(path);
  if (o->fd >= 0 && fstat(o->fd, &st) == 0) o->size = (uint64_t)st.st_size;
}

// Cuts the middle out of the log; on any failure the log stays as it was, uncut.
static void cut(struct output *o) {
  char tmp[4096], marker[256];
  struct stat st;
  if (fstat(o->fd, &st) != 0) return;
  uint64_t size = (uint64_t)st.st_size;
  uint64_t dropped = o->dropped + (size - o->tail - o->head - o->marker);
  int len = snprintf(marker, sizeof marker, "\n[panecrew: %llu bytes of output dropped here; output.log keeps the first %llu and the last %llu bytes]\n",
                     (unsigned long long)dropped, (unsigned long long)o->head, (unsigned long long)o->tail);
  if (snprintf(tmp, sizeof tmp, "%s.tmp", o->path) >= (int)sizeof tmp) return;
  int from = open(o->path, O_RDONLY | O_CLOEXEC);
  int to = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int ok = from >= 0 && to >= 0 && copy_range(from, 0, to, o->head) == 0 && write_all(to, marker, (size_t)len) == (size_t)len &&
           copy_range(from, (off_t)(size - o->tail), to, o->tail) == 0;
  if (from >= 0) close(from);
  if (to >= 0 && close(to) != 0) ok = 0;
  int fd = ok && rename(tmp, o->path) == 0 ? open_log(o->path) : -1;
  if (fd < 0) {
    unlink(tmp);
    return;
  }
  close(o->fd);
  o->fd = fd;
  o->dropped = dropped;
  o->marker = (uint64_t)len;
  o->size = o->head + o->marker + o->tail;
}

void output_write(struct output *o, const char *buf, size_t n) {
  if (o->pane >= 0 && write_all(o->pane, buf, n) != n && errno == EPIPE) o->pane = -1; // a renderer gone: the log goes on
  if (o->fd < 0) return;
  o->size += write_all(o->fd, buf, n);
  if (o->head && o->size > o->head + o->marker + o->tail + (o->head + o->tail) / 2) cut(o);
}

void output_close(struct output *o) {
  if (o->fd < 0) return;
  if (o->head && o->size > o->head + o->marker + o->tail) cut(o);
  close(o->fd);
  o->fd = -1;
}
