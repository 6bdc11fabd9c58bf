//===- Checks.cpp - The registry of threadwise checks ---------------------===//
#include "threadwise/Checks.h"
#include "Check.h"
#include "cpu/OversubscribedThreadsCheck.h"
#include "cpu/SerializedByLockCheck.h"
#include "python/ApiWithoutGilCheck.h"
#include "python/GilHeldCpuLoopCheck.h"
#include "race/UnprotectedWriteCheck.h"
#include "llvm/Support/GlobPattern.h"

namespace threadwise {

static const CheckInfo Registry[] = {
    {"threadwise-race-unprotected-write",
     "write to a shared variable that another thread may access concurrently with no common lock",
     "A variable reachable from more than one thread is written while another thread may read or "
     "write it at the same time, and the two accesses hold no lock in common. This is a data race: "
     "undefined behaviour in C and C++. Protect both accesses with the same mutex, make the "
     "variable atomic, or make it thread-local."},
    {"threadwise-cpu-serialized-by-lock",
     "CPU-heavy work runs under a lock that every concurrent instance of the thread also takes",
     "A thread computes (a heavy loop nest or a cpu-heavy API call) while holding a lock that the "
     "other instances of the same thread, or another computing thread, take too. The threads then "
     "run the work one at a time and more threads bring no speed-up. Compute into a local result "
     "and merge it under the lock, partition the data so each thread has its own lock, or use "
     "processes."},
    {"threadwise-cpu-oversubscribed-threads",
     "CPU-bound threads are started far beyond the number of cores",
     "A thread whose work is CPU-bound is started many more times than a machine has cores (a "
     "large constant count, a large multiple of hardware_concurrency(), or one thread per item "
     "of data), so the threads only take turns on the cores. Start one thread per core (or use "
     "a pool of that size) and divide the work among them."},
    {"threadwise-python-gil-held-cpu-loop",
     "a CPython extension runs a CPU-heavy loop with the GIL held",
     "A function Python calls (a PyMethodDef entry or a type slot), or a function it calls, runs a "
     "CPU-heavy loop without releasing the GIL, so Python threads calling it run one at a time. "
     "Copy the inputs out of Python objects and run the loop between Py_BEGIN_ALLOW_THREADS and "
     "Py_END_ALLOW_THREADS."},
    {"threadwise-python-api-without-gil",
     "Python C-API call while the GIL is released",
     "A Py* function or reference-count operation runs between Py_BEGIN_ALLOW_THREADS and "
     "Py_END_ALLOW_THREADS, where the thread does not hold the GIL: undefined behaviour that "
     "corrupts the interpreter. Move the call out of the region or take the GIL with "
     "PyGILState_Ensure."},
};

llvm::ArrayRef<CheckInfo> allChecks() { return Registry; }

std::unique_ptr<ProgramCheck> createCheck(llvm::StringRef Name) {
  if (Name == UnprotectedWriteCheck::Name)
    return std::make_unique<UnprotectedWriteCheck>();
  if (Name == SerializedByLockCheck::Name)
    return std::make_unique<SerializedByLockCheck>();
  if (Name == OversubscribedThreadsCheck::Name)
    return std::make_unique<OversubscribedThreadsCheck>();
  if (Name == GilHeldCpuLoopCheck::Name)
    return std::make_unique<GilHeldCpuLoopCheck>();
  if (Name == ApiWithoutGilCheck::Name)
    return std::make_unique<ApiWithoutGilCheck>();
  return nullptr;
}

const CheckInfo *findCheck(llvm::StringRef Name) {
  for (const CheckInfo &C : Registry)
    if (Name == C.Name)
      return &C;
  return nullptr;
}

std::string checkDocURL(llvm::StringRef Name) {
  return ("https://github.com/threadwise/threadwise/blob/main/docs/checks/" + Name + ".md").str();
}

CheckFilter::CheckFilter() { Globs.push_back({true, "threadwise-*"}); }

llvm::Expected<CheckFilter> CheckFilter::parse(llvm::StringRef Text) {
  CheckFilter F;
  F.Globs.clear();
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Text.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    bool Positive = !P.consume_front("-");
    P = P.trim();
    if (P.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "invalid check glob '-': the pattern is empty");
    if (auto Pat = llvm::GlobPattern::create(P); !Pat)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "invalid check glob '%s': %s", P.str().c_str(),
                                     llvm::toString(Pat.takeError()).c_str());
    F.Globs.push_back({Positive, P.str()});
  }
  return F;
}

bool CheckFilter::isEnabled(llvm::StringRef Name) const {
  bool Enabled = false;
  for (const Glob &G : Globs) {
    auto Pat = llvm::GlobPattern::create(G.Pattern);
    if (Pat && Pat->match(Name))
      Enabled = G.Positive;
  }
  return Enabled;
}

std::string CheckFilter::decidingGlob(llvm::StringRef Name) const {
  std::string Out;
  for (const Glob &G : Globs) {
    auto Pat = llvm::GlobPattern::create(G.Pattern);
    if (Pat && Pat->match(Name))
      Out = (G.Positive ? "" : "-") + G.Pattern;
  }
  return Out;
}

std::vector<const CheckInfo *> CheckFilter::enabledChecks() const {
  std::vector<const CheckInfo *> Out;
  for (const CheckInfo &C : Registry)
    if (isEnabled(C.Name))
      Out.push_back(&C);
  return Out;
}

} // namespace threadwise
