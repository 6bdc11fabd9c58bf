//===- CompileDatabase.cpp - Which TUs to check, with which flags ---------===//
#include "CompileDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace clang::tooling;

namespace threadwise {
namespace {

llvm::Error error(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

std::string absolute(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// Build systems sometimes list one file several times (e.g. PIC and non-PIC
/// objects). Analysing each copy would report its findings twice, so only the
/// first command of a file counts.
class FirstCommandDatabase : public CompilationDatabase {
public:
  explicit FirstCommandDatabase(std::unique_ptr<CompilationDatabase> Inner)
      : Inner(std::move(Inner)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    std::vector<CompileCommand> Cmds = Inner->getCompileCommands(File);
    if (Cmds.size() > 1)
      Cmds.resize(1);
    return Cmds;
  }
  std::vector<std::string> getAllFiles() const override { return Inner->getAllFiles(); }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return Inner->getAllCompileCommands();
  }

private:
  std::unique_ptr<CompilationDatabase> Inner;
};

llvm::Expected<std::unique_ptr<CompilationDatabase>> loadBuildPath(llvm::StringRef Path) {
  std::string Err;
  std::unique_ptr<CompilationDatabase> DB;
  if (llvm::sys::fs::is_directory(Path)) {
    llvm::SmallString<256> JSON(Path);
    llvm::sys::path::append(JSON, "compile_commands.json");
    if (!llvm::sys::fs::exists(JSON))
      return error("no compile_commands.json in '" + Path +
                   "' (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)");
    DB = JSONCompilationDatabase::loadFromFile(JSON, Err, JSONCommandLineSyntax::AutoDetect);
  } else if (llvm::sys::fs::exists(Path)) {
    DB = JSONCompilationDatabase::loadFromFile(Path, Err, JSONCommandLineSyntax::AutoDetect);
  } else {
    return error("build directory '" + Path + "' does not exist");
  }
  if (!DB)
    return error("invalid compilation database in '" + Path + "': " + Err);
  return DB;
}

/// A build that already runs threadwise as a -fplugin must not load it a
/// second time inside `threadwise check`.
bool isOwnPluginFlag(llvm::StringRef Arg) {
  return (Arg.starts_with("-fplugin=") && Arg.contains("threadwise")) ||
         Arg.starts_with("-fplugin-arg-threadwise-");
}

} // namespace

llvm::Expected<LoadedDatabase> loadCompileDatabase(DatabaseRequest Req) {
  LoadedDatabase Out;
  llvm::StringSet<> Seen;
  for (const std::string &F : Req.Files) {
    if (!llvm::sys::fs::is_regular_file(F))
      return error("no such file: '" + F + "'");
    std::string Abs = absolute(F);
    if (Seen.insert(Abs).second)
      Out.Files.push_back(Abs);
  }

  std::unique_ptr<CompilationDatabase> DB;
  if (Req.Fixed) {
    if (!Req.BuildPath.empty())
      return error("use either -p <build-dir> or '-- <compiler flags>', not both");
    if (Out.Files.empty())
      return error("no input files before '--'");
    DB = std::move(Req.Fixed);
  } else if (!Req.BuildPath.empty()) {
    auto Loaded = loadBuildPath(Req.BuildPath);
    if (!Loaded)
      return Loaded.takeError();
    DB = std::move(*Loaded);
    if (Out.Files.empty()) {
      for (const std::string &F : DB->getAllFiles())
        if (Seen.insert(F).second)
          Out.Files.push_back(F);
      llvm::sort(Out.Files);
      if (Out.Files.empty())
        return error("the compilation database in '" + Req.BuildPath + "' has no entries");
    }
    // Files the build does not list (new files, headers) borrow the flags of
    // their nearest neighbour, as clang-tidy and clangd do.
    DB = inferMissingCompileCommands(std::move(DB));
  } else {
    if (Out.Files.empty())
      return error("no input files; use -p <build-dir> to check a compilation database, or "
                   "give files followed by '-- <compiler flags>'");
    std::string Err;
    DB = CompilationDatabase::autoDetectFromSource(Out.Files.front(), Err);
    if (DB) {
      DB = inferMissingCompileCommands(std::move(DB));
    } else {
      llvm::errs() << "threadwise: warning: no compilation database found for '"
                   << Out.Files.front()
                   << "'; checking with no compiler flags (use -p <build-dir> or "
                      "'-- <flags>')\n";
      DB = std::make_unique<FixedCompilationDatabase>(".", std::vector<std::string>());
    }
  }
  Out.DB = std::make_unique<FirstCommandDatabase>(std::move(DB));
  return Out;
}

ArgumentsAdjuster makeArgumentsAdjuster(std::vector<std::string> Before,
                                        std::vector<std::string> After) {
  return [Before = std::move(Before), After = std::move(After)](
             const CommandLineArguments &Args, llvm::StringRef) {
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
    Out.insert(Out.end(), Before.begin(), Before.end());
    // Flags go before a "--" that separates inputs.
    auto DashDash = std::find(Args.begin() + 1, Args.end(), "--");
    for (auto It = Args.begin() + 1; It != DashDash; ++It)
      if (!isOwnPluginFlag(*It))
        Out.push_back(*It);
    Out.push_back("-Wno-error");
    Out.push_back("-Wno-unknown-warning-option");
    // No "N warnings generated." lines: errors are printed by our own
    // consumer, which has its own options and still shows carets.
    Out.push_back("-fno-caret-diagnostics");
    Out.insert(Out.end(), After.begin(), After.end());
    Out.insert(Out.end(), DashDash, Args.end());
    return Out;
  };
}

} // namespace threadwise
