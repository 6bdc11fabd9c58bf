//===- BufferAnalyzer.h - threadwise on an unsaved editor buffer ----------===//
//
// Parses one file with the editor's text in place of the file on disk, using
// the compile command clangd would use (the compile_commands.json found from
// the file's directory, or --compile-commands-dir), reusing a precompiled
// preamble between runs, and links its summary with those of the program's
// other TUs (ProjectIndex) before running the checks.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_BUFFERANALYZER_H
#define THREADWISE_CLANGD_BUFFERANALYZER_H

#include "ProjectIndex.h"
#include "threadwise/Analysis.h"
#include "threadwise/PreambleCache.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace threadwise {

struct BufferResult {
  enum Status { Analysed, ParseError, Crashed };
  Status State = Analysed;
  std::vector<Finding> Findings;
  std::string Error; ///< For the log, when State != Analysed.
  bool UsedPreamble = false;
  size_t OtherTUs = 0; ///< Summaries of other TUs linked with this one.
};

class BufferAnalyzer {
public:
  /// CompileCommandsDir: empty to search upwards from each file. With
  /// IndexUpdated set, the other TUs of each file's compile DB are summarized
  /// in the background, at IndexPriority (nullopt: normal), and IndexUpdated
  /// is called (on another thread) when their summaries are in.
  BufferAnalyzer(const RuleSet &Rules, CheckFilter Checks, std::string CompileCommandsDir,
                 std::function<void()> IndexUpdated,
                 std::optional<llvm::ThreadPriority> IndexPriority);

  /// Never crashes the caller. Call from one thread at a time.
  BufferResult analyze(const std::string &Path, const std::string &Text);

private:
  const RuleSet &Rules;
  CheckFilter Checks;
  std::string CompileCommandsDir;
  PreambleCache Preambles;
  std::unique_ptr<ProjectIndex> Index; ///< Null: no cross-TU summaries.
};

} // namespace threadwise

#endif
