//===- PreambleCache.h - Precompiled preambles for repeated parses --------===//
//
// An editor re-parses the same file after every pause in typing, and the
// #includes at its top (the preamble) almost never change. Like clangd's
// TUScheduler, we precompile the preamble once per file and flags, reuse it
// while its text and the headers it read are unchanged, and rebuild it on a
// background thread when they change; until the new one is ready a parse
// runs in full, so results are never computed against stale headers.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_PREAMBLECACHE_H
#define THREADWISE_PREAMBLECACHE_H

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace clang {
class CompilerInvocation;
class PCHContainerOperations;
class PrecompiledPreamble;
} // namespace clang
namespace llvm {
class MemoryBuffer;
class StdThreadPool;
namespace vfs {
class FileSystem;
}
} // namespace llvm

namespace threadwise {

class PreambleCache {
public:
  PreambleCache();
  ~PreambleCache(); ///< Waits for background builds.

  /// A preamble that a parse of Invocation's main file, whose text is Main,
  /// can use as it is (hand it to PrecompiledPreamble::AddImplicitPreamble),
  /// or null to parse in full. The first request for a file (or new flags)
  /// builds the preamble before returning; later changes to it rebuild in the
  /// background. A preamble with compile errors is not used: the full parse
  /// reports them. Thread-safe.
  std::shared_ptr<const clang::PrecompiledPreamble>
  get(const clang::CompilerInvocation &Invocation, const llvm::MemoryBuffer &Main,
      llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS,
      std::shared_ptr<clang::PCHContainerOperations> PCHOps);

  struct Counters {
    unsigned Built = 0;  ///< Preambles built (synchronously or not).
    unsigned Reused = 0; ///< Parses that used a cached preamble.
    unsigned Full = 0;   ///< Parses that ran without one.
  };
  Counters counters() const;

private:
  struct Entry {
    std::string Flags;
    std::shared_ptr<const clang::PrecompiledPreamble> Preamble;
    std::string Unusable; ///< Preamble text whose build failed: not retried.
    bool Building = false;
  };
  void build(const std::string &File, const clang::CompilerInvocation &Invocation,
             const llvm::MemoryBuffer &Main, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS,
             std::shared_ptr<clang::PCHContainerOperations> PCHOps, const std::string &Flags);

  mutable std::mutex M;
  std::map<std::string, Entry> Entries; ///< By main file.
  Counters Count;
  std::unique_ptr<llvm::StdThreadPool> Background;
};

} // namespace threadwise

#endif
