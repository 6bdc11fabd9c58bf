//===- OversubscribedThreadsCheck.cpp - threadwise-cpu-oversubscribed-threads =//
#include "OversubscribedThreadsCheck.h"
#include "analysis/ThreadInventory.h"

namespace threadwise {

void OversubscribedThreadsCheck::setOptions(const CheckOptions &Options) {
  auto Read = [&](llvm::StringRef Option, unsigned &Value) {
    auto It = Options.find((llvm::Twine(Name) + "." + Option).str());
    unsigned V = 0;
    if (It != Options.end() && !llvm::StringRef(It->second).trim().getAsInteger(10, V) && V > 0)
      Value = V;
  };
  Read("AssumedCores", AssumedCores);
  Read("MaxThreadsPerCore", MaxThreadsPerCore);
}

void OversubscribedThreadsCheck::run(const ProgramModel &P, std::vector<Finding> &Out) {
  for (const ThreadEntryInfo &T : buildThreadInventory(P)) {
    if (T.Class != ThreadClass::CpuBound)
      continue;
    const InstanceCount &N = T.Instances;
    std::string Count, Why;
    if (N.K == InstanceCount::Constant && N.N > double(MaxThreadsPerCore) * AssumedCores) {
      Count = N.str() + " instances";
      Why = "more than " + std::to_string(MaxThreadsPerCore) + " per core on a " +
            std::to_string(AssumedCores) + "-core machine";
    } else if (N.K == InstanceCount::Cores && N.N > MaxThreadsPerCore) {
      Count = N.str() + " instances";
      Why = "more than " + std::to_string(MaxThreadsPerCore) + " per core";
    } else if (N.K == InstanceCount::Unbounded) {
      Count = "one instance per item";
      Why = "as many as there are items, not cores";
    } else {
      continue;
    }
    Finding F;
    F.Check = Name;
    F.Pos = T.SpawnPos;
    F.Message = Count + " of CPU-bound thread '" + T.Entry + "' may run at once, " + Why +
                ": the threads take turns on the cores instead of running in parallel";
    for (const ThreadEvidence &E : T.Evidence)
      if (E.K == ThreadEvidence::Cpu) {
        F.Notes.push_back({E.Pos, "'" + T.Entry + "' computes here: " + E.What});
        break;
      }
    F.Notes.push_back({T.SpawnPos, "start std::thread::hardware_concurrency() threads (or use a "
                                   "pool of that size) and divide the work among them"});
    F.Fingerprint = makeFingerprint(F.Check, T.Entry, T.SpawnedBy, 0);
    Out.push_back(std::move(F));
  }
}

} // namespace threadwise
