/* An I/O loop and a sleep loop, each for 400 ms of wall time on the main
 * thread: io-stack-sampling.test checks how often their stacks are unwound. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void shuttle(double seconds) {
  int fds[2];
  char buf[4096] = {0};
  if (pipe(fds) != 0)
    return;
  for (double end = now() + seconds; now() < end;)
    if (write(fds[1], buf, sizeof buf) != sizeof buf || read(fds[0], buf, sizeof buf) != sizeof buf)
      break;
  close(fds[0]);
  close(fds[1]);
}

__attribute__((noinline)) static void napper(double seconds) {
  struct timespec ms = {0, 1000000};
  for (double end = now() + seconds; now() < end;)
    nanosleep(&ms, NULL);
}

int main(void) {
  shuttle(0.4);
  napper(0.4);
  puts("done");
  return 0;
}
