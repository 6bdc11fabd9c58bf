/* A chain of N nested processes (each forks one child and waits for it): deep
 * process trees are followed to the end. The deepest exits 7; every parent
 * passes its child's status up. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 40;
  for (int level = 0; level < depth; ++level) {
    pid_t kid = fork();
    if (kid < 0)
      return 1;
    if (kid > 0) {
      int st;
      if (waitpid(kid, &st, 0) != kid || !WIFEXITED(st))
        _exit(1);
      if (level == 0)
        printf("fork_chain: %d\n", WEXITSTATUS(st));
      exit(WEXITSTATUS(st));
    }
  }
  usleep(10000);
  _exit(7);
}
