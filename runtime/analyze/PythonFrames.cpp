//===- PythonFrames.cpp - Which Python functions waited for the GIL or ran ===//
//
// A stack's innermost Python frame names the Python code it was charged to:
// the GIL-wait stacks say which code was waiting to run, the on-CPU stacks
// which code ran (docs/runtime.md "Python stacks"). Time is summed per
// function (file + qualified name); the line shown is the function's line
// with the most time of that kind. Shares are of the kind's total, including
// stacks with no Python frame, so they never overstate.
//
//===----------------------------------------------------------------------===//
#include "threadwise/runtime/ProfileAnalysis.h"
#include <algorithm>
#include <map>

using namespace threadwise::runtime;

namespace {

struct FunctionAcc {
  int64_t GilNs = 0, CpuNs = 0;
  std::map<int64_t, int64_t> GilLines, CpuLines;
};

using FunctionKey = std::pair<std::string, std::string>; // file, function

struct Totals {
  int64_t GilNs = 0, CpuNs = 0;
  std::map<FunctionKey, FunctionAcc> Functions;

  void add(const ProfileProcess &P, const ProfileThread &T) {
    for (const ProfileStack &S : T.Stacks) {
      bool Gil = S.Kind == "gil", Cpu = S.Kind == "cpu";
      if (!Gil && !Cpu)
        continue;
      (Gil ? GilNs : CpuNs) += S.ValueNs;
      for (size_t I = S.Frames.size(); I-- > 0;) { // root first: the innermost is last
        const ProfileFrame &F = P.Frames[S.Frames[I]];
        if (F.Kind != "python")
          continue;
        FunctionAcc &A = Functions[{F.File, F.Function}];
        (Gil ? A.GilNs : A.CpuNs) += S.ValueNs;
        (Gil ? A.GilLines : A.CpuLines)[F.Line] += S.ValueNs;
        break;
      }
    }
  }

  std::vector<PythonFunctionMetrics> top(size_t Max) const {
    auto Hottest = [](const std::map<int64_t, int64_t> &Lines) {
      int64_t Best = 0, BestNs = -1;
      for (const auto &[Line, Ns] : Lines)
        if (Ns > BestNs) {
          Best = Line;
          BestNs = Ns;
        }
      return Best;
    };
    std::vector<PythonFunctionMetrics> Out;
    for (const auto &[Key, A] : Functions) {
      PythonFunctionMetrics F;
      F.File = Key.first;
      F.Function = Key.second;
      F.GilNs = A.GilNs;
      F.CpuNs = A.CpuNs;
      F.GilLine = Hottest(A.GilLines);
      F.CpuLine = Hottest(A.CpuLines);
      F.GilShare = GilNs > 0 ? double(A.GilNs) / GilNs : 0;
      F.CpuShare = CpuNs > 0 ? double(A.CpuNs) / CpuNs : 0;
      Out.push_back(std::move(F));
    }
    std::stable_sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
      return A.GilNs + A.CpuNs > B.GilNs + B.CpuNs;
    });
    if (Out.size() > Max)
      Out.resize(Max);
    return Out;
  }
};

} // namespace

void threadwise::runtime::addPythonFunctions(const Profile &P, Metrics &M) {
  Totals All;
  for (const ProfileProcess &Proc : P.Processes) {
    if (!Proc.hasGil())
      continue;
    if (!Proc.Python.Stacks)
      M.PythonStacksMissing = true;
    for (const ProfileThread &T : Proc.Threads) {
      All.add(Proc, T);
      Totals One;
      One.add(Proc, T);
      for (ThreadMetrics &TM : M.ThreadList)
        if (TM.Pid == Proc.Pid && TM.Tid == T.Tid)
          TM.PythonFunctions = One.top(5);
    }
  }
  M.PythonFunctions = All.top(20);
}
