//===- main.cpp - The `threadwise` command --------------------------------===//
//
// A git-style dispatcher: `threadwise check ...`, `threadwise profile ...`,
// `threadwise report ...`. Each subcommand owns its options and --help.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>
#include <string>
#include <vector>

using namespace threadwise;

static void printUsage(llvm::raw_ostream &OS) {
  OS << "USAGE: threadwise <command> [options]\n\n"
        "Is my concurrency correct, and should this be threads or processes?\n\n"
        "COMMANDS:\n"
        "  check     Find data races and CPU work serialized on threads (static, Clang)\n"
#ifdef THREADWISE_HAVE_PROFILE
        "  profile   Profile a real run and recommend threads, processes, fixing\n"
        "            contention, or staying serial\n"
        "  report    Re-render a saved profile as text, JSON, HTML or a trace\n"
#endif
        "  help      Show this help\n"
        "  version   Show threadwise's version and the LLVM it was built with\n\n"
        "Run 'threadwise <command> --help' for the options of a command.\n";
}

int main(int argc, const char **argv) {
  if (argc < 2) {
    printUsage(llvm::errs());
    return 2;
  }
  std::string Cmd = argv[1];
  if (Cmd == "help" || Cmd == "--help" || Cmd == "-h") {
    printUsage(llvm::outs());
    return 0;
  }
  if (Cmd == "--version" || Cmd == "version") {
    llvm::outs() << "threadwise version " << THREADWISE_VERSION << "\n  built with LLVM "
                 << LLVM_VERSION_STRING << "\n";
    return 0;
  }
  // Subcommands see "threadwise <cmd>" as their program name.
  std::string Prog = std::string("threadwise ") + Cmd;
  std::vector<const char *> Args;
  Args.push_back(Prog.c_str());
  for (int I = 2; I < argc; ++I)
    Args.push_back(argv[I]);
  int N = static_cast<int>(Args.size());
  if (Cmd == "check")
    return runCheckCommand(N, Args.data());
#ifdef THREADWISE_HAVE_PROFILE
  if (Cmd == "profile")
    return runProfileCommand(N, Args.data());
  if (Cmd == "report")
    return runReportCommand(N, Args.data());
#endif
  llvm::errs() << "threadwise: unknown command '" << Cmd << "'\n\n";
  printUsage(llvm::errs());
  return 2;
}
