//===- ProfileRemotePythonTest.cpp - Python stacks read from outside ------===//
//
// Starts a CPython 3.11 with one thread spinning in crunch() and the main
// thread sleeping in idle(), and reads their stacks from this process the way
// attach mode does (RemotePython: ELF symbols + process_vm_readv), for both
// Pythons of the machine: Debian's (interpreter in the executable) and the
// first python3 on PATH (libpython3.11.so).
//
//===----------------------------------------------------------------------===//
#include "collect/RemotePython.h"
#include "gtest/gtest.h"
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace threadwise::collect;

namespace {

const char *const Script = R"(import sys, threading, time
def crunch():
    x = 0
    while True:
        x += 1
def idle():
    time.sleep(600)
threading.Thread(target=crunch, daemon=True).start()
print("ready", flush=True)
idle()
)";

/// sys.executable of Cmd when it is a CPython 3.11, else "".
std::string python311(const std::string &Cmd) {
  std::string Line = Cmd + " -c \"import sys; print(sys.executable if sys.version_info[:2] == "
                           "(3, 11) else '')\" 2>/dev/null";
  FILE *F = popen(Line.c_str(), "r");
  if (!F)
    return "";
  char Buf[4096] = "";
  if (!fgets(Buf, sizeof Buf, F))
    Buf[0] = 0;
  pclose(F);
  std::string S(Buf);
  while (!S.empty() && (S.back() == '\n' || S.back() == '\r'))
    S.pop_back();
  return S;
}

class Child {
public:
  explicit Child(const std::string &Python) {
    char Dir[] = "/tmp/tw-remote-pyXXXXXX";
    Path = std::string(mkdtemp(Dir)) + "/spin.py";
    std::ofstream(Path) << Script;
    int Fd[2];
    if (pipe(Fd))
      return;
    Pid = fork();
    if (Pid == 0) {
      dup2(Fd[1], 1);
      execl(Python.c_str(), Python.c_str(), Path.c_str(), (char *)nullptr);
      _exit(127);
    }
    close(Fd[1]);
    char Buf[8] = "";
    Ready = read(Fd[0], Buf, 5) == 5; // "ready": both threads are in place
    close(Fd[0]);
  }
  ~Child() {
    if (Pid > 0) {
      kill(Pid, SIGKILL);
      waitpid(Pid, nullptr, 0);
    }
    unlink(Path.c_str());
  }
  pid_t Pid = -1;
  bool Ready = false;
  std::string Path;
};

void expectCrunchAndIdle(const std::string &Python) {
  Child C(Python);
  ASSERT_TRUE(C.Ready) << Python;
  std::string Why;
  std::unique_ptr<RemotePython> R = RemotePython::open(C.Pid, Why);
  ASSERT_TRUE(R) << Why;
  EXPECT_EQ((R->version() >> 16) & 0xffff, 0x030Bu);
  // The spinning thread changes its frame all the time (a torn read is left
  // out), and the main thread needs the GIL to get from print() into idle():
  // look again every 10 ms, for up to 10 s on a loaded machine.
  bool SawCrunch = false, SawIdle = false;
  for (int Round = 0; Round < 1000 && !(SawCrunch && SawIdle); ++Round, usleep(10000))
    for (const PythonThreadStack &S : R->stacks()) {
      ASSERT_FALSE(S.Frames.empty());
      const PythonFrame &Leaf = S.Frames.back();
      if (Leaf.Function == "crunch" && Leaf.File == C.Path) {
        EXPECT_TRUE(Leaf.Line == 4 || Leaf.Line == 5) << Leaf.Line;
        EXPECT_EQ(S.Frames.front().Function, "Thread._bootstrap");
        SawCrunch = true;
      }
      if (Leaf.Function == "idle" && S.Tid == C.Pid) {
        EXPECT_EQ(Leaf.Line, 7);
        EXPECT_EQ(S.Frames.front().Function, "<module>");
        SawIdle = true;
      }
    }
  EXPECT_TRUE(SawCrunch);
  EXPECT_TRUE(SawIdle);
}

TEST(RemotePython, DebianPython) {
  std::string Py = python311("/usr/bin/python3");
  if (Py.empty())
    GTEST_SKIP() << "/usr/bin/python3 is not CPython 3.11";
  expectCrunchAndIdle(Py);
}

TEST(RemotePython, PathPython) {
  std::string Py = python311("python3");
  if (Py.empty())
    GTEST_SKIP() << "python3 on PATH is not CPython 3.11";
  expectCrunchAndIdle(Py);
}

TEST(RemotePython, NotPython) {
  std::string Why;
  EXPECT_FALSE(RemotePython::open(getpid(), Why));
  EXPECT_NE(Why.find("_PyRuntime"), std::string::npos) << Why;
}

} // namespace
