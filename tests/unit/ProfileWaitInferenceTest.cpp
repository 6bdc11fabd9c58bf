//===- ProfileWaitInferenceTest.cpp - attach mode's wait inference --------===//
// The /proc lines are as recorded on x86_64 Linux 6.x from the examples in
// examples/profile/ (big_lock, cpu_threads.py) while blocked.
#include "collect/WaitInference.h"
#include "preload/tw_format.h"
#include <gtest/gtest.h>
#include <sys/syscall.h>

using namespace threadwise::collect;

namespace {

std::string futexLine(const char *Addr, const char *Op, const char *Timeout) {
  return std::to_string(SYS_futex) + " " + Addr + " " + Op + " 0x2 " + Timeout +
         " 0x0 0x0 0x7feefc13ce78 0x7feefc2a412b";
}

TEST(WaitInference, RunningOrRunnableIsNoWait) {
  EXPECT_FALSE(inferWait('R', "running", "0", false));
  // Woken from a futex but not yet on a CPU: still in the syscall, state R.
  EXPECT_FALSE(inferWait('R', futexLine("0x55aed2b0e0c0", "0x80", "0x0"), "0", false));
  EXPECT_FALSE(inferWait('Z', "", "", false));
}

TEST(WaitInference, MutexFutexIsLock) {
  auto W = inferWait('S', futexLine("0x55aed2b0e0c0", "0x80", "0x0"), "futex_do_wait", false);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Kind, TW_LOCK);
  EXPECT_EQ(W->Call, "futex");
  EXPECT_EQ(W->Address, 0x55aed2b0e0c0u);
}

TEST(WaitInference, BitsetFutexIsConditionOrJoin) {
  // pthread_join: FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME on the thread id.
  auto W = inferWait('S', futexLine("0x7feefc13d990", "0x109", "0x0"), "", false);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Kind, TW_WAIT);
}

TEST(WaitInference, TimedFutexInAGilProcessIsTheGil) {
  // CPython's take_gil(): a timed condition wait (FUTEX_WAIT_BITSET_PRIVATE).
  std::string Line = futexLine("0x7fa5a514e6f0", "0x89", "0x7fa5a43eaae0");
  auto W = inferWait('S', Line, "", /*GilProcess=*/true);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Kind, TW_GIL);
  // The same wait in a native program is a condition wait; an untimed one in
  // CPython (a join, a Lock.acquire()) is not the GIL either.
  EXPECT_EQ(inferWait('S', Line, "", false)->Kind, TW_WAIT);
  EXPECT_EQ(inferWait('S', futexLine("0x7f66ec000b70", "0x189", "0x0"), "", true)->Kind, TW_WAIT);
}

TEST(WaitInference, BlockingCalls) {
  std::string Read = std::to_string(SYS_read) + " 0x3 0x7ffd 0x1000 0x0 0x0 0x0 0x7ffd 0x7f00";
  EXPECT_EQ(inferWait('S', Read, "", false)->Kind, TW_IO);
  EXPECT_EQ(inferWait('S', Read, "", false)->Call, "read");
  std::string Sleep = std::to_string(SYS_clock_nanosleep) + " 0x0 0x0 0x7ffd 0x7ffd 0x0 0x0 0x7ffd 0x7f00";
  EXPECT_EQ(inferWait('S', Sleep, "", false)->Kind, TW_SLEEP);
}

TEST(WaitInference, WchanWhenTheSyscallFileIsUnreadable) {
  EXPECT_EQ(inferWait('S', "", "do_sys_poll", false)->Kind, TW_IO);
  EXPECT_EQ(inferWait('S', "", "hrtimer_nanosleep", false)->Kind, TW_SLEEP);
  EXPECT_EQ(inferWait('S', "", "futex_do_wait", true)->Kind, TW_GIL);
  EXPECT_EQ(inferWait('D', "", "0", false)->Kind, TW_IO);
  EXPECT_FALSE(inferWait('S', "", "0", false));
}

TEST(WaitInference, DetectsCPython) {
  DetectedPython Debian = detectPython("/usr/bin/python3.11", "");
  EXPECT_TRUE(Debian.Present);
  EXPECT_EQ(Debian.Version, "3.11");
  EXPECT_FALSE(Debian.SharedLibpython);
  DetectedPython Shared = detectPython(
      "/root/.pyenv/versions/3.11.7/bin/python3.11",
      "7f00-7f10 r-xp 00001000 fe:00 1 /root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0\n");
  EXPECT_TRUE(Shared.Present);
  EXPECT_TRUE(Shared.SharedLibpython);
  EXPECT_EQ(Shared.Version, "3.11");
  DetectedPython Free = detectPython("/usr/local/bin/python3.13t", "");
  EXPECT_TRUE(Free.Present);
  EXPECT_TRUE(Free.FreeThreaded);
  // An embedding program is CPython too; a Python-named tool is not.
  EXPECT_TRUE(detectPython("/usr/bin/blender", "1-2 r-xp 0 fe:00 1 /usr/lib/libpython3.12.so\n")
                  .Present);
  EXPECT_FALSE(detectPython("/usr/bin/python-config", "").Present);
  EXPECT_FALSE(detectPython("/usr/bin/big_lock", "").Present);
}

} // namespace
