//===- CompileDatabase.h - Which TUs to check, with which flags -----------===//
#ifndef THREADWISE_TOOLS_COMPILEDATABASE_H
#define THREADWISE_TOOLS_COMPILEDATABASE_H

#include "threadwise/CompileCommands.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace threadwise {

struct DatabaseRequest {
  std::string BuildPath;          ///< -p: a build directory or a compile_commands.json.
  std::vector<std::string> Files; ///< Positional files, as typed.
  /// From `-- flags`: every file gets these flags.
  std::unique_ptr<clang::tooling::CompilationDatabase> Fixed;
};

struct LoadedDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  std::vector<std::string> Files; ///< Absolute, unique, in a stable order.
};

/// Resolves clang-tidy's three ways to name TUs: -p with or without files,
/// files with `-- flags`, and files alone (a DB found above them, else no
/// flags). Errors are one-line messages for the user.
llvm::Expected<LoadedDatabase> loadCompileDatabase(DatabaseRequest Req);

} // namespace threadwise

#endif
