//===- ProjectIndex.cpp - Summaries of the rest of the program ------------===//
#include "ProjectIndex.h"
#include "Log.h"
#include "threadwise/CompileCommands.h"
#include "threadwise/TranslationUnitRunner.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

namespace threadwise {
namespace {

/// Paths from URIs and from the compile DB name one file the same way.
std::string key(llvm::StringRef File) {
  llvm::SmallString<256> P(File);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

} // namespace

ProjectIndex::ProjectIndex(const RuleSet &Rules, clang::tooling::ArgumentsAdjuster Adjuster,
                           std::optional<llvm::ThreadPriority> Priority,
                           std::function<void()> Updated)
    : Rules(Rules), Adjuster(std::move(Adjuster)), Priority(Priority), Updated(std::move(Updated)) {
  Worker = std::thread([this] { run(); });
}

ProjectIndex::~ProjectIndex() {
  {
    std::lock_guard<std::mutex> G(M);
    Stopping = true;
  }
  Wake.notify_all();
  Worker.join();
}

void ProjectIndex::index(const std::string &Dir) {
  std::lock_guard<std::mutex> G(M);
  if (Seen.insert(Dir).second) {
    Todo.push_back(Dir);
    Wake.notify_all();
  }
}

void ProjectIndex::update(const std::string &File, std::shared_ptr<const TUSummary> Summary) {
  std::lock_guard<std::mutex> G(M);
  Summaries[key(File)] = std::move(Summary);
  FromBuffers.insert(key(File));
}

std::vector<std::shared_ptr<const TUSummary>> ProjectIndex::others(const std::string &File) const {
  std::lock_guard<std::mutex> G(M);
  std::vector<std::shared_ptr<const TUSummary>> Out;
  for (const auto &[F, S] : Summaries)
    if (F != key(File))
      Out.push_back(S);
  return Out;
}

void ProjectIndex::run() {
  // Like clangd's background index: editing comes first.
  if (Priority)
    llvm::set_thread_priority(*Priority);
  std::unique_lock<std::mutex> G(M);
  for (;;) {
    Wake.wait(G, [&] { return Stopping || !Todo.empty(); });
    if (Stopping)
      return;
    std::string Dir = Todo.front();
    Todo.pop_front();
    G.unlock();
    auto DB = loadCompileCommands(Dir);
    if (!DB) {
      logLine("threadwise-clangd: index: ", llvm::toString(DB.takeError()));
      G.lock();
      continue;
    }
    std::vector<std::string> Files;
    for (const std::string &F : (*DB)->getAllFiles())
      if (!isHeaderFile(F))
        Files.push_back(key(F));
    llvm::sort(Files);
    Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
    unsigned Indexed = 0, Failed = 0;
    for (const std::string &F : Files) {
      {
        std::lock_guard<std::mutex> Check(M);
        if (Stopping)
          return;
        if (FromBuffers.count(F))
          continue;
      }
      TURunOptions Opts;
      Opts.Adjuster = Adjuster;
      TUResult R = runTranslationUnit(**DB, F, Rules, Opts);
      std::lock_guard<std::mutex> Store(M);
      if (R.State != TUResult::Analysed) {
        ++Failed;
        continue;
      }
      ++Indexed;
      if (!FromBuffers.count(F))
        Summaries[F] = std::shared_ptr<const TUSummary>(std::move(R.Summary));
    }
    logLine("threadwise-clangd: indexed ", Indexed, " of ", Files.size(), " translation units in ",
            Dir, Failed ? " (" + std::to_string(Failed) + " did not parse)" : "");
    if (Updated)
      Updated();
    G.lock();
  }
}

} // namespace threadwise
