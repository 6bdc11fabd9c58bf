//===- ProfileModelTest.cpp - Speed-up models, metrics and verdict rules --===//
#include "threadwise/runtime/ProfileAnalysis.h"
#include "gtest/gtest.h"

using namespace threadwise::runtime;

namespace {

constexpr int64_t Ms = 1'000'000;

//===-- Amdahl / USL / work model -----------------------------------------===//

TEST(SpeedupModel, AmdahlLimits) {
  EXPECT_DOUBLE_EQ(amdahlSpeedup(0.0, 4), 4.0);
  EXPECT_DOUBLE_EQ(amdahlSpeedup(1.0, 4), 1.0);
  EXPECT_NEAR(amdahlSpeedup(0.5, 2), 4.0 / 3.0, 1e-12);
  // s = 0.1 caps the speed-up at 10 however many workers.
  EXPECT_LT(amdahlSpeedup(0.1, 1e6), 10.0);
  EXPECT_GT(amdahlSpeedup(0.1, 1e6), 9.9);
}

TEST(SpeedupModel, UslReducesToLinearAndPeaks) {
  EXPECT_DOUBLE_EQ(uslSpeedup({0, 0}, 8), 8.0);
  UslParams P{0.05, 0.01};
  // With coherency cost, throughput peaks near sqrt((1 - sigma) / kappa) ~ 10
  // and then falls.
  EXPECT_GT(uslSpeedup(P, 10), uslSpeedup(P, 4));
  EXPECT_GT(uslSpeedup(P, 10), uslSpeedup(P, 30));
}

TEST(SpeedupModel, FitUslRecoversParameters) {
  UslParams Truth{0.08, 0.004};
  std::vector<std::pair<double, double>> Pts;
  for (double N : {1.0, 2.0, 4.0, 8.0, 16.0})
    Pts.push_back({N, uslSpeedup(Truth, N)});
  std::optional<UslParams> Fit = fitUsl(Pts);
  ASSERT_TRUE(Fit);
  EXPECT_NEAR(Fit->Sigma, 0.08, 1e-6);
  EXPECT_NEAR(Fit->Kappa, 0.004, 1e-6);
}

TEST(SpeedupModel, FitUslNeedsThreeConcurrencyLevels) {
  EXPECT_FALSE(fitUsl({{1, 1}, {2, 1.8}}));
  EXPECT_FALSE(fitUsl({{2, 1.8}, {2, 1.9}, {2, 1.7}}));
}

TEST(SpeedupModel, FitUslClampsNegativeTerms) {
  // Super-linear data would need a negative sigma; the fit refuses it.
  std::optional<UslParams> Fit = fitUsl({{1, 1}, {2, 2.2}, {3, 3.5}});
  ASSERT_TRUE(Fit);
  EXPECT_GE(Fit->Sigma, 0);
  EXPECT_GE(Fit->Kappa, 0);
}

TEST(SpeedupModel, WorkModelCapsCpuAtCoresButNotIo) {
  WorkModel Cpu;
  Cpu.ParallelCpuNs = 100;
  Cpu.Cores = 2;
  EXPECT_DOUBLE_EQ(Cpu.speedup(8), 2.0);
  WorkModel Io;
  Io.OverlapNs = 100;
  Io.Cores = 2;
  EXPECT_DOUBLE_EQ(Io.speedup(8), 8.0);
  WorkModel Serial;
  Serial.SerialCpuNs = 100;
  EXPECT_DOUBLE_EQ(Serial.speedup(4), 1.0);
  EXPECT_DOUBLE_EQ(Serial.serialFraction(), 1.0);
}

TEST(SpeedupModel, SpawnCostIsPaidPerWorker) {
  WorkModel M;
  M.ParallelCpuNs = 100;
  M.Cores = 4;
  double Free = M.speedup(4);
  M.SpawnCostNs = 5;
  EXPECT_LT(M.speedup(4), Free);
  EXPECT_NEAR(M.speedup(4), 100.0 / (25 + 20), 1e-12);
}

//===-- Metrics from a profile --------------------------------------------===//

ProfileThread worker(int64_t Tid, int64_t Cpu, int64_t Wall) {
  ProfileThread T;
  T.Tid = Tid;
  T.Start = 0;
  T.End = Wall;
  T.UserNs = Cpu;
  return T;
}

Profile oneProcess(std::vector<ProfileThread> Threads, int64_t Wall,
                   bool Python = false) {
  Profile P;
  P.WallNs = Wall;
  P.End = Wall;
  P.Cores = 2;
  P.Mode = "preload";
  ProfileProcess Proc;
  Proc.Pid = 1;
  Proc.End = Wall;
  Proc.Python.Present = Python;
  Proc.Threads = std::move(Threads);
  P.Processes.push_back(std::move(Proc));
  return P;
}

TEST(ProfileMetrics, MainThreadInJoinIsNotAWorker) {
  ProfileThread Main = worker(1, 1 * Ms, 1000 * Ms);
  Main.LockWaitNs = 990 * Ms; // join() on a semaphore: looks like a lock
  Main.Intervals.push_back({5 * Ms, 995 * Ms, "lock", 0});
  ProfileThread A = worker(2, 950 * Ms, 1000 * Ms);
  ProfileThread B = worker(3, 940 * Ms, 1000 * Ms);
  Main.RunDelayNs = 100 * Ms; // delayed at start-up on a busy machine
  Metrics M = computeMetrics(oneProcess({Main, A, B}, 1000 * Ms));
  EXPECT_EQ(M.Threads, 3u);
  EXPECT_EQ(M.WorkerThreads, 2u);
  EXPECT_FALSE(M.ThreadList[0].Worker);
  EXPECT_NEAR(M.Parallelism, 1.891, 1e-3);
  EXPECT_DOUBLE_EQ(M.Shares.Lock, 0.0);
  EXPECT_DOUBLE_EQ(M.SerializedShare, 0.0);
  EXPECT_EQ(recommend(M).V, Verdict::Threads);
}

TEST(ProfileMetrics, SerializedShareIsTheUnionOfWaits) {
  ProfileThread A = worker(1, 500 * Ms, 1000 * Ms);
  ProfileThread B = worker(2, 500 * Ms, 1000 * Ms);
  A.LockWaitNs = B.LockWaitNs = 400 * Ms;
  A.Intervals.push_back({0, 400 * Ms, "lock", 7});
  B.Intervals.push_back({200 * Ms, 600 * Ms, "lock", 7});
  Profile P = oneProcess({A, B}, 1000 * Ms);
  P.Sites.push_back({7, "lock", "worker", "x.cpp", "", "", 3, 0, 0});
  Metrics M = computeMetrics(P);
  EXPECT_NEAR(M.SerializedShare, 0.6, 1e-9);
  EXPECT_EQ(M.LockSerializedNs, 600 * Ms);
  ASSERT_EQ(M.Sites.size(), 1u);
  // The site had no totals: they come from its intervals.
  EXPECT_EQ(M.Sites[0].WaitNs, 800 * Ms);
  EXPECT_EQ(M.Sites[0].Count, 2);
  ASSERT_NE(M.topContendedSite(), nullptr);
  EXPECT_EQ(M.topContendedSite()->location(), "worker (x.cpp:3)");
}

TEST(ProfileMetrics, RulePacksNameSitesAndJoinsAreNotContention) {
  threadwise::RuleSet Rules;
  llvm::Error E = Rules.loadBuffer(R"(name: test
joins:
  - method: std::thread::join
locks:
  - { function: pthread_mutex_lock, action: acquire, lock-arg: 0 }
)",
                                   "test.yaml");
  ASSERT_FALSE(bool(E)) << llvm::toString(std::move(E));
  ProfileThread A = worker(1, 500 * Ms, 1000 * Ms);
  ProfileThread B = worker(2, 500 * Ms, 1000 * Ms);
  A.LockWaitNs = B.LockWaitNs = 300 * Ms;
  Profile P = oneProcess({A, B}, 1000 * Ms);
  P.Sites.push_back(
      {1, "lock", "std::thread::join()", "", "", "", 0, 900 * Ms, 1});
  P.Sites.push_back(
      {2, "lock", "pthread_mutex_lock", "", "", "", 0, 600 * Ms, 40});
  Metrics M = computeMetrics(P, &Rules);
  ASSERT_EQ(M.Sites.size(), 2u);
  EXPECT_EQ(M.Sites[0].Api, "std::thread::join: join (test)");
  EXPECT_EQ(M.Sites[1].Api, "pthread_mutex_lock: lock (test)");
  ASSERT_NE(M.topContendedSite(), nullptr);
  EXPECT_EQ(M.topContendedSite()->Id, 2);
}

TEST(ProfileMetrics, WindowsFollowTheSamples) {
  // Busy in the first half only.
  ProfileThread A = worker(1, 500 * Ms, 1000 * Ms);
  A.Samples = {{500 * Ms, 500 * Ms, 0}, {900 * Ms, 500 * Ms, 0}};
  Metrics M = computeMetrics(oneProcess({A}, 1000 * Ms));
  ASSERT_GE(M.Windows.size(), 10u);
  EXPECT_NEAR(M.Windows.front().Parallelism, 1.0, 1e-6);
  EXPECT_NEAR(M.Windows.back().Parallelism, 0.0, 1e-6);
  ASSERT_EQ(M.Phases.size(), 2u);
  EXPECT_NEAR(double(M.Phases[0].End), 500e6, 20e6); // within a window
}

TEST(ProfileMetrics, PipeWaitsOfAParentProcessAreNotWork) {
  // A multiprocessing pool: the parent's handler thread reads result pipes
  // for the whole run while two children compute.
  Profile P = oneProcess({worker(1, 5 * Ms, 1000 * Ms)}, 1000 * Ms, true);
  ProfileThread Handler = worker(2, 1 * Ms, 1000 * Ms);
  Handler.IoWaitNs = 990 * Ms;
  P.Processes[0].Threads.push_back(Handler);
  for (int64_t Pid : {10, 11}) {
    ProfileProcess Child;
    Child.Pid = Pid;
    Child.Ppid = 1;
    Child.End = 1000 * Ms;
    Child.SpawnNs = 20 * Ms;
    Child.Python.Present = true;
    Child.Threads.push_back(worker(Pid, 900 * Ms, 1000 * Ms));
    P.Processes.push_back(Child);
  }
  Metrics M = computeMetrics(P);
  EXPECT_EQ(M.WorkerThreads, 2u);
  EXPECT_EQ(M.WorkerProcesses, 2u);
  EXPECT_DOUBLE_EQ(M.Shares.Io, 0.0);
  EXPECT_DOUBLE_EQ(M.MeanSpawnNs, 20e6);
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Processes);
  EXPECT_EQ(R.Rule, "processes-scale");
}

TEST(ProfileMetrics, OneThreadPhaseIsSerialInThePrediction) {
  // 0.5 s of set-up on the main thread, then two workers for 0.5 s.
  ProfileThread Main = worker(1, 500 * Ms, 1000 * Ms);
  Main.Samples = {{500 * Ms, 500 * Ms, 0}};
  ProfileThread A = worker(2, 500 * Ms, 1000 * Ms);
  ProfileThread B = worker(3, 500 * Ms, 1000 * Ms);
  A.Start = B.Start = 500 * Ms;
  Metrics M = computeMetrics(oneProcess({Main, A, B}, 1000 * Ms));
  EXPECT_NEAR(double(M.OneThreadPhaseCpuNs), 500e6, 20e6);
  SpeedupPrediction S = predictSpeedups(M);
  EXPECT_NEAR(S.SerialFraction, 1.0 / 3, 0.02);
  // Amdahl with s = 1/3 on 2 cores: 1 / (1/3 + 2/3 / 2) = 1.5.
  EXPECT_NEAR(S.Threads[0], 1.5, 0.03);
}

//===-- Verdict rules -----------------------------------------------------===//

/// Metrics of N identical worker threads over a 2 s run on 2 cores.
Metrics workers(unsigned N, double Parallelism, TimeShares Sh) {
  Metrics M;
  M.Cores = 2;
  M.WallNs = 2000 * Ms;
  M.CpuNs = int64_t(Parallelism * M.WallNs);
  M.Parallelism = M.DemandParallelism = Parallelism;
  M.Threads = M.WorkerThreads = N;
  M.Processes = M.WorkerProcesses = 1;
  M.TopThreadBusyShare = 1.0 / N;
  M.Shares = Sh;
  M.IntervalsAvailable = true;
  M.Mode = "preload";
  for (unsigned I = 0; I < N; ++I) {
    ThreadMetrics T;
    T.Tid = I + 1;
    T.CpuNs = M.CpuNs / N;
    T.Worker = true;
    M.ThreadList.push_back(T);
  }
  return M;
}

TEST(VerdictRules, GilBoundPythonThreadsWantProcesses) {
  Metrics M = workers(4, 1.0, {0.25, 0, 0, 0, 0.75, 0});
  M.Python = M.GilPython = M.GilMeasured = true;
  M.PythonCpuNs = M.CpuNs;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Processes);
  EXPECT_EQ(R.Rule, "gil-bound");
  EXPECT_GT(R.Confidence, 0.8);
  ASSERT_FALSE(R.Evidence.empty());
  EXPECT_NE(R.Evidence[0].find("GIL"), std::string::npos);
  // The GIL keeps threads at 1x; processes approach the cores.
  ASSERT_EQ(R.Speedup.Workers, (std::vector<unsigned>{2, 4}));
  EXPECT_NEAR(R.Speedup.Threads[0], 1.0, 1e-9);
  EXPECT_GT(R.Speedup.Processes[0], 1.5);
}

TEST(VerdictRules, FreeThreadedPythonIgnoresGil) {
  Metrics M = workers(2, 1.9, {0.97, 0, 0, 0, 0, 0.03});
  M.Python = M.FreeThreadedPython = true;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Threads);
  ASSERT_FALSE(R.Notes.empty());
  EXPECT_NE(R.Notes[0].find("Free-threaded"), std::string::npos);
}

TEST(VerdictRules, OneBigLockWantsFixContention) {
  Metrics M = workers(4, 1.0, {0.25, 0.75, 0, 0, 0, 0});
  M.LockSerializedNs = M.WallNs;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::FixContention);
  // Fixing the lock is what unlocks the cores.
  EXPECT_NEAR(R.Speedup.Threads[0], 1.0, 1e-9);
  EXPECT_NEAR(R.Speedup.FixContention[0], 2.0, 1e-9);
}

TEST(VerdictRules, LockWaitsWithoutSerializationAreNotContention) {
  // Workers briefly queue on a task queue at start-up, then run in parallel.
  Metrics M = workers(4, 1.8, {0.6, 0.35, 0, 0, 0, 0.05});
  M.LockSerializedNs = M.WallNs / 10;
  EXPECT_NE(recommend(M).V, Verdict::FixContention);
}

TEST(VerdictRules, IoBoundThreadsWantThreads) {
  Metrics M = workers(5, 0.1, {0.05, 0, 0.6, 0.35, 0, 0});
  M.Python = M.GilPython = M.GilMeasured = true;
  EXPECT_EQ(recommend(M).V, Verdict::Threads);
  EXPECT_EQ(recommend(M).Rule, "io-bound");
}

TEST(VerdictRules, ScalingNativeThreadsWantThreads) {
  EXPECT_EQ(recommend(workers(2, 1.8, {0.97, 0, 0, 0, 0, 0.03})).V,
            Verdict::Threads);
}

TEST(VerdictRules, BusyMachineStillShowsScaling) {
  // Other load took the cores: little CPU, much run delay. The threads
  // wanted two cores' worth, so they scale.
  Metrics M = workers(2, 0.5, {0.25, 0, 0, 0, 0, 0.75});
  M.DemandParallelism = 1.95;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Threads);
  EXPECT_EQ(R.Rule, "threads-scale");
}

TEST(VerdictRules, ScalingProcessesWantProcesses) {
  Metrics M = workers(4, 1.85, {0.5, 0, 0, 0, 0, 0.5});
  M.Processes = 5;
  M.WorkerProcesses = 4;
  M.MeanSpawnNs = 30 * Ms;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Processes);
  EXPECT_TRUE(R.Speedup.SpawnCostMeasured);
}

TEST(VerdictRules, OneThreadIsSerial) {
  Metrics M = workers(1, 0.98, {1, 0, 0, 0, 0, 0});
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Serial);
  for (double S : R.Speedup.Threads)
    EXPECT_DOUBLE_EQ(S, 1.0);
  for (double S : R.Speedup.Processes)
    EXPECT_LT(S, 1.0); // only the spawn cost
}

/// An unfair mutex that one thread keeps re-taking: it does all the work, the
/// other three spend their lives queued on the lock.
Metrics starvedOnLock(double OthersLockShare) {
  Metrics M = workers(1, 1.0, {1, 0, 0, 0, 0, 0});
  M.ThreadList[0].LifetimeNs = M.WallNs;
  M.ThreadList[0].CpuNs = M.WallNs;
  M.TopThreadBusyShare = 0.98;
  for (unsigned I = 0; I < 3; ++I) {
    ThreadMetrics T;
    T.Tid = 10 + I;
    T.LifetimeNs = M.WallNs;
    T.CpuNs = M.WallNs / 200;
    T.LockNs = int64_t(OthersLockShare * M.WallNs);
    M.ThreadList.push_back(T);
  }
  M.Threads = 4;
  return M;
}

TEST(VerdictRules, ThreadsStarvedOnALockWantFixContention) {
  Recommendation R = recommend(starvedOnLock(0.95));
  EXPECT_EQ(R.V, Verdict::FixContention);
  EXPECT_EQ(R.Rule, "lock-starved");
  ASSERT_FALSE(R.Evidence.empty());
  EXPECT_NE(R.Evidence[0].find("3 other threads"), std::string::npos);
}

TEST(VerdictRules, IdleHelperThreadsDoNotMakeOneWorkerContention) {
  // The others mostly sleep or wait on a condition: still one worker.
  Recommendation R = recommend(starvedOnLock(0.2));
  EXPECT_EQ(R.V, Verdict::Serial);
  EXPECT_EQ(R.Rule, "one-worker");
}

TEST(VerdictRules, OneCoreCannotRunCpuWorkInParallel) {
  Metrics M = workers(2, 0.95, {0.5, 0, 0, 0, 0, 0.5});
  M.Cores = 1;
  M.DemandParallelism = 1.9;
  EXPECT_EQ(recommend(M).Rule, "one-core");
  // I/O-bound threads still overlap their waits on one core.
  Metrics Io = workers(4, 0.05, {0.05, 0, 0.95, 0, 0, 0});
  Io.Cores = 1;
  EXPECT_EQ(recommend(Io).V, Verdict::Threads);
}

TEST(VerdictRules, ShortRunIsSerial) {
  Metrics M = workers(4, 1.9, {1, 0, 0, 0, 0, 0});
  M.WallNs = 5 * Ms;
  EXPECT_EQ(recommend(M).Rule, "short-run");
}

TEST(VerdictRules, GilIsInferredWithoutPreload) {
  Metrics M = workers(4, 1.0, {0.98, 0, 0, 0, 0, 0.02});
  M.Python = M.GilPython = true;
  M.Mode = "proc-only";
  M.IntervalsAvailable = false;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Processes);
  EXPECT_EQ(R.Rule, "gil-inferred");
  EXPECT_LT(R.Confidence, 0.6);
}

TEST(VerdictRules, GilOutranksLockAndEvidenceStaysShort) {
  Metrics M = workers(4, 1.0, {0.1, 0.3, 0, 0, 0.5, 0.4});
  M.Python = M.GilPython = M.GilMeasured = true;
  M.Processes = 3;
  M.MeanSpawnNs = 1 * Ms;
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Processes);
  EXPECT_LE(R.Evidence.size(), 5u);
}

TEST(VerdictRules, NoSingleCauseFallsBackToSerial) {
  Metrics M = workers(2, 0.7, {0.5, 0.1, 0.1, 0, 0, 0.1});
  Recommendation R = recommend(M);
  EXPECT_EQ(R.V, Verdict::Serial);
  EXPECT_EQ(R.Rule, "no-benefit");
}

} // namespace
