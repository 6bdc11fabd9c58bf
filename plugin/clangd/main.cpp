//===- main.cpp - threadwise-clangd: clangd plus threadwise diagnostics ---===//
//
//   threadwise-clangd [--clangd=PATH] [--threadwise-checks=GLOBS]
//                     [--threadwise-debounce-ms=N] [clangd arguments...]
//
// Configure it as your editor's clangd (docs/ide.md). It starts the real
// clangd with the remaining arguments and forwards the conversation, adding
// threadwise's findings to clangd's diagnostics.
//
// Exit: 0 after the editor's shutdown + exit; 1 when the session breaks
// (clangd dies, the editor sends something that is not LSP, or the editor
// goes away without exit); 2 bad usage. clangd never outlives the proxy.
//
//===----------------------------------------------------------------------===//
#include "BufferAnalyzer.h"
#include "Log.h"
#include "LspTransport.h"
#include "Proxy.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

pid_t ClangdPid = -1;
std::atomic<bool> Exiting{false};

/// Ends clangd (politely, then not) and the process, without running the
/// destructors of objects other threads are still using.
[[noreturn]] void finish(int Code) {
  if (ClangdPid > 0) {
    int Status;
    bool Gone = false;
    for (int I = 0; I < 20 && !Gone; ++I) { // ~2 s for clangd to act on "exit".
      Gone = waitpid(ClangdPid, &Status, WNOHANG) == ClangdPid;
      if (!Gone)
        usleep(100 * 1000);
      if (I == 10)
        kill(ClangdPid, SIGTERM);
    }
    if (!Gone) {
      kill(ClangdPid, SIGKILL);
      waitpid(ClangdPid, &Status, 0);
    }
  }
  llvm::errs().flush();
  _exit(Code);
}

void onTerminate(int) {
  if (ClangdPid > 0)
    kill(ClangdPid, SIGKILL);
  _exit(1);
}

std::string findClangd(llvm::StringRef Given) {
  if (!Given.empty()) {
    if (Given.contains('/'))
      return Given.str();
    llvm::ErrorOr<std::string> P = llvm::sys::findProgramByName(Given);
    return P ? *P : "";
  }
  for (const char *Name : {"clangd-19", "clangd"})
    if (llvm::ErrorOr<std::string> P = llvm::sys::findProgramByName(Name))
      return *P;
  return "";
}

/// Starts clangd with pipes for stdin/stdout; its stderr is ours (the log).
bool spawnClangd(const std::string &Path, const std::vector<std::string> &Args, int &ToChild,
                 int &FromChild) {
  int In[2], Out[2];
  if (pipe(In) != 0 || pipe(Out) != 0)
    return false;
  pid_t Parent = getpid();
  pid_t Pid = fork();
  if (Pid < 0)
    return false;
  if (Pid == 0) {
    // clangd dies with the proxy, even if the proxy is SIGKILLed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != Parent)
      _exit(1);
    dup2(In[0], 0);
    dup2(Out[1], 1);
    close(In[0]);
    close(In[1]);
    close(Out[0]);
    close(Out[1]);
    std::vector<char *> Argv;
    Argv.push_back(const_cast<char *>(Path.c_str()));
    for (const std::string &A : Args)
      Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    execv(Path.c_str(), Argv.data());
    _exit(127);
  }
  close(In[0]);
  close(Out[1]);
  ToChild = In[1];
  FromChild = Out[0];
  ClangdPid = Pid;
  return true;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string ClangdGiven, Checks, CompileCommandsDir;
  int DebounceMs = 50; // clangd's own minimum debounce, for bursts (Proxy::edited)
  bool BackgroundIndex = true; // clangd's default.
  std::optional<llvm::ThreadPriority> IndexPriority = llvm::ThreadPriority::Low; // Likewise.
  std::vector<std::string> ClangdArgs;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef A(Argv[I]);
    if (A.consume_front("--clangd=")) {
      ClangdGiven = A.str();
    } else if (A.consume_front("--threadwise-checks=")) {
      Checks = A.str();
    } else if (A.consume_front("--threadwise-debounce-ms=")) {
      if (A.getAsInteger(10, DebounceMs) || DebounceMs < 0) {
        threadwise::logLine("threadwise-clangd: bad --threadwise-debounce-ms");
        return 2;
      }
    } else {
      // clangd's own switch also governs threadwise's index of the other TUs.
      llvm::StringRef Value = A;
      if (A == "--background-index" || A == "-background-index")
        BackgroundIndex = true;
      else if (Value.consume_front("--background-index=") ||
               Value.consume_front("-background-index="))
        BackgroundIndex = !(Value == "false" || Value == "0");
      else if (Value.consume_front("--background-index-priority=") ||
               Value.consume_front("-background-index-priority="))
        IndexPriority = Value == "normal"       ? std::nullopt
                        : Value == "background" ? std::optional(llvm::ThreadPriority::Background)
                                                : std::optional(llvm::ThreadPriority::Low);
      if (A.starts_with("--compile-commands-dir="))
        CompileCommandsDir = A.drop_front(strlen("--compile-commands-dir=")).str();
      ClangdArgs.push_back(A.str());
    }
  }

  threadwise::RuleSet Rules;
  if (llvm::Error E = Rules.loadDefault(Argv[0])) {
    threadwise::logLine("threadwise-clangd: rules: ", llvm::toString(std::move(E)));
    return 2;
  }
  threadwise::CheckFilter Filter;
  if (!Checks.empty()) {
    llvm::Expected<threadwise::CheckFilter> F = threadwise::CheckFilter::parse(Checks);
    if (!F) {
      threadwise::logLine("threadwise-clangd: ", llvm::toString(F.takeError()));
      return 2;
    }
    Filter = std::move(*F);
  }

  std::string Clangd = findClangd(ClangdGiven);
  if (Clangd.empty()) {
    threadwise::logLine("threadwise-clangd: cannot find clangd",
                        ClangdGiven.empty() ? " (tried clangd-19, clangd on PATH)"
                                            : " '" + ClangdGiven + "'",
                        "; use --clangd=PATH");
    return 2;
  }
  // Not a session: editors ask the server's version this way; let clangd answer.
  for (const std::string &A : ClangdArgs)
    if (A == "--version" || A == "-version" || A == "--help" || A == "-help") {
      std::vector<char *> Args{const_cast<char *>(Clangd.c_str())};
      for (const std::string &B : ClangdArgs)
        Args.push_back(const_cast<char *>(B.c_str()));
      Args.push_back(nullptr);
      execv(Clangd.c_str(), Args.data());
      threadwise::logLine("threadwise-clangd: cannot run ", Clangd);
      return 1;
    }
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, onTerminate);
  signal(SIGINT, onTerminate);
  int ToClangdFD, FromClangdFD;
  if (!spawnClangd(Clangd, ClangdArgs, ToClangdFD, FromClangdFD)) {
    threadwise::logLine("threadwise-clangd: cannot start ", Clangd);
    return 1;
  }
  threadwise::logLine("threadwise-clangd: started ", Clangd, " (pid ", ClangdPid, ")");
  llvm::CrashRecoveryContext::Enable();

  threadwise::lsp::MessageWriter ToEditor(1), ToClangd(ToClangdFD);
  // Never destroyed: finish() ends the process while threads may use them.
  threadwise::Proxy *P = nullptr;
  std::function<void()> IndexUpdated;
  if (BackgroundIndex)
    IndexUpdated = [&P] { P->reanalyseAll(); };
  auto *Analyzer = new threadwise::BufferAnalyzer(Rules, Filter, CompileCommandsDir, IndexUpdated,
                                                IndexPriority);
  P = new threadwise::Proxy(*Analyzer, ToEditor, ToClangd, std::chrono::milliseconds(DebounceMs));
  // Set before "exit" reaches clangd: clangd closing its output is expected then.
  P->OnExit = [] { Exiting = true; };
  P->startWorker();

  std::thread FromClangd([&] {
    threadwise::lsp::MessageReader Reader(FromClangdFD);
    std::string Body, Error;
    for (;;) {
      threadwise::lsp::MessageReader::Status S = Reader.read(Body, Error);
      if (S == threadwise::lsp::MessageReader::Message) {
        P->fromClangd(Body);
        continue;
      }
      if (Exiting)
        return; // The editor said exit; main() ends the process.
      int Status = 0;
      std::string How = "closed its output";
      if (waitpid(ClangdPid, &Status, 0) == ClangdPid) {
        ClangdPid = -1;
        How = WIFSIGNALED(Status) ? "was killed by signal " + std::to_string(WTERMSIG(Status))
                                  : "exited with status " + std::to_string(WEXITSTATUS(Status));
      }
      threadwise::logLine(
          "threadwise-clangd: error: clangd ", How,
          S == threadwise::lsp::MessageReader::Malformed ? " (" + Error + ")" : "",
          "; ending the session");
      finish(1);
    }
  });
  FromClangd.detach();

  threadwise::lsp::MessageReader FromEditor(0);
  std::string Body, Error;
  for (;;) {
    threadwise::lsp::MessageReader::Status S = FromEditor.read(Body, Error);
    if (S == threadwise::lsp::MessageReader::EndOfStream) {
      threadwise::logLine("threadwise-clangd: the editor closed the connection without 'exit'");
      Exiting = true;
      finish(1);
    }
    if (S == threadwise::lsp::MessageReader::Malformed) {
      threadwise::logLine("threadwise-clangd: error: bad message from the editor: ", Error);
      Exiting = true;
      finish(1);
    }
    if (!P->fromEditor(Body, Error)) {
      threadwise::logLine("threadwise-clangd: error: ", Error);
      Exiting = true;
      finish(1);
    }
    if (P->sawExit()) {
      close(ToClangdFD);
      finish(P->sawShutdown() ? 0 : 1);
    }
  }
}
