//===- ProfileProcSamplerTest.cpp - record-file discovery, kept files -----===//
#include "collect/ProcSampler.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <gtest/gtest.h>
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

// The preload announces a process by creating <pid>-<...> in the record
// directory; after the first round's listing, inotify tells of later ones.
// The process is no descendant of ours (an orphaned grandchild), so the record
// file is the only way to find it.
TEST(ProcSampler, FindsRecordFilesCreatedAfterTheFirstRound) {
  TempDir Dir;
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    pid_t Grandchild = fork();
    if (Grandchild == 0) {
      pause();
      _exit(0);
    }
    (void)!write(Pipe[1], &Grandchild, sizeof Grandchild);
    _exit(0);
  }
  pid_t Other = 0;
  ASSERT_EQ(read(Pipe[0], &Other, sizeof Other), static_cast<ssize_t>(sizeof Other));
  int St;
  waitpid(Child, &St, 0);
  close(Pipe[0]);
  close(Pipe[1]);
  {
    ProcSampler Sampler(getpid(), std::string(Dir.Path));
    Sampler.sample(nowNs());
    EXPECT_EQ(Sampler.processes().count(Other), 0u);
    std::ofstream(std::string(Dir.Path) + "/not-a-pid");
    std::ofstream(std::string(Dir.Path) + "/" + std::to_string(Other) + "-1");
    Sampler.sample(nowNs());
    EXPECT_EQ(Sampler.processes().count(Other), 1u);
    EXPECT_EQ(Sampler.processes().size(), 2u); // this process and that one
  }
  kill(Other, SIGKILL);
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
    // The watch and one file per thread of this process (main and Busy).
    EXPECT_EQ(openFds(), Before + 3);
    Stop = true;
    Busy.join();
    Sampler.sample(nowNs());
    EXPECT_EQ(openFds(), Before + 2); // Busy's file closed with it
  }
  EXPECT_EQ(openFds(), Before);
}

} // namespace
