//===- ProjectIndex.h - Summaries of the rest of the program --------------===//
//
// A race whose two sides live in different files needs the other files'
// summaries. Like clangd's background index, the proxy summarizes every TU of
// the compile DB on a low-priority thread, once, and keeps the summaries in
// memory; an analysed buffer's fresh summary replaces its file's entry, so
// every open buffer is linked with the newest state of the others.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_PROJECTINDEX_H
#define THREADWISE_CLANGD_PROJECTINDEX_H

#include "threadwise/Analysis.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Support/Threading.h"
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace threadwise {

class ProjectIndex {
public:
  /// Updated is called on the index's thread after a compile DB is indexed.
  /// Priority: clangd's --background-index-priority; nullopt for normal.
  ProjectIndex(const RuleSet &Rules, clang::tooling::ArgumentsAdjuster Adjuster,
               std::optional<llvm::ThreadPriority> Priority, std::function<void()> Updated);
  ~ProjectIndex();

  /// Indexes the compile_commands.json in Dir in the background, once.
  void index(const std::string &Dir);
  /// The summary of an editor's buffer: newer than the file on disk.
  void update(const std::string &File, std::shared_ptr<const TUSummary> Summary);
  /// Every summary but File's.
  std::vector<std::shared_ptr<const TUSummary>> others(const std::string &File) const;

private:
  void run();

  const RuleSet &Rules;
  clang::tooling::ArgumentsAdjuster Adjuster;
  std::optional<llvm::ThreadPriority> Priority;
  std::function<void()> Updated;
  mutable std::mutex M;
  std::condition_variable Wake;
  std::set<std::string> Seen;   ///< Directories queued or indexed.
  std::deque<std::string> Todo; ///< Directories to index.
  std::map<std::string, std::shared_ptr<const TUSummary>> Summaries; ///< By file.
  std::set<std::string> FromBuffers; ///< Files whose summary came from update().
  bool Stopping = false;
  std::thread Worker;
};

} // namespace threadwise

#endif
