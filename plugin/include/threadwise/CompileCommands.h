//===- CompileCommands.h - A TU's compile command, as clang-tidy reads it -===//
//
// Every front end that parses a file itself (`threadwise check`, the clangd
// proxy) finds its compile command the same way and adjusts it the same way:
// our resource directory, GCC-only flags dropped, a build's -Werror and
// threadwise's own -fplugin left out.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COMPILECOMMANDS_H
#define THREADWISE_COMPILECOMMANDS_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace threadwise {

/// The compile_commands.json in BuildPath (a directory, or the file itself).
/// Relative "directory" entries are read relative to the file, as clangd
/// does, and @rspfiles are expanded. Errors are one-line messages for users.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildPath);

/// The nearest compile_commands.json above File, or null if there is none.
std::unique_ptr<clang::tooling::CompilationDatabase> findCompileCommands(llvm::StringRef File);

/// compdb-style tools add entries for headers so that editors find flags for
/// them. Headers are analysed through the TUs that include them (reported
/// once, subject to --header-filter), so they are not TUs of their own.
bool isHeaderFile(llvm::StringRef File);

/// Adds the extra arguments, our resource directory (builtin headers such as
/// stddef.h and omp.h must match the Clang we link), drops flags only GCC
/// knows, and keeps a project's -Werror from failing a TU over warnings
/// threadwise does not show.
clang::tooling::ArgumentsAdjuster makeArgumentsAdjuster(std::vector<std::string> Before,
                                                        std::vector<std::string> After);

} // namespace threadwise

#endif
