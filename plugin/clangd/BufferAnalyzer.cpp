//===- BufferAnalyzer.cpp - threadwise on an unsaved editor buffer --------===//
#include "BufferAnalyzer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace threadwise {
namespace {

using namespace clang::tooling;

/// Counts errors, prints nothing: clangd shows the compiler's diagnostics.
class ErrorCounter : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level >= clang::DiagnosticsEngine::Error && FirstError.empty()) {
      llvm::SmallString<128> Msg;
      Info.FormatDiagnostic(Msg);
      FirstError = Msg.str().str();
    }
  }
  std::string FirstError;
};

class SummaryAction : public clang::ASTFrontendAction {
public:
  SummaryAction(const RuleSet &Rules, TUSummaryPtr &Out) : Rules(Rules), Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &,
                                                        llvm::StringRef) override {
    return makeSummaryConsumer(Rules, [this](TUSummaryPtr S) { Out = std::move(S); });
  }

private:
  const RuleSet &Rules;
  TUSummaryPtr &Out;
};

class SummaryActionFactory : public FrontendActionFactory {
public:
  SummaryActionFactory(const RuleSet &Rules, TUSummaryPtr &Out) : Rules(Rules), Out(Out) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<SummaryAction>(Rules, Out);
  }

private:
  const RuleSet &Rules;
  TUSummaryPtr &Out;
};

/// Like clangd: the nearest compile_commands.json (or the given directory),
/// with commands inferred for files it does not list (headers, new files).
std::unique_ptr<CompilationDatabase> findDatabase(llvm::StringRef Dir, llvm::StringRef File) {
  std::string Err;
  std::unique_ptr<CompilationDatabase> DB;
  if (!Dir.empty())
    DB = CompilationDatabase::loadFromDirectory(Dir, Err);
  else
    DB = CompilationDatabase::autoDetectFromSource(File, Err);
  if (DB)
    return inferMissingCompileCommands(std::move(DB));
  // clangd's fallback: the file alone, no flags.
  return std::make_unique<FixedCompilationDatabase>(llvm::sys::path::parent_path(File),
                                                    std::vector<std::string>());
}

CommandLineArguments adjustArguments(const CommandLineArguments &Args, llvm::StringRef) {
  if (Args.empty())
    return Args;
  CommandLineArguments Out;
  Out.push_back(Args.front());
  bool HasResourceDir = llvm::any_of(
      Args, [](const std::string &A) { return llvm::StringRef(A).starts_with("-resource-dir"); });
#ifdef THREADWISE_CLANG_RESOURCE_DIR
  if (!HasResourceDir && llvm::sys::fs::is_directory(THREADWISE_CLANG_RESOURCE_DIR))
    Out.push_back("-resource-dir=" THREADWISE_CLANG_RESOURCE_DIR);
#endif
  auto DashDash = std::find(Args.begin() + 1, Args.end(), "--");
  for (auto It = Args.begin() + 1; It != DashDash; ++It) {
    llvm::StringRef A(*It);
    // Plugins belong to the build, not to the editor's view of the file.
    if (A.starts_with("-fplugin"))
      continue;
    Out.push_back(*It);
  }
  // The compiler's own warnings are clangd's to show.
  Out.push_back("-w");
  Out.insert(Out.end(), DashDash, Args.end());
  return Out;
}

} // namespace

BufferResult BufferAnalyzer::analyze(const std::string &Path, const std::string &Text) {
  BufferResult R;
  TUSummaryPtr Summary;
  int Status = 0;
  ErrorCounter Errors;
  llvm::CrashRecoveryContext CRC;
  // After a crash everything allocated inside is leaked, not destroyed in an
  // inconsistent state.
  bool Survived = CRC.RunSafely([&] {
    std::unique_ptr<CompilationDatabase> DB = findDatabase(CompileCommandsDir, Path);
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(
        llvm::vfs::createPhysicalFileSystem().release());
    auto *Tool = new ClangTool(*DB, {Path}, std::make_shared<clang::PCHContainerOperations>(), FS);
    Tool->mapVirtualFile(Path, Text);
    Tool->setPrintErrorMessage(false);
    Tool->setDiagnosticConsumer(&Errors);
    Tool->appendArgumentsAdjuster(adjustArguments);
    SummaryActionFactory Factory(Rules, Summary);
    Status = Tool->run(&Factory);
    delete Tool;
    if (Status == 0 && Summary) {
      const TUSummary *TUs[] = {Summary.get()};
      R.Findings = analyzeProgram(TUs, Rules, Checks);
    }
  });
  if (!Survived) {
    R.State = BufferResult::Crashed;
    R.Error = "the analysis crashed";
    return R;
  }
  if (Status != 0 || !Summary) {
    R.State = BufferResult::ParseError;
    R.Error = Errors.FirstError.empty() ? "the file does not parse" : Errors.FirstError;
  }
  return R;
}

} // namespace threadwise
