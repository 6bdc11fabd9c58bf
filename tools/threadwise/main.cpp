//===- main.cpp - The `threadwise` command --------------------------------===//
//
// A git-style dispatcher: `threadwise check ...`, `threadwise profile ...`,
// `threadwise report ...` exec threadwise-<command> from
// <prefix>/libexec/threadwise/ (the same layout in the build tree and an
// installed prefix). Each subcommand owns its options and --help.
//
// This binary links no LLVM on purpose: loading and relocating libLLVM and
// libclang-cpp costs ~50 ms before main, which `threadwise profile` would add
// to the wall time of every profiled run. Only threadwise-check loads them;
// threadwise-profile and threadwise-report link the few LLVM Support pieces
// they use statically (docs/runtime.md, "Overhead").
//
//===----------------------------------------------------------------------===//
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef THREADWISE_VERSION
#define THREADWISE_VERSION "unknown"
#endif
#ifndef THREADWISE_LLVM_VERSION
#define THREADWISE_LLVM_VERSION "unknown"
#endif

static void printUsage(FILE *Out) {
  std::fputs("USAGE: threadwise <command> [options]\n\n"
             "Is my concurrency correct, and should this be threads or processes?\n\n"
             "COMMANDS:\n"
             "  check     Find data races and CPU work serialized on threads (static, Clang)\n"
             "  profile   Profile a real run and recommend threads, processes, fixing\n"
             "            contention, or staying serial\n"
             "  report    Re-render a saved profile as text, JSON, HTML or a trace\n"
             "  help      Show this help\n"
             "  version   Show threadwise's version and the LLVM it was built with\n\n"
             "Run 'threadwise <command> --help' for the options of a command.\n",
             Out);
}

/// <dir of this executable>/../libexec/threadwise/threadwise-<Cmd>.
static std::string subcommandPath(const std::string &Cmd) {
  char Self[PATH_MAX];
  ssize_t N = ::readlink("/proc/self/exe", Self, sizeof Self - 1);
  if (N <= 0)
    return "";
  std::string Dir(Self, static_cast<size_t>(N));
  Dir.erase(Dir.rfind('/') + 1);
  return Dir + "../libexec/threadwise/threadwise-" + Cmd;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printUsage(stderr);
    return 2;
  }
  std::string Cmd = argv[1];
  if (Cmd == "help" || Cmd == "--help" || Cmd == "-h") {
    printUsage(stdout);
    return 0;
  }
  if (Cmd == "--version" || Cmd == "version") {
    std::printf("threadwise version %s\n  built with LLVM %s\n", THREADWISE_VERSION,
                THREADWISE_LLVM_VERSION);
    return 0;
  }
  if (Cmd != "check" && Cmd != "profile" && Cmd != "report") {
    std::fprintf(stderr, "threadwise: unknown command '%s'\n\n", Cmd.c_str());
    printUsage(stderr);
    return 2;
  }
  std::string Path = subcommandPath(Cmd);
  std::vector<char *> Args(argv + 1, argv + argc + 1); // keeps the final nullptr
  Args[0] = Path.data();
  ::execv(Path.c_str(), Args.data());
  // Exit codes of a missing part: check's "internal error", profile's and
  // report's "threadwise failed" (CONVENTIONS.md).
  std::fprintf(stderr, "threadwise: cannot run '%s': %s\n", Path.c_str(), std::strerror(errno));
  return Cmd == "check" ? 3 : 125;
}
