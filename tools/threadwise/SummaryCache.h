//===- SummaryCache.h - Per-TU summaries kept on disk between runs --------===//
//
// ccache's direct mode for step 1 (CONVENTIONS: incremental-cache keys). An
// entry is found by a key over what decides a TU's summary without reading
// it: threadwise's build, the rule packs, the compile command after our
// adjustments, its directory and the file name. The entry lists every file
// the TU read last time (main file and headers) with a content hash; a
// lookup re-hashes them, and any difference is a miss. Preprocessing to hash
// would cost most of a parse, so it is not part of the key.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_TOOLS_SUMMARYCACHE_H
#define THREADWISE_TOOLS_SUMMARYCACHE_H

#include "threadwise/Analysis.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace threadwise {

class SummaryCache {
public:
  /// Creates Dir if needed (with a CACHEDIR.TAG and a .gitignore). Salt
  /// covers everything common to all TUs: threadwise's build and the rules.
  static llvm::Expected<std::unique_ptr<SummaryCache>> open(llvm::StringRef Dir,
                                                            std::string Salt);

  /// Where a TU's entry lives, from its (adjusted) compile commands.
  std::string keyFor(llvm::StringRef File,
                     llvm::ArrayRef<std::vector<std::string>> CommandLines,
                     llvm::ArrayRef<std::string> Directories) const;
  /// The cached summary, if every file it read last time is unchanged.
  TUSummaryPtr lookup(const std::string &Key);
  /// Records S (whose Files say what it read). Failures only cost speed.
  void store(const std::string &Key, const TUSummary &S);

  unsigned hits() const { return Hits; }
  unsigned misses() const { return Misses; }
  const std::string &directory() const { return Dir; }

  /// The default directory: .threadwise-cache beside compile_commands.json,
  /// else $XDG_CACHE_HOME/threadwise or ~/.cache/threadwise ("" if none).
  static std::string defaultDirectory(llvm::StringRef CompileDatabaseDir);

private:
  SummaryCache(std::string Dir, std::string Salt) : Dir(std::move(Dir)), Salt(std::move(Salt)) {}
  /// Content hash of a file, once per run; nullopt when it cannot be read.
  std::optional<std::string> hashFile(const std::string &Path);
  std::string entryPath(const std::string &Key) const;

  std::string Dir, Salt;
  std::mutex M;
  llvm::StringMap<std::optional<std::string>> FileHashes;
  std::atomic<unsigned> Hits{0}, Misses{0};
};

/// threadwise's version and executable (path, size, modification time) and
/// the rule packs' text: a rebuilt threadwise or an edited rule pack
/// invalidates every entry.
std::string cacheSalt(const char *Argv0, const RuleSet &Rules);

} // namespace threadwise

#endif
