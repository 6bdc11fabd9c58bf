//===- Commands.h - Subcommands of the `threadwise` driver ----------------===//
#ifndef THREADWISE_TOOLS_COMMANDS_H
#define THREADWISE_TOOLS_COMMANDS_H

namespace threadwise {
/// Each takes the arguments after the subcommand name; argv[0] is
/// "threadwise <sub>" for messages. Returns the process exit code.
int runCheckCommand(int Argc, const char **Argv);
int runProfileCommand(int Argc, const char **Argv);
int runReportCommand(int Argc, const char **Argv);
} // namespace threadwise

#endif
