//===- StackBuilder.h - Recorded stacks -> the profile's frames and stacks -===//
//
// Per process: symbolises the preload library's stacks (inlined calls become
// frames of their own) into one frame table, and gives each thread its stacks
// per kind, root first (docs/runtime.md "Flame graphs"). Each thread's stacks
// of a kind add up exactly to that thread's total of the kind in the profile:
// on-CPU time is apportioned by sample counts, run delay likewise over the
// on-CPU stacks, and time no stack was recorded for goes to a "[no stack]" /
// "[unsampled]" frame.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_STACKBUILDER_H
#define THREADWISE_COLLECT_STACKBUILDER_H

#include "RecordFiles.h"
#include "SiteSymbolizer.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <tuple>
#include <vector>

namespace threadwise::collect {

/// A thread's totals that its stacks must add up to.
struct StackTotals {
  uint64_t CpuNs = 0, RunDelayNs = 0;
  uint64_t WaitNs[TW_KIND_COUNT] = {};
};

/// Splits Total over Weights in proportion, to the nanosecond (largest remainder).
std::vector<uint64_t> apportion(const std::vector<uint64_t> &Weights, uint64_t Total);

class ProcessStacks {
public:
  explicit ProcessStacks(SiteSymbolizer &Symbolizer) : Symbolizer(Symbolizer) {}
  /// Adds one image's stack counts (the images of a pid in exec order).
  void addImage(const ImageRecord &R, const std::vector<Mapping> &Maps);
  /// The "stacks" array of one thread.
  llvm::json::Array threadStacks(int64_t Tid, const StackTotals &Totals);
  /// The process' "frames" array (call after every threadStacks()).
  llvm::json::Array frames() const { return FramesJson; }

private:
  struct Acc {
    uint64_t Count = 0, ValueNs = 0;
  };
  using Path = std::vector<int64_t>; // frame ids, root first
  int64_t frameId(const std::string &Kind, const std::string &Function, const std::string &File,
                  int64_t Line, const std::string &Module, uint64_t Address);
  int64_t marker(const std::string &Name) { return frameId("other", Name, "", 0, "", 0); }
  Path symbolize(const ImageRecord &R, const RecordedStack &S, const std::vector<Mapping> &Maps);

  SiteSymbolizer &Symbolizer;
  llvm::json::Array FramesJson;
  std::map<std::tuple<std::string, std::string, std::string, int64_t, std::string, uint64_t>,
           int64_t>
      FrameIds;
  std::map<int64_t, std::map<std::pair<int, Path>, Acc>> ByThread; // tid -> (kind, path)
};

} // namespace threadwise::collect

#endif
