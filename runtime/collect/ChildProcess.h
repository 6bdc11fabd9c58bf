//===- ChildProcess.h - Launch the profiled command, env/timeout style ----===//
//
// Exit codes follow env(1)/timeout(1): 127 command not found, 126 found but not
// runnable, 125 threadwise itself failed. The child is stopped on a pipe until
// the launcher has opened its perf counters on it, then execs.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_CHILDPROCESS_H
#define THREADWISE_COLLECT_CHILDPROCESS_H

#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace threadwise::collect {

/// Finds Cmd like execvp would. Returns the path, or an exit code (126/127)
/// and a message.
struct Resolved {
  std::string Path;
  int FailureCode = 0;
  std::string Message;
};
Resolved resolveCommand(const std::string &Cmd);

/// True when Path is an ELF executable without an interpreter (static).
bool isStaticElf(const std::string &Path);

class ChildProcess {
public:
  /// Forks; the child sets Env and waits for release() before exec'ing Path.
  bool start(const std::string &Path, const std::vector<std::string> &Argv,
             const std::vector<std::pair<std::string, std::string>> &Env);
  pid_t pid() const { return Pid; }
  /// Lets the child exec. Returns 0, or 126/127 when exec failed (errno text in Error).
  int release(std::string &Error);

private:
  pid_t Pid = -1;
  int GoFd = -1, ErrFd = -1;
};

/// Forward SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to threadwise to Pid. Signals from
/// the terminal already reach the whole foreground process group and are not
/// forwarded a second time.
void forwardSignalsTo(pid_t Pid);

} // namespace threadwise::collect

#endif
