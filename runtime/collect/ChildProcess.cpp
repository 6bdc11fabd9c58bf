//===- ChildProcess.cpp - Launch the profiled command, env/timeout style --===//
#include "ChildProcess.h"
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace threadwise::collect {

static Resolved checkFile(const std::string &Path) {
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0)
    return {"", 127, Path + ": " + std::strerror(errno)};
  if (S_ISDIR(St.st_mode))
    return {"", 126, Path + ": Is a directory"};
  if (::access(Path.c_str(), X_OK) != 0)
    return {"", 126, Path + ": " + std::strerror(errno)};
  return {Path, 0, ""};
}

Resolved resolveCommand(const std::string &Cmd) {
  if (Cmd.empty())
    return {"", 127, "empty command"};
  if (Cmd.find('/') != std::string::npos)
    return checkFile(Cmd);
  const char *PathEnv = std::getenv("PATH");
  std::string PathList = PathEnv ? PathEnv : "/usr/local/bin:/usr/bin:/bin";
  Resolved NotExecutable;
  size_t Pos = 0;
  while (Pos <= PathList.size()) {
    size_t Colon = PathList.find(':', Pos);
    if (Colon == std::string::npos)
      Colon = PathList.size();
    std::string Dir = PathList.substr(Pos, Colon - Pos);
    std::string Candidate = (Dir.empty() ? std::string(".") : Dir) + "/" + Cmd;
    Resolved R = checkFile(Candidate);
    if (R.FailureCode == 0)
      return R;
    if (R.FailureCode == 126 && NotExecutable.Message.empty())
      NotExecutable = R;
    Pos = Colon + 1;
  }
  if (!NotExecutable.Message.empty())
    return NotExecutable;
  return {"", 127, Cmd + ": command not found"};
}

bool isStaticElf(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  Elf64_Ehdr Eh;
  bool Static = false;
  if (::pread(Fd, &Eh, sizeof Eh, 0) == static_cast<ssize_t>(sizeof Eh) &&
      std::memcmp(Eh.e_ident, ELFMAG, SELFMAG) == 0 && Eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      Eh.e_type == ET_EXEC) {
    Static = true;
    for (unsigned I = 0; I < Eh.e_phnum; ++I) {
      Elf64_Phdr Ph;
      if (::pread(Fd, &Ph, sizeof Ph, Eh.e_phoff + I * sizeof Ph) !=
          static_cast<ssize_t>(sizeof Ph))
        break;
      if (Ph.p_type == PT_INTERP)
        Static = false;
    }
  }
  ::close(Fd);
  return Static;
}

bool ChildProcess::start(const std::string &Path, const std::vector<std::string> &Argv,
                         const std::vector<std::pair<std::string, std::string>> &Env) {
  int Go[2], Err[2];
  if (::pipe2(Go, O_CLOEXEC) != 0)
    return false;
  if (::pipe2(Err, O_CLOEXEC) != 0) {
    ::close(Go[0]);
    ::close(Go[1]);
    return false;
  }
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  Pid = ::fork();
  if (Pid < 0)
    return false;
  if (Pid == 0) {
    ::close(Go[1]);
    ::close(Err[0]);
    for (const auto &[K, V] : Env) // the launcher is single-threaded: setenv is safe
      ::setenv(K.c_str(), V.c_str(), 1);
    char C;
    while (::read(Go[0], &C, 1) < 0 && errno == EINTR) {
    }
    ::execv(Path.c_str(), Args.data());
    int E = errno;
    (void)!::write(Err[1], &E, sizeof E);
    ::_exit(E == ENOENT ? 127 : 126);
  }
  ::close(Go[0]);
  ::close(Err[1]);
  GoFd = Go[1];
  ErrFd = Err[0];
  return true;
}

int ChildProcess::release(std::string &Error) {
  char C = 'g';
  (void)!::write(GoFd, &C, 1);
  ::close(GoFd);
  int E = 0;
  ssize_t N;
  while ((N = ::read(ErrFd, &E, sizeof E)) < 0 && errno == EINTR) {
  }
  ::close(ErrFd);
  if (N == static_cast<ssize_t>(sizeof E)) {
    Error = std::strerror(E);
    return E == ENOENT ? 127 : 126;
  }
  return 0;
}

static volatile sig_atomic_t ForwardPid = 0;

static void forwardHandler(int Sig, siginfo_t *Info, void *) {
  if (ForwardPid > 0 && Info->si_code != SI_KERNEL)
    ::kill(ForwardPid, Sig);
}

void forwardSignalsTo(pid_t Pid) {
  ForwardPid = Pid;
  struct sigaction Sa;
  std::memset(&Sa, 0, sizeof Sa);
  Sa.sa_sigaction = forwardHandler;
  Sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&Sa.sa_mask);
  for (int Sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
    ::sigaction(Sig, &Sa, nullptr);
}

} // namespace threadwise::collect
