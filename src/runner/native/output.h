// output.log as the runner writes it: every byte the agent writes, copied to the pane too when there
// is one, with the log capped (run.nul's cap: the first HEAD and the last TAIL bytes are kept, and one
// marker line stands for what was cut out between them; src/runner/output-cap.ts reads it).
#ifndef PANECREW_OUTPUT_H
#define PANECREW_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct output {
  const char *path;
  int fd;            // the log, opened for appending; -1 when it cannot be opened
  int pane;          // the pane's copy (the terminal or the renderer); -1 for none
  uint64_t head;     // 0: no cap
  uint64_t tail;
  uint64_t size;     // bytes in the log now
  uint64_t dropped;  // bytes the marker stands for
  uint64_t marker;   // the marker line's length in the log (0: not cut yet)
};

void output_open(struct output *o, const char *path, uint64_t head, uint64_t tail, int pane);
// Writes one chunk of the agent's output. A write that fails (a full disk) drops that chunk, never
// the copy: the agent must not die of SIGPIPE.
void output_write(struct output *o, const char *buf, size_t n);
// The agent's output ended: the log is cut to the cap, then closed.
void output_close(struct output *o);

#endif
