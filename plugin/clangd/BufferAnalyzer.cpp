//===- BufferAnalyzer.cpp - threadwise on an unsaved editor buffer --------===//
#include "BufferAnalyzer.h"
#include "threadwise/CompileCommands.h"
#include "threadwise/TranslationUnitRunner.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/Path.h"

namespace threadwise {
namespace {

using namespace clang::tooling;

/// Like clangd: the nearest compile_commands.json (or the given directory),
/// with commands inferred for files it does not list (headers, new files).
std::unique_ptr<CompilationDatabase> findDatabase(llvm::StringRef Dir, llvm::StringRef File) {
  std::unique_ptr<CompilationDatabase> DB;
  if (!Dir.empty()) {
    auto Loaded = loadCompileCommands(Dir);
    if (Loaded)
      DB = std::move(*Loaded);
    else
      llvm::consumeError(Loaded.takeError());
  } else {
    DB = findCompileCommands(File);
  }
  if (DB)
    return inferMissingCompileCommands(std::move(DB));
  // clangd's fallback: the file alone, no flags.
  return std::make_unique<FixedCompilationDatabase>(llvm::sys::path::parent_path(File),
                                                    std::vector<std::string>());
}

/// clangd strips plugins too: they belong to the build, not to the editor's
/// view of the file. The compiler's own warnings are clangd's to show.
ArgumentsAdjuster editorAdjuster() {
  ArgumentsAdjuster NoPlugins = [](const CommandLineArguments &Args, llvm::StringRef) {
    CommandLineArguments Out;
    for (const std::string &A : Args)
      if (!llvm::StringRef(A).starts_with("-fplugin"))
        Out.push_back(A);
    return Out;
  };
  return combineAdjusters(NoPlugins, makeArgumentsAdjuster({}, {"-w"}));
}

} // namespace

BufferResult BufferAnalyzer::analyze(const std::string &Path, const std::string &Text) {
  BufferResult R;
  std::unique_ptr<CompilationDatabase> DB = findDatabase(CompileCommandsDir, Path);
  TURunOptions Opts;
  Opts.Adjuster = editorAdjuster();
  Opts.UnsavedFiles[Path] = Text;
  TUResult TU = runTranslationUnit(*DB, Path, Rules, Opts);
  if (TU.State == TUResult::Crashed) {
    R.State = BufferResult::Crashed;
    R.Error = "the analysis crashed";
    return R;
  }
  if (TU.State == TUResult::ParseError) {
    R.State = BufferResult::ParseError;
    R.Error = TU.FirstError.empty() ? "the file does not parse" : TU.FirstError;
    return R;
  }
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely([&] {
        const TUSummary *TUs[] = {TU.Summary.get()};
        R.Findings = analyzeProgram(TUs, Rules, Checks);
      })) {
    R.State = BufferResult::Crashed;
    R.Error = "the analysis crashed";
  }
  return R;
}

} // namespace threadwise
