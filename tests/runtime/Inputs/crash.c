/* Dies by a signal after some recorded work: threadwise must still write the
 * profile and return 128+signal. argv[1]: "segv" or "abort". */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  for (int i = 0; i < 20; ++i) {
    pthread_mutex_lock(&M);
    usleep(1000);
    pthread_mutex_unlock(&M);
  }
  return arg;
}

int main(int argc, char **argv) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
  if (argc > 1 && strcmp(argv[1], "abort") == 0)
    abort();
  raise(SIGSEGV);
  return 0;
}
