//===- ProfileProcSamplerTest.cpp - record-file discovery, kept files -----===//
#include "collect/ProcSampler.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

using namespace threadwise::collect;

namespace {

uint64_t nowNs() {
  timespec Ts;
  clock_gettime(CLOCK_MONOTONIC, &Ts);
  return static_cast<uint64_t>(Ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(Ts.tv_nsec);
}

unsigned openFds() {
  unsigned N = 0;
  if (DIR *D = opendir("/proc/self/fd")) {
    while (readdir(D))
      ++N;
    closedir(D);
  }
  return N;
}

struct TempDir {
  llvm::SmallString<128> Path;
  TempDir() { EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("tw-sampler", Path)); }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
};

// A process that is no descendant of ours (an orphaned grandchild): only a
// record file can announce it to the sampler. Killed when the test ends.
struct Orphan {
  pid_t Pid = 0;
  Orphan() {
    int Pipe[2];
    if (pipe(Pipe) != 0) {
      ADD_FAILURE() << "pipe";
      return;
    }
    pid_t Child = fork();
    if (Child < 0) {
      ADD_FAILURE() << "fork";
      close(Pipe[0]);
      close(Pipe[1]);
      return;
    }
    if (Child == 0) {
      pid_t Grandchild = fork();
      if (Grandchild == 0) {
        pause();
        _exit(0);
      }
      (void)!write(Pipe[1], &Grandchild, sizeof Grandchild);
      _exit(0);
    }
    EXPECT_EQ(read(Pipe[0], &Pid, sizeof Pid), static_cast<ssize_t>(sizeof Pid));
    int St;
    waitpid(Child, &St, 0);
    close(Pipe[0]);
    close(Pipe[1]);
  }
  ~Orphan() {
    if (Pid > 0)
      kill(Pid, SIGKILL);
  }
};

// Sets Dir's mtime, as a creation in the same timestamp granule as the last
// one would leave it.
void setMtime(const std::string &Dir, time_t Sec, long Nsec = 0) {
  timespec Times[2] = {{Sec, Nsec}, {Sec, Nsec}};
  ASSERT_EQ(utimensat(AT_FDCWD, Dir.c_str(), Times, 0), 0);
}

// The preload announces a process by creating <pid>-<...> in the record
// directory; the sampler lists it whenever its mtime changed.
TEST(ProcSampler, FindsRecordFilesCreatedAfterTheFirstRound) {
  TempDir Dir;
  Orphan Other;
  ProcSampler Sampler(getpid(), std::string(Dir.Path));
  Sampler.sample(nowNs());
  EXPECT_EQ(Sampler.processes().count(Other.Pid), 0u);
  std::ofstream(std::string(Dir.Path) + "/not-a-pid");
  std::ofstream(std::string(Dir.Path) + "/" + std::to_string(Other.Pid) + "-1");
  Sampler.sample(nowNs());
  EXPECT_EQ(Sampler.processes().count(Other.Pid), 1u);
  EXPECT_EQ(Sampler.processes().size(), 2u); // this process and that one
}

// An unchanged directory is not listed again (no inotify watch either: it would
// make the kernel notify on every read and write on the program's filesystem),
// unless its mtime is too recent to tell: a file created after the listing in
// the same timestamp granule leaves the mtime as it was. The granule is taken
// to be whole seconds when the mtime has no nanoseconds, else under 50 ms.
TEST(ProcSampler, ListsTheRecordDirectoryOnlyWhenItsMtimeMayHaveChanged) {
  TempDir Dir;
  Orphan Settled, Racy, Fine;
  std::string Base = std::string(Dir.Path) + "/";
  auto Found = [&](ProcSampler &S, const Orphan &O) { return S.processes().count(O.Pid) != 0; };
  time_t Now = time(nullptr);
  setMtime(Base, Now - 3600);
  ProcSampler Sampler(getpid(), std::string(Dir.Path));
  Sampler.sample(nowNs()); // the first round lists
  std::ofstream(Base + std::to_string(Settled.Pid) + "-1");
  setMtime(Base, Now - 3600); // as the first round saw it, and long settled
  Sampler.sample(nowNs());
  EXPECT_FALSE(Found(Sampler, Settled)) << "listed an unchanged directory";
  setMtime(Base, Now - 1); // changed, a second ago
  Sampler.sample(nowNs());
  EXPECT_TRUE(Found(Sampler, Settled));
  std::ofstream(Base + std::to_string(Racy.Pid) + "-1");
  setMtime(Base, Now - 1); // the same whole second: recent enough to be racy
  Sampler.sample(nowNs());
  EXPECT_TRUE(Found(Sampler, Racy));
  setMtime(Base, Now - 1, 500000000); // nanoseconds: a fine granule
  Sampler.sample(nowNs());
  std::ofstream(Base + std::to_string(Fine.Pid) + "-1");
  setMtime(Base, Now - 1, 500000000); // unchanged, and older than a fine granule
  Sampler.sample(nowNs());
  EXPECT_FALSE(Found(Sampler, Fine)) << "listed an unchanged directory";
}

// A thread that sleeps until told to end, and says its tid.
struct Sleeper {
  std::atomic<bool> Stop{false};
  std::atomic<pid_t> Tid{0};
  std::thread T;
  Sleeper() : T([this] {
      Tid = gettid();
      while (!Stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }) {
    while (!Tid)
      std::this_thread::yield();
  }
  ~Sleeper() { end(); }
  void end() {
    Stop = true;
    if (T.joinable())
      T.join();
  }
};

// The task directory is listed again only when its link count (2 + threads)
// changes or a listed thread ended: a thread that replaces an ended one between
// two rounds leaves the count as it was, and is found one round later.
TEST(ProcSampler, FindsThreadsStartedBetweenRounds) {
  TempDir Dir;
  ProcSampler Sampler(getpid(), std::string(Dir.Path));
  Sampler.sample(nowNs());
  auto Seen = [&](pid_t Tid) { return Sampler.threads().count({getpid(), Tid}) != 0; };
  auto First = std::make_unique<Sleeper>();
  Sampler.sample(nowNs());
  EXPECT_TRUE(Seen(First->Tid)) << "a new thread: the link count grew";
  First->end();
  Sleeper Second; // the same number of threads as the last round saw
  Sampler.sample(nowNs()); // First's schedstat is gone: list again next round
  Sampler.sample(nowNs());
  EXPECT_TRUE(Seen(Second.Tid)) << "a thread that replaced an ended one";
}

// Each thread's schedstat stays open between rounds and is read again from
// the start: the counters move, and the file goes when the thread does.
TEST(ProcSampler, KeepsEachThreadsSchedstatOpenUntilTheThreadEnds) {
  TempDir Dir;
  unsigned Before = openFds();
  std::atomic<bool> Stop{false};
  std::atomic<pid_t> Tid{0};
  std::thread Busy([&] {
    Tid = gettid();
    volatile uint64_t X = 0;
    while (!Stop)
      X = X + 1;
  });
  while (!Tid)
    std::this_thread::yield();
  {
    ProcSampler Sampler(getpid(), std::string(Dir.Path));
    for (int Round = 0; Round < 3; ++Round) {
      Sampler.sample(nowNs());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const ThreadSamples &T = Sampler.threads().at({getpid(), Tid.load()});
    ASSERT_EQ(T.Samples.size(), 3u);
    EXPECT_GT(T.Samples[2][1], T.Samples[0][1]); // cumulative CPU, read anew
    // One file per thread of this process (main and Busy).
    EXPECT_EQ(openFds(), Before + 2);
    Stop = true;
    Busy.join();
    Sampler.sample(nowNs());
    EXPECT_EQ(openFds(), Before + 1); // Busy's file closed with it
  }
  EXPECT_EQ(openFds(), Before);
}

} // namespace
