//===- CompileDatabase.cpp - Which TUs to check, with which flags ---------===//
#include "CompileDatabase.h"
#include "GccFlags.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <algorithm>
#include <mutex>

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
/// first command of a file counts. Also serializes lookups: TUs run in
/// parallel, and response-file expansion changes its file system's working
/// directory.
class FirstCommandDatabase : public CompilationDatabase {
public:
  explicit FirstCommandDatabase(std::unique_ptr<CompilationDatabase> Inner)
      : Inner(std::move(Inner)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    std::lock_guard<std::mutex> Lock(M);
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
  mutable std::mutex M;
};

/// compdb-style tools add entries for headers so that editors find flags for
/// them. Headers are analysed through the TUs that include them (reported
/// once, subject to --header-filter), so they are not TUs of their own.
bool isHeader(llvm::StringRef File) {
  llvm::StringRef Ext = llvm::sys::path::extension(File);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" || Ext == ".h++" ||
         Ext == ".H" || Ext == ".inl" || Ext == ".tcc";
}

/// The JSON database format leaves a relative "directory" open; like clangd
/// and compdb, we read it relative to the database file. Returns the text to
/// load (unchanged when nothing is relative or the JSON is invalid, so that
/// clang's parser reports the error).
std::string withAbsoluteDirectories(llvm::StringRef Text, llvm::StringRef DBDir) {
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse(Text);
  if (!Doc) {
    llvm::consumeError(Doc.takeError());
    return Text.str();
  }
  llvm::json::Array *Entries = Doc->getAsArray();
  if (!Entries)
    return Text.str();
  bool Changed = false;
  for (llvm::json::Value &E : *Entries)
    if (llvm::json::Object *O = E.getAsObject())
      if (std::optional<llvm::StringRef> Dir = O->getString("directory"))
        if (llvm::sys::path::is_relative(*Dir)) {
          llvm::SmallString<256> Abs(DBDir);
          llvm::sys::path::append(Abs, *Dir);
          llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
          (*O)["directory"] = std::string(Abs);
          Changed = true;
        }
  return Changed ? llvm::formatv("{0}", *Doc).str() : Text.str();
}

llvm::Expected<std::unique_ptr<CompilationDatabase>> loadBuildPath(llvm::StringRef Path) {
  std::string Err;
  std::unique_ptr<CompilationDatabase> DB;
  llvm::SmallString<256> JSON(Path);
  if (llvm::sys::fs::is_directory(Path)) {
    llvm::sys::path::append(JSON, "compile_commands.json");
    if (!llvm::sys::fs::exists(JSON))
      return error("no compile_commands.json in '" + Path +
                   "' (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)");
  } else if (!llvm::sys::fs::exists(Path)) {
    return error("build directory '" + Path + "' does not exist");
  }
  llvm::sys::fs::make_absolute(JSON);
  auto Buf = llvm::MemoryBuffer::getFile(JSON);
  if (!Buf)
    return error("cannot read '" + JSON + "': " + Buf.getError().message());
  DB = JSONCompilationDatabase::loadFromBuffer(
      withAbsoluteDirectories((*Buf)->getBuffer(), llvm::sys::path::parent_path(JSON)), Err,
      JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return error("invalid compilation database in '" + Path + "': " + Err);
  // GCC builds pass long command lines as @rspfile, relative to `directory`.
  // A file system of our own: expansion changes its working directory.
  return expandResponseFiles(std::move(DB),
                             llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(
                                 llvm::vfs::createPhysicalFileSystem().release()));
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
      std::vector<std::string> All = DB->getAllFiles();
      bool OnlyHeaders = llvm::all_of(All, isHeader);
      for (const std::string &F : All)
        if ((OnlyHeaders || !isHeader(F)) && Seen.insert(absolute(F)).second)
          Out.Files.push_back(absolute(F));
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
    std::vector<std::string> Flags;
    for (auto It = Args.begin() + 1; It != DashDash; ++It)
      if (!isOwnPluginFlag(*It))
        Flags.push_back(*It);
    for (std::string &F : dropGccOnlyFlags(Flags))
      Out.push_back(std::move(F));
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
