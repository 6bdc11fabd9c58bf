//===- ProfilePerfEventsTest.cpp - -e lists, scaling, per-thread counters -===//
#include "collect/PerfEvents.h"
#include <atomic>
#include <cstdlib>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

using namespace threadwise::collect;

namespace {

TEST(PerfEvents, ParsesCommaLists) {
  EXPECT_EQ(PerfEvents::parseList("task-clock, page-faults,,"),
            (std::vector<std::string>{"task-clock", "page-faults"}));
  EXPECT_EQ(PerfEvents::parseList(""), PerfEvents::defaultEvents());
}

TEST(PerfEvents, UnknownNamesAreTheOnesLibpfmCannotEncode) {
  auto Bad = PerfEvents::unencodable({"task-clock", "no-such-event", "cycles"});
  ASSERT_EQ(Bad.size(), 1u); // cycles encodes even where no PMU can count it
  EXPECT_EQ(Bad[0].first, "no-such-event");
  EXPECT_NE(Bad[0].second.find("libpfm"), std::string::npos);
}

// The default events are encoded with libpfm4's generic PMU alone, forced
// through its environment variable for that one call: the profiled command
// must not inherit it.
TEST(PerfEvents, TheGenericSetUpLeavesNoForcedPmuInTheEnvironment) {
  ASSERT_EQ(getenv("LIBPFM_FORCE_PMU"), nullptr);
  EXPECT_TRUE(PerfEvents::unencodable(PerfEvents::defaultEvents()).empty());
  EXPECT_EQ(getenv("LIBPFM_FORCE_PMU"), nullptr);
}

TEST(PerfEvents, MultiplexedCountsAreScaledByEnabledOverRunning) {
  bool Multiplexed = true;
  EXPECT_DOUBLE_EQ(PerfEvents::scaledCount(1000, 500, 500, Multiplexed), 1000);
  EXPECT_FALSE(Multiplexed);
  // Counted a quarter of the time: four times the count.
  EXPECT_DOUBLE_EQ(PerfEvents::scaledCount(1000, 400, 100, Multiplexed), 4000);
  EXPECT_TRUE(Multiplexed);
  // Never scheduled: nothing to extrapolate from.
  EXPECT_DOUBLE_EQ(PerfEvents::scaledCount(0, 400, 0, Multiplexed), 0);
  EXPECT_FALSE(Multiplexed);
}

TEST(PerfEvents, AttachCountsEachThreadAndSumsThem) {
  std::atomic<bool> Stop{false};
  std::atomic<pid_t> Other{0};
  std::thread T([&] {
    Other = static_cast<pid_t>(syscall(SYS_gettid));
    while (!Stop) {
    }
  });
  while (!Other) {
  }
  PerfEvents Perf;
  Perf.attach({static_cast<pid_t>(syscall(SYS_gettid)), Other}, {"task-clock"});
  volatile double X = 1;
  for (int I = 0; I < 20000000; ++I)
    X = X * 1.0000001;
  Stop = true;
  T.join();
  ASSERT_EQ(Perf.opened(), 1u) << Perf.failures();
  llvm::json::Object R = Perf.read();
  const llvm::json::Object *E = (*R.getArray("available"))[0].getAsObject();
  EXPECT_EQ(E->getInteger("threads_counted"), 2);
  EXPECT_GT(*E->getInteger("value"), 0);
}

} // namespace
