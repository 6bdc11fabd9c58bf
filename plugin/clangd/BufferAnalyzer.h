//===- BufferAnalyzer.h - threadwise on an unsaved editor buffer ----------===//
//
// Parses one file with the editor's text in place of the file on disk, using
// the compile command clangd would use (the compile_commands.json found from
// the file's directory, or --compile-commands-dir), and runs the analysis on
// that translation unit alone.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_BUFFERANALYZER_H
#define THREADWISE_CLANGD_BUFFERANALYZER_H

#include "threadwise/Analysis.h"
#include <string>
#include <vector>

namespace threadwise {

struct BufferResult {
  enum Status { Analysed, ParseError, Crashed };
  Status State = Analysed;
  std::vector<Finding> Findings;
  std::string Error; ///< For the log, when State != Analysed.
};

class BufferAnalyzer {
public:
  /// CompileCommandsDir: empty to search upwards from each file.
  BufferAnalyzer(const RuleSet &Rules, CheckFilter Checks, std::string CompileCommandsDir)
      : Rules(Rules), Checks(std::move(Checks)), CompileCommandsDir(std::move(CompileCommandsDir)) {}

  /// Never crashes the caller. Call from one thread at a time.
  BufferResult analyze(const std::string &Path, const std::string &Text);

private:
  const RuleSet &Rules;
  CheckFilter Checks;
  std::string CompileCommandsDir;
};

} // namespace threadwise

#endif
