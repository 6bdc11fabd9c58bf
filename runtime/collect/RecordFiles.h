//===- RecordFiles.h - Read the preload library's per-process files -------===//
//
// One file per process image (see runtime/preload/tw_format.h). Reading is
// tolerant: a program killed mid-write leaves a truncated last record, which is
// dropped; everything before it is kept.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_RECORDFILES_H
#define THREADWISE_COLLECT_RECORDFILES_H

extern "C" {
#include "preload/tw_format.h"
}
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace threadwise::collect {

struct TaggedInterval {
  int64_t Tid;
  tw_interval Interval;
};

/// A stack as recorded: leaf first, native addresses or TW_FRAME_INTERNED ids.
struct RecordedStack {
  uint32_t Flags = 0;
  std::vector<uint64_t> Frames;
};

/// A TW_REC_FRAME record: a non-native frame (Python: file:line function).
struct RecordedFrame {
  uint32_t Kind = TW_FRAME_NATIVE;
  int32_t Line = 0;
  std::string Function, File;
};

/// Everything one process image recorded.
struct ImageRecord {
  std::string Path;
  bool HasBegin = false;
  tw_proc_begin Begin{};
  std::string Exe;
  std::vector<std::string> Argv;
  std::vector<tw_thread_rec> Threads;
  std::vector<TaggedInterval> Intervals;
  std::vector<tw_site_rec> Sites;
  std::string Maps; ///< The last complete /proc/self/maps snapshot.
  std::optional<tw_proc_end> End;
  std::vector<tw_child_exit> ChildExits;
  std::map<uint64_t, RecordedStack> Stacks; ///< by hash
  std::vector<tw_stack_count> StackCounts;
  std::map<uint64_t, RecordedFrame> Frames; ///< by id, without TW_FRAME_INTERNED
};

llvm::Expected<ImageRecord> readImageFile(llvm::StringRef Path);

/// All "*.twp" files in Dir, sorted by name.
std::vector<std::string> listImageFiles(llvm::StringRef Dir);

} // namespace threadwise::collect

#endif
