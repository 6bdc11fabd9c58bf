//===- PythonAttachSampler.cpp - Python stacks for `threadwise profile --pid` =//
#include "PythonAttachSampler.h"
#include <functional>

namespace threadwise::collect {

static uint64_t mix(uint64_t H, uint64_t V) {
  H ^= V + 0x9E3779B97F4A7C15ull + (H << 6) + (H >> 2);
  return H * 0xFF51AFD7ED558CCDull;
}

void PythonAttachSampler::round(const ProcessInfo &Info,
                                const std::vector<ThreadObservation> &Threads, uint64_t NowNs) {
  if (!Info.Python.Present || Failures.count(Info.Pid))
    return;
  Process &P = Processes[Info.Pid];
  if (!P.Reader) {
    std::string Why;
    P.Reader = RemotePython::open(Info.Pid, Why);
    if (!P.Reader) {
      Failures[Info.Pid] = Why;
      Processes.erase(Info.Pid);
      return;
    }
  }
  uint64_t Weight = P.LastNs && NowNs > P.LastNs ? NowNs - P.LastNs : 0;
  P.LastNs = NowNs;
  if (!Weight)
    return; // the first round only starts the clock
  std::map<pid_t, std::vector<uint64_t>> Stacks; // tid -> leaf-first frame ids
  std::hash<std::string> Hash;
  for (const PythonThreadStack &S : P.Reader->stacks()) {
    std::vector<uint64_t> &Ids = Stacks[S.Tid];
    for (size_t I = S.Frames.size(); I-- > 0;) {
      const PythonFrame &F = S.Frames[I];
      uint64_t Id = mix(mix(Hash(F.Function), Hash(F.File)), static_cast<uint64_t>(F.Line)) &
                    ~TW_FRAME_INTERNED;
      RecordedFrame &R = P.Record.Frames[Id];
      R.Kind = TW_FRAME_PYTHON;
      R.Line = static_cast<int32_t>(F.Line);
      R.Function = F.Function;
      R.File = F.File;
      Ids.push_back(Id | TW_FRAME_INTERNED);
    }
  }
  for (const ThreadObservation &T : Threads) {
    auto S = Stacks.find(T.Tid);
    if (S == Stacks.end() || S->second.empty())
      continue;
    uint64_t Kind;
    if (T.State == 'R')
      Kind = TW_STACK_CPU;
    else if (T.Wait)
      Kind = static_cast<uint64_t>(T.Wait->Kind);
    else
      continue; // blocked on something attach mode cannot tell
    uint64_t StackHash = 0x74770002ull;
    for (uint64_t Id : S->second)
      StackHash = mix(StackHash, Id);
    RecordedStack &RS = P.Record.Stacks[StackHash];
    RS.Frames = S->second;
    auto Key = std::make_tuple(static_cast<int64_t>(T.Tid), StackHash, Kind);
    auto [It, New] = P.Counts.emplace(Key, P.Record.StackCounts.size());
    if (New)
      P.Record.StackCounts.push_back({static_cast<int64_t>(T.Tid), StackHash, Kind, 0, 0});
    tw_stack_count &C = P.Record.StackCounts[It->second];
    ++C.count;
    C.value_ns += Weight;
  }
}

std::map<pid_t, ImageRecord> PythonAttachSampler::take() {
  std::map<pid_t, ImageRecord> Out;
  for (auto &[Pid, P] : Processes)
    Out.emplace(Pid, std::move(P.Record));
  Processes.clear();
  return Out;
}

} // namespace threadwise::collect
