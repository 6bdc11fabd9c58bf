//===- SubcommandMain.cpp - threadwise-check / -profile / -report ---------===//
//
// The executables the `threadwise` dispatcher (main.cpp) execs, one per
// subcommand, each built from this file with THREADWISE_COMMAND_NAME ("check")
// and THREADWISE_COMMAND_FN (runCheckCommand). Messages and --help name them
// "threadwise <command>".
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include <vector>

int main(int argc, const char **argv) {
  std::vector<const char *> Args(argv, argv + argc);
  Args[0] = "threadwise " THREADWISE_COMMAND_NAME;
  return threadwise::THREADWISE_COMMAND_FN(argc, Args.data());
}
