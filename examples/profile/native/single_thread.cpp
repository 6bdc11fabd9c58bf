// One thread, CPU-bound, nothing to overlap and no concurrency in the program.
// Expected verdict: serial.
#include <cstdio>

int main() {
  double X = 1.0;
  for (long I = 0; I < 300000000; ++I)
    X = X * 1.0000001 + 1e-9;
  std::printf("single_thread: %.3f\n", X);
}
