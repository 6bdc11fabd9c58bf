//===- Commands.h - Subcommands of the `threadwise` driver ----------------===//
#ifndef THREADWISE_TOOLS_COMMANDS_H
#define THREADWISE_TOOLS_COMMANDS_H

namespace threadwise {
/// Each takes the arguments after the subcommand name; argv[0] is
/// "threadwise <sub>" for messages. Returns the process exit code.
int runCheckCommand(int Argc, const char **Argv);
#ifdef THREADWISE_HAVE_PROFILE
int runProfileCommand(int Argc, const char **Argv);
int runReportCommand(int Argc, const char **Argv);
#endif
} // namespace threadwise

#endif
