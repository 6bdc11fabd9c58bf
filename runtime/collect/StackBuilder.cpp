//===- StackBuilder.cpp - Recorded stacks -> the profile's frames and stacks ===//
#include "StackBuilder.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <numeric>

using namespace llvm;

namespace threadwise::collect {

static const char *const StackKindNames[TW_STACK_KIND_COUNT] = {"lock", "io",  "sleep",
                                                                "wait", "gil", "cpu"};

std::vector<uint64_t> apportion(const std::vector<uint64_t> &Weights, uint64_t Total) {
  std::vector<uint64_t> Out(Weights.size(), 0);
  unsigned __int128 Sum = 0;
  for (uint64_t W : Weights)
    Sum += W;
  if (Sum == 0)
    return Out;
  uint64_t Given = 0;
  std::vector<std::pair<uint64_t, size_t>> Remainders;
  for (size_t I = 0; I < Weights.size(); ++I) {
    unsigned __int128 P = static_cast<unsigned __int128>(Weights[I]) * Total;
    Out[I] = static_cast<uint64_t>(P / Sum);
    Given += Out[I];
    Remainders.push_back({static_cast<uint64_t>((P % Sum) * 1000 / Sum), I});
  }
  std::stable_sort(Remainders.begin(), Remainders.end(),
                   [](const auto &A, const auto &B) { return A.first > B.first; });
  for (size_t I = 0; Given < Total && I < Remainders.size(); ++I, ++Given)
    ++Out[Remainders[I].second];
  return Out;
}

int64_t ProcessStacks::frameId(const std::string &Kind, const std::string &Function,
                               const std::string &File, int64_t Line, const std::string &Module,
                               uint64_t Address) {
  auto Key = std::make_tuple(Kind, Function, File, Line, Module, Function.empty() ? Address : 0);
  auto [It, New] = FrameIds.emplace(Key, static_cast<int64_t>(FramesJson.size()));
  if (New) {
    json::Object F{{"function", Function}, {"file", File},     {"line", Line},
                   {"module", Module},     {"kind", Kind}};
    if (Function.empty() && Address) {
      std::string Hex;
      raw_string_ostream(Hex) << format_hex(Address, 2);
      F["address"] = Hex; // module-relative when module is set
    }
    FramesJson.push_back(std::move(F));
  }
  return It->second;
}

ProcessStacks::Path ProcessStacks::symbolize(const ImageRecord &R, const RecordedStack &S,
                                             const std::vector<Mapping> &Maps) {
  Path P;
  if (S.Flags & TW_STACK_TRUNCATED)
    P.push_back(marker("[truncated]"));
  for (size_t I = S.Frames.size(); I-- > 0;) { // recorded leaf first
    uint64_t Addr = S.Frames[I];
    if (Addr & TW_FRAME_INTERNED) {
      auto F = R.Frames.find(Addr & ~TW_FRAME_INTERNED);
      if (F == R.Frames.end()) {
        P.push_back(marker("[unknown frame]"));
        continue;
      }
      P.push_back(frameId(F->second.Kind == TW_FRAME_PYTHON ? "python" : "native",
                          F->second.Function, F->second.File, F->second.Line, "", 0));
      continue;
    }
    for (const SiteLocation &L : Symbolizer.lookupFrames(Addr, Maps))
      P.push_back(frameId("native", L.Function, L.File, L.Line, L.Module,
                          L.ModuleAddress ? L.ModuleAddress : Addr));
  }
  return P;
}

void ProcessStacks::addImage(const ImageRecord &R, const std::vector<Mapping> &Maps) {
  std::map<uint64_t, Path> Paths;
  for (const tw_stack_count &C : R.StackCounts) {
    auto S = R.Stacks.find(C.hash);
    if (S == R.Stacks.end())
      continue; // counted in the thread's "[no stack]" remainder
    auto P = Paths.find(C.hash);
    if (P == Paths.end())
      P = Paths.emplace(C.hash, symbolize(R, S->second, Maps)).first;
    Acc &A = ByThread[C.tid][{static_cast<int>(C.kind), P->second}];
    A.Count += C.count;
    A.ValueNs += C.value_ns;
  }
}

json::Array ProcessStacks::threadStacks(int64_t Tid, const StackTotals &Totals) {
  // Per kind: the recorded paths, then what the totals say they must add up to.
  std::map<std::string, std::vector<std::pair<Path, Acc>>> ByKind;
  std::vector<std::pair<Path, Acc>> Cpu;
  if (auto It = ByThread.find(Tid); It != ByThread.end())
    for (const auto &[KP, A] : It->second)
      (KP.first == TW_STACK_CPU ? Cpu : ByKind[StackKindNames[KP.first]])
          .push_back({KP.second, A});

  json::Array Out;
  auto Emit = [&](const std::string &Kind, std::vector<std::pair<Path, Acc>> &Stacks,
                  uint64_t Total, bool ByCount, const char *Missing) {
    uint64_t Recorded = 0;
    std::vector<uint64_t> Weights;
    for (const auto &[P, A] : Stacks) {
      Weights.push_back(ByCount ? A.Count : A.ValueNs);
      Recorded += A.ValueNs;
    }
    std::vector<uint64_t> Values;
    if (ByCount || Recorded > Total) {
      Values = apportion(Weights, Total); // samples, or racy totals at exit
    } else {
      Values = Weights;
      if (Total > Recorded) {
        Stacks.push_back({Path{marker(Missing)}, Acc{0, 0}});
        Values.push_back(Total - Recorded);
      }
    }
    if (Total > 0 && Stacks.empty()) {
      Stacks.push_back({Path{marker(Missing)}, Acc{0, 0}});
      Values.push_back(Total);
    }
    std::vector<size_t> Order(Stacks.size());
    std::iota(Order.begin(), Order.end(), 0);
    std::stable_sort(Order.begin(), Order.end(),
                     [&](size_t A, size_t B) { return Values[A] > Values[B]; });
    for (size_t I : Order) {
      if (!Values[I])
        continue;
      json::Array Frames;
      for (int64_t F : Stacks[I].first)
        Frames.push_back(F);
      Out.push_back(json::Object{{"kind", Kind},
                                 {"frames", std::move(Frames)},
                                 {"value_ns", static_cast<int64_t>(Values[I])},
                                 {"samples", static_cast<int64_t>(Stacks[I].second.Count)}});
    }
  };
  std::vector<std::pair<Path, Acc>> Runnable = Cpu;
  Emit("cpu", Cpu, Totals.CpuNs, true, "[unsampled]");
  // Run delay: a thread waits for a core where it was preempted, i.e. where it
  // ran; without samples it gets a frame of its own.
  Emit("runnable", Runnable, Totals.RunDelayNs, true, "[runnable]");
  for (int K = 0; K < TW_KIND_COUNT; ++K)
    Emit(StackKindNames[K], ByKind[StackKindNames[K]], Totals.WaitNs[K], false, "[no stack]");
  return Out;
}

} // namespace threadwise::collect
