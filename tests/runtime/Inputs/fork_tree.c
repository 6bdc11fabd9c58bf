/* A fork tree three levels deep (1 + 2 + 4 + 8 = 15 processes); every process
 * sleeps a little and waits for its children; leaves exit with status 3 and
 * the root with the number of children that did. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int grow(int depth) {
  if (depth == 0) {
    usleep(20000);
    return 3;
  }
  pid_t kids[2];
  for (int i = 0; i < 2; ++i) {
    kids[i] = fork();
    if (kids[i] == 0)
      _exit(grow(depth - 1));
  }
  usleep(10000);
  int ok = 0;
  for (int i = 0; i < 2; ++i) {
    int st;
    if (waitpid(kids[i], &st, 0) == kids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 3)
      ++ok;
  }
  return ok == 2 ? 3 : 1;
}

int main(void) {
  int r = grow(3);
  printf("fork_tree: %s\n", r == 3 ? "ok" : "failed");
  return r == 3 ? 0 : 1;
}
