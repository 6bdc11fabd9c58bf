//===- BufferAnalyzer.cpp - threadwise on an unsaved editor buffer --------===//
#include "BufferAnalyzer.h"
#include "threadwise/CompileCommands.h"
#include "threadwise/TranslationUnitRunner.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace threadwise {
namespace {

using namespace clang::tooling;

/// Like clangd: the given directory, else the nearest one above File that
/// holds a compile_commands.json; empty if there is none.
std::string databaseDir(llvm::StringRef Given, llvm::StringRef File) {
  if (!Given.empty())
    return Given.str();
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(File); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> JSON(Dir);
    llvm::sys::path::append(JSON, "compile_commands.json");
    if (llvm::sys::fs::exists(JSON))
      return Dir.str();
  }
  return "";
}

/// With commands inferred for files the database does not list (headers, new
/// files); without a database, clangd's fallback: the file alone, no flags.
std::unique_ptr<CompilationDatabase> openDatabase(llvm::StringRef Dir, llvm::StringRef File) {
  if (!Dir.empty()) {
    auto Loaded = loadCompileCommands(Dir);
    if (Loaded)
      return inferMissingCompileCommands(std::move(*Loaded));
    llvm::consumeError(Loaded.takeError());
  }
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

BufferAnalyzer::BufferAnalyzer(const RuleSet &Rules, CheckFilter Checks,
                               std::string CompileCommandsDir,
                               std::function<void()> IndexUpdated,
                               std::optional<llvm::ThreadPriority> IndexPriority)
    : Rules(Rules), Checks(std::move(Checks)), CompileCommandsDir(std::move(CompileCommandsDir)) {
  if (IndexUpdated)
    Index = std::make_unique<ProjectIndex>(Rules, editorAdjuster(), IndexPriority,
                                           std::move(IndexUpdated));
}

BufferResult BufferAnalyzer::analyze(const std::string &Path, const std::string &Text) {
  BufferResult R;
  std::string Dir = databaseDir(CompileCommandsDir, Path);
  std::unique_ptr<CompilationDatabase> DB = openDatabase(Dir, Path);
  if (Index && !Dir.empty())
    Index->index(Dir);
  TURunOptions Opts;
  Opts.Adjuster = editorAdjuster();
  Opts.UnsavedFiles[Path] = Text;
  Opts.Preambles = &Preambles;
  unsigned ReusedBefore = Preambles.counters().Reused;
  TUResult TU = runTranslationUnit(*DB, Path, Rules, Opts);
  R.UsedPreamble = Preambles.counters().Reused != ReusedBefore;
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
  std::shared_ptr<const TUSummary> Summary(std::move(TU.Summary));
  std::vector<std::shared_ptr<const TUSummary>> Others;
  if (Index) {
    Others = Index->others(Path);
    Index->update(Path, Summary);
  }
  R.OtherTUs = Others.size();
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely([&] {
        std::vector<const TUSummary *> TUs{Summary.get()};
        for (const auto &S : Others)
          TUs.push_back(S.get());
        R.Findings = analyzeProgram(TUs, Rules, Checks);
      })) {
    R.State = BufferResult::Crashed;
    R.Error = "the analysis crashed";
  }
  return R;
}

} // namespace threadwise
