//===- CompileCommands.cpp - A TU's compile command, as clang-tidy reads it ===//
#include "threadwise/CompileCommands.h"
#include "GccFlags.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <algorithm>

using namespace clang::tooling;

namespace threadwise {
namespace {

llvm::Error error(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
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

/// A build that already runs threadwise as a -fplugin must not load it a
/// second time inside `threadwise check`.
bool isOwnPluginFlag(llvm::StringRef Arg) {
  return (Arg.starts_with("-fplugin=") && Arg.contains("threadwise")) ||
         Arg.starts_with("-fplugin-arg-threadwise-");
}

} // namespace

llvm::Expected<std::unique_ptr<CompilationDatabase>> loadCompileCommands(llvm::StringRef Path) {
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

std::unique_ptr<CompilationDatabase> findCompileCommands(llvm::StringRef File) {
  std::string Err;
  return CompilationDatabase::autoDetectFromSource(File, Err);
}

bool isHeaderFile(llvm::StringRef File) {
  llvm::StringRef Ext = llvm::sys::path::extension(File);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" || Ext == ".h++" ||
         Ext == ".H" || Ext == ".inl" || Ext == ".tcc";
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
