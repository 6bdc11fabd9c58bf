//===- CheckCommand.cpp - `threadwise check` ------------------------------===//
//
// The static front end, in clang-tidy's habits: -p <build-dir> or `-- flags`,
// files or the whole compile DB, -j, --checks globs, text/JSON/SARIF. All TUs
// of one invocation are one program: their summaries are linked together, so
// a write in a.cpp reached from a thread spawned in b.cpp is found.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "CompileDatabase.h"
#include "ExplainConfig.h"
#include "Fixes.h"
#include "HeaderFilter.h"
#include "SummaryCache.h"
#include "threadwise/Analysis.h"
#include "threadwise/Baseline.h"
#include "threadwise/ChangedLines.h"
#include "threadwise/Config.h"
#include "threadwise/Output.h"
#include "threadwise/Suppressions.h"
#include "threadwise/TranslationUnitRunner.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

#ifndef THREADWISE_VERSION
#define THREADWISE_VERSION "unknown"
#endif

namespace cl = llvm::cl;

namespace threadwise {
namespace {

enum ExitCode { ExitClean = 0, ExitFindings = 1, ExitBadInput = 2, ExitInternal = 3 };
enum class Format { Text, JSON, SARIF, CodeClimate };

int fail(const llvm::Twine &Msg) {
  llvm::errs() << "threadwise: error: " << Msg << "\n";
  return ExitBadInput;
}

/// The git top-level of the current directory, else the current directory:
/// what code-scanning services call the source root.
std::string defaultSourceRoot() {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return "";
  for (llvm::StringRef Dir = Cwd; !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Git(Dir);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return Dir.str();
  }
  return std::string(Cwd);
}

/// Writes Path atomically: a temporary file beside it, renamed on success, so
/// that a reader (or a CI upload) never sees half a report.
bool writeFileAtomically(llvm::StringRef Path,
                         llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  llvm::SmallString<256> Tmp;
  int FD;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Tmp)) {
    fail("cannot write '" + Path + "': " + EC.message());
    return false;
  }
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Write(OS);
    OS.close();
    if (OS.has_error()) {
      fail("cannot write '" + Path + "': " + OS.error().message());
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return false;
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Tmp, Path)) {
    llvm::sys::fs::remove(Tmp);
    fail("cannot write '" + Path + "': " + EC.message());
    return false;
  }
  return true;
}

/// "[3/40] src/foo.c" on a terminal, rewritten in place.
class Progress {
public:
  Progress(bool Enabled, size_t Total) : Enabled(Enabled), Total(Total) {
    llvm::SmallString<256> Cwd;
    if (!llvm::sys::fs::current_path(Cwd))
      Prefix = (Cwd + "/").str();
  }
  void finished(llvm::StringRef File) {
    std::lock_guard<std::mutex> Lock(M);
    ++Done;
    if (Enabled) {
      File.consume_front(Prefix);
      llvm::errs() << "\r\033[K[" << Done << "/" << Total << "] " << File;
    }
  }
  void clear() {
    if (Enabled && Done)
      llvm::errs() << "\r\033[K";
  }

private:
  std::mutex M;
  bool Enabled;
  size_t Total;
  size_t Done = 0;
  std::string Prefix; ///< The current directory: shown paths are relative to it.
};

std::string plural(size_t N, llvm::StringRef Word) {
  return std::to_string(N) + " " + Word.str() + (N == 1 ? "" : "s");
}

/// The cache key of File: its compile command as the TU runner will run it.
std::string cacheKey(const SummaryCache &Cache, const clang::tooling::CompilationDatabase &DB,
                     const std::string &File, const TURunOptions &Opts) {
  std::vector<std::vector<std::string>> Commands;
  std::vector<std::string> Directories;
  for (clang::tooling::CompileCommand &C : DB.getCompileCommands(File)) {
    Commands.push_back(Opts.Adjuster ? Opts.Adjuster(C.CommandLine, C.Filename)
                                     : std::move(C.CommandLine));
    Directories.push_back(std::move(C.Directory));
  }
  return Cache.keyFor(File, Commands, Directories);
}

/// Parses and summarizes every TU, Jobs at a time; results keep the TU order
/// so that the report does not depend on scheduling. A TU whose cached
/// summary still holds is not parsed.
std::vector<TUResult> runAll(const LoadedDatabase &DB, const RuleSet &Rules,
                             const TURunOptions &Opts, unsigned Jobs, bool ShowProgress,
                             SummaryCache *Cache, CheckProfile *Profile) {
  enableCrashRecovery();
  std::vector<TUResult> Results(DB.Files.size());
  Progress Prog(ShowProgress, DB.Files.size());
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
    for (size_t I = 0; I < DB.Files.size(); ++I)
      Pool.async([&, I] {
        const std::string &File = DB.Files[I];
        std::string Key;
        TUSummaryPtr S;
        if (Cache) {
          CheckProfile::Scope T(Profile, "cache lookup");
          Key = cacheKey(*Cache, *DB.DB, File, Opts);
          S = Cache->lookup(Key);
        }
        if (S) {
          Results[I].File = File;
          Results[I].Summary = std::move(S);
        } else {
          {
            CheckProfile::Scope T(Profile, "parse"); // Summarising moves out below.
            Results[I] = runTranslationUnit(*DB.DB, File, Rules, Opts);
          }
          if (Cache && Results[I].State == TUResult::Analysed) {
            CheckProfile::Scope T(Profile, "cache store");
            Cache->store(Key, *Results[I].Summary);
          }
        }
        Prog.finished(File);
      });
    Pool.wait();
  }
  Prog.clear();
  return Results;
}

/// Prints each TU's compiler errors in TU order, names the TUs whose findings
/// are missing, and returns the summaries of the others.
std::vector<const TUSummary *> collectSummaries(llvm::ArrayRef<TUResult> Results,
                                                std::vector<ToolError> &Errors, int &Exit) {
  std::vector<const TUSummary *> Summaries;
  for (const TUResult &R : Results) {
    llvm::errs() << R.Diagnostics;
    switch (R.State) {
    case TUResult::Analysed:
      Summaries.push_back(R.Summary.get());
      break;
    case TUResult::ParseError:
      llvm::errs() << "threadwise: error: '" << R.File
                   << "' could not be parsed; its findings are missing\n";
      Errors.push_back({R.File, "could not be parsed; its findings are missing"});
      Exit = std::max<int>(Exit, ExitBadInput);
      break;
    case TUResult::Crashed:
      llvm::errs() << "threadwise: error: internal error: the analysis crashed on '" << R.File
                   << "'; its findings are missing (please report this)\n";
      Errors.push_back({R.File, "the analysis crashed; its findings are missing"});
      Exit = std::max<int>(Exit, ExitInternal);
      break;
    }
  }
  return Summaries;
}

/// The whole-program step, with a crash contained like a TU's.
std::vector<Finding> analyzeSafely(llvm::ArrayRef<const TUSummary *> Summaries,
                                   const RuleSet &Rules, const CheckFilter &Filter,
                                   const CheckOptions &Options, std::vector<ToolError> &Errors,
                                   int &Exit, CheckProfile *Profile) {
  std::vector<Finding> Findings;
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely(
          [&] { Findings = analyzeProgram(Summaries, Rules, Filter, Profile, Options); })) {
    llvm::errs() << "threadwise: error: internal error: the whole-program analysis crashed; "
                    "no findings (please report this)\n";
    Errors.push_back({"", "the whole-program analysis crashed; no findings"});
    Exit = std::max<int>(Exit, ExitInternal);
    return {};
  }
  return Findings;
}

/// --threads: the inventory instead of findings; exit 0 unless a TU failed.
int writeThreadInventory(llvm::ArrayRef<const TUSummary *> Summaries, const RuleSet &Rules,
                         bool JSON, llvm::StringRef OutputFile, int Exit) {
  std::vector<ThreadEntryInfo> Threads;
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely([&] { Threads = inventoryThreads(Summaries, Rules); })) {
    llvm::errs() << "threadwise: error: internal error: the whole-program analysis crashed\n";
    return ExitInternal;
  }
  auto Write = [&](llvm::raw_ostream &OS) {
    if (JSON)
      writeThreadsJSON(OS, Threads, THREADWISE_VERSION);
    else
      writeThreadsText(OS, Threads);
  };
  if (OutputFile.empty() || OutputFile == "-")
    Write(llvm::outs());
  else if (!writeFileAtomically(OutputFile, Write))
    Exit = std::max<int>(Exit, ExitBadInput);
  return Exit;
}

} // namespace

int runCheckCommand(int Argc, const char **Argv) {
  // Options are locals: `profile` and `report` live in the same binary with
  // their own options, and globals with equal names would clash.
  cl::OptionCategory Category("threadwise check options");
  cl::opt<std::string> BuildPath(
      "p", cl::value_desc("build-dir"), cl::cat(Category),
      cl::desc("Build directory containing compile_commands.json (or the file itself).\n"
               "With no files given, every translation unit in it is checked."));
  cl::list<std::string> Sources(cl::Positional, cl::ZeroOrMore, cl::value_desc("files"),
                                cl::desc("[<file> ...]"), cl::cat(Category));
  cl::opt<std::string> Checks(
      "checks", cl::value_desc("globs"), cl::cat(Category),
      cl::desc("Comma-separated globs of checks to run, clang-tidy style;\n"
               "'-' disables, later globs win. Example: -*,threadwise-race-*"));
  cl::opt<bool> ListChecks("list-checks", cl::cat(Category),
                           cl::desc("List the enabled checks and exit"));
  cl::opt<Format> OutputFormat(
      "format", cl::desc("Output format (default: text)"), cl::init(Format::Text),
      cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics"),
                 clEnumValN(Format::JSON, "json", "threadwise JSON (see docs/usage.md)"),
                 clEnumValN(Format::SARIF, "sarif", "SARIF 2.1.0, for code-scanning services"),
                 clEnumValN(Format::CodeClimate, "codeclimate",
                            "GitLab Code Quality (Code Climate issues JSON)")),
      cl::cat(Category));
  cl::opt<std::string> OutputFile("output", cl::value_desc("file"), cl::cat(Category),
                                  cl::desc("Write findings to <file> (atomically) "
                                           "instead of stdout; also -o <file>"));
  cl::alias OutputFileShort("o", cl::aliasopt(OutputFile), cl::desc("Alias for --output"));
  cl::opt<unsigned> Jobs("j", cl::value_desc("N"), cl::init(0), cl::Prefix, cl::cat(Category),
                         cl::desc("Translation units analysed in parallel "
                                  "(default: all cores)"));
  cl::list<std::string> RuleFiles("rules", cl::value_desc("file"), cl::cat(Category),
                                  cl::desc("Add a rule pack (YAML, see docs/rules.md); "
                                           "repeatable"));
  cl::opt<std::string> SourceRoot(
      "source-root", cl::value_desc("dir"), cl::cat(Category),
      cl::desc("SARIF URIs and Code Quality paths are relative to <dir>. Default: the git\n"
               "top-level of the current directory, else the current directory"));
  cl::opt<bool> UseColor("use-color", cl::cat(Category),
                         cl::desc("Colour text output (default: when stdout is a "
                                  "terminal and NO_COLOR is unset)"));
  cl::opt<bool> Quiet("quiet", cl::cat(Category),
                      cl::desc("No progress line and no summary on stderr"));
  cl::list<std::string> ExtraArgs("extra-arg", cl::value_desc("arg"), cl::cat(Category),
                                  cl::desc("Append <arg> to every compile command"));
  cl::list<std::string> ExtraArgsBefore("extra-arg-before", cl::value_desc("arg"),
                                        cl::cat(Category),
                                        cl::desc("Prepend <arg> to every compile command"));
  cl::opt<std::string> WarningsAsErrors(
      "warnings-as-errors", cl::value_desc("globs"), cl::cat(Category),
      cl::desc("Report findings of these checks as errors (same glob syntax as --checks)"));
  cl::opt<std::string> HeaderFilter(
      "header-filter", cl::value_desc("regex"), cl::cat(Category),
      cl::desc("Also report findings in headers whose path matches <regex>\n"
               "(default: none; findings in checked files are always reported)"));
  cl::opt<std::string> ExcludeHeaderFilter(
      "exclude-header-filter", cl::value_desc("regex"), cl::cat(Category),
      cl::desc("Do not report findings in headers whose path matches <regex>"));
  cl::opt<bool> Fix("fix", cl::cat(Category),
                    cl::desc("Apply the suggested fix-its in place"));
  cl::opt<std::string> ExportFixes(
      "export-fixes", cl::value_desc("file"), cl::cat(Category),
      cl::desc("Write the fix-its to <file> as YAML for clang-apply-replacements"));
  cl::opt<std::string> BaselineFile(
      "baseline", cl::value_desc("file"), cl::cat(Category),
      cl::desc("Report (and fail on) only findings not in this baseline;\n"
               "list the fixed ones on stderr (see docs/ci.md)"));
  cl::opt<std::string> WriteBaselineFile(
      "write-baseline", cl::value_desc("file"), cl::cat(Category),
      cl::desc("Record today's findings as a baseline in <file>"));
  cl::opt<std::string> ConfigFile(
      "config-file", cl::value_desc("file"), cl::cat(Category),
      cl::desc("Use this configuration for every file instead of the\n"
               ".threadwise.yaml files found from each source file upward"));
  cl::opt<bool> DumpConfig("dump-config", cl::cat(Category),
                           cl::desc("Print the effective configuration for the current\n"
                                    "directory (or the first file given) and exit"));
  cl::opt<std::string> DiffBase(
      "diff-base", cl::value_desc("git-ref"), cl::cat(Category),
      cl::desc("Report only findings on lines changed since <git-ref>\n"
               "(git diff in the source root; the analysis still sees everything)"));
  cl::opt<std::string> CacheDir(
      "cache-dir", cl::value_desc("dir"), cl::cat(Category),
      cl::desc("Keep per-TU summaries in <dir> and reuse those whose files did\n"
               "not change (default: .threadwise-cache beside compile_commands.json,\n"
               "else $XDG_CACHE_HOME/threadwise)"));
  cl::opt<bool> NoCache("no-cache", cl::cat(Category),
                        cl::desc("Parse every TU; neither read nor write the cache"));
  cl::opt<bool> Verbose("verbose", cl::cat(Category),
                        cl::desc("Also print cache statistics on stderr"));
  cl::opt<bool> ExplainConfig(
      "explain-config", cl::cat(Category),
      cl::desc("For the current directory (or the first file given): print each\n"
               "check's state and the config file, option or flag that decided it,\n"
               "the check options with their sources, and exit"));
  cl::opt<bool> EnableCheckProfile(
      "enable-check-profile", cl::cat(Category),
      cl::desc("Print the time spent per analysis phase and per check on stderr"));
  cl::opt<std::string> StoreCheckProfile(
      "store-check-profile", cl::value_desc("file"), cl::cat(Category),
      cl::desc("Write that profile to <file> as JSON instead"));
  // libLLVM registers a hidden integer -threads of its own that threadwise
  // never uses; this command's --threads takes over the name.
  if (cl::Option *Theirs = cl::getRegisteredOptions().lookup("threads"))
    Theirs->removeArgument();
  cl::opt<bool> ListThreads(
      "threads", cl::cat(Category),
      cl::desc("Print the thread inventory instead of findings: every thread entry\n"
               "the program starts, its spawn site, API, instances and whether it is\n"
               "CPU-bound, I/O-bound or mixed (--format text or json)"));
  cl::extrahelp ExitCodes(
      "\nUSAGE EXAMPLES:\n"
      "  threadwise check -p build                   every TU of build/compile_commands.json\n"
      "  threadwise check -p build src/a.cpp         only src/a.cpp\n"
      "  threadwise check a.cpp b.cpp -- -std=c++17  no compile DB: these flags for both\n"
      "\nEXIT CODES:\n"
      "  0  no findings\n"
      "  1  findings were reported\n"
      "  2  bad usage or unusable input: bad option, missing compile database or file,\n"
      "     or a translation unit that did not parse (the others are still reported)\n"
      "  3  internal error: the analysis crashed on a translation unit (the others are\n"
      "     still reported)\n"
      "  The highest applicable code wins.\n");

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "threadwise version " << THREADWISE_VERSION << "\n  built with LLVM "
       << LLVM_VERSION_STRING << "\n";
  });

  // `-- flags` is a fixed compilation database, as in clang-tidy.
  std::string FixedError;
  std::unique_ptr<clang::tooling::CompilationDatabase> FixedDB =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(Argc, Argv, FixedError);
  if (!FixedError.empty())
    return fail(FixedError);
  if (!cl::ParseCommandLineOptions(Argc, Argv,
                                   "Find data races and CPU work serialized on threads.\n",
                                   &llvm::errs()))
    return ExitBadInput;

  CheckFilter Filter;
  if (Checks.getNumOccurrences()) {
    llvm::Expected<CheckFilter> F = CheckFilter::parse(Checks);
    if (!F)
      return fail("--checks: " + llvm::toString(F.takeError()));
    Filter = std::move(*F);
  }
  CheckFilter ErrorChecks = llvm::cantFail(CheckFilter::parse("-*"));
  if (WarningsAsErrors.getNumOccurrences()) {
    llvm::Expected<CheckFilter> F = CheckFilter::parse(WarningsAsErrors);
    if (!F)
      return fail("--warnings-as-errors: " + llvm::toString(F.takeError()));
    ErrorChecks = std::move(*F);
  }
  {
    std::vector<Finding> None; // Bad regexes fail now, not after the analysis.
    llvm::Expected<size_t> Valid =
        filterHeaderFindings(None, {}, HeaderFilter, ExcludeHeaderFilter);
    if (!Valid)
      return fail(llvm::toString(Valid.takeError()));
  }
  if (ListThreads && OutputFormat != Format::Text && OutputFormat != Format::JSON)
    return fail("--threads prints text or json only");
  if (ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const CheckInfo *C : Filter.enabledChecks())
      llvm::outs() << "    " << C->Name << "\n";
    llvm::outs() << "\n";
    return ExitClean;
  }

  ConfigProvider Configs(ConfigFile);
  if (DumpConfig) {
    llvm::Expected<const Config *> C =
        Sources.empty() ? Configs.forDirectory(".") : Configs.forFile(Sources.front());
    if (!C)
      return fail(llvm::toString(C.takeError()));
    (*C)->dump(llvm::outs());
    return ExitClean;
  }
  if (ExplainConfig) {
    std::string Target = Sources.empty() ? "." : Sources.front();
    llvm::Expected<const Config *> C =
        Sources.empty() ? Configs.forDirectory(".") : Configs.forFile(Target);
    if (!C)
      return fail(llvm::toString(C.takeError()));
    CommandLineSettings Flags;
    if (Checks.getNumOccurrences())
      Flags.Checks = Checks.getValue();
    if (WarningsAsErrors.getNumOccurrences())
      Flags.WarningsAsErrors = WarningsAsErrors.getValue();
    Flags.ConfigFile = ConfigFile;
    if (llvm::Error E = explainConfig(llvm::outs(), Target, **C, Flags))
      return fail(llvm::toString(std::move(E)));
    return ExitClean;
  }

  RuleSet Rules;
  if (llvm::Error E = Rules.loadDefault(Argv[0]))
    return fail(llvm::toString(std::move(E)));
  for (const std::string &F : RuleFiles)
    if (llvm::Error E = Rules.loadFile(F))
      return fail("--rules '" + F + "': " + llvm::toString(std::move(E)));

  std::vector<BaselineEntry> Baseline;
  if (!BaselineFile.empty()) {
    llvm::Expected<std::vector<BaselineEntry>> B = readBaseline(BaselineFile);
    if (!B)
      return fail("--baseline: " + llvm::toString(B.takeError()));
    Baseline = std::move(*B);
  }
  DatabaseRequest Req;
  Req.BuildPath = BuildPath;
  Req.Files.assign(Sources.begin(), Sources.end());
  Req.Fixed = std::move(FixedDB);
  llvm::Expected<LoadedDatabase> Loaded = loadCompileDatabase(std::move(Req));
  if (!Loaded)
    return fail(llvm::toString(Loaded.takeError()));
  // Rule packs named by the .threadwise.yaml of any checked file.
  llvm::StringSet<> ConfigRules;
  for (const std::string &F : Loaded->Files) {
    llvm::Expected<const Config *> C = Configs.forFile(F);
    if (!C)
      return fail(llvm::toString(C.takeError()));
    for (const std::string &R : (*C)->Rules)
      if (ConfigRules.insert(R).second)
        if (llvm::Error E = Rules.loadFile(R))
          return fail("rule pack '" + R + "': " + llvm::toString(std::move(E)));
  }

  TURunOptions RunOpts;
  bool NoColor = llvm::sys::Process::GetEnv("NO_COLOR").has_value();
  RunOpts.ColorDiagnostics = !NoColor && llvm::errs().is_displayed();
  RunOpts.Adjuster = makeArgumentsAdjuster(
      std::vector<std::string>(ExtraArgsBefore.begin(), ExtraArgsBefore.end()),
      std::vector<std::string>(ExtraArgs.begin(), ExtraArgs.end()));

  std::unique_ptr<SummaryCache> Cache;
  if (!NoCache) {
    std::string Dir = CacheDir;
    if (Dir.empty() && !BuildPath.empty())
      Dir = SummaryCache::defaultDirectory(llvm::sys::fs::is_directory(BuildPath)
                                               ? llvm::StringRef(BuildPath)
                                               : llvm::sys::path::parent_path(BuildPath));
    else if (Dir.empty())
      Dir = SummaryCache::defaultDirectory("");
    if (!Dir.empty()) {
      llvm::Expected<std::unique_ptr<SummaryCache>> C =
          SummaryCache::open(Dir, cacheSalt(Argv[0], Rules));
      if (C)
        Cache = std::move(*C);
      else if (CacheDir.getNumOccurrences())
        return fail("--cache-dir: " + llvm::toString(C.takeError()));
      else // The default place is a convenience: without it, just parse.
        llvm::consumeError(C.takeError());
    }
  }

  std::optional<CheckProfile> Profile;
  if (EnableCheckProfile || !StoreCheckProfile.empty())
    Profile.emplace();
  CheckProfile *Prof = Profile ? &*Profile : nullptr;
  auto ProfileStart = std::chrono::steady_clock::now();
  std::vector<TUResult> Results =
      runAll(*Loaded, Rules, RunOpts, Jobs, !Quiet && llvm::errs().is_displayed(), Cache.get(),
             Prof);
  if (Verbose && Cache)
    llvm::errs() << "threadwise: cache: " << plural(Cache->hits(), "hit") << ", "
                 << Cache->misses() << (Cache->misses() == 1 ? " miss" : " misses") << " ("
                 << Cache->directory() << ")\n";

  int Exit = ExitClean;
  OutputOptions Out;
  Out.ToolVersion = THREADWISE_VERSION;
  Out.EnabledChecks = Filter.enabledChecks();
  Out.SourceRoot = SourceRoot.getNumOccurrences() ? SourceRoot.getValue() : defaultSourceRoot();
  if (!Out.SourceRoot.empty()) {
    llvm::SmallString<256> Abs(Out.SourceRoot);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    Out.SourceRoot = std::string(Abs);
  }
  std::vector<const TUSummary *> Summaries = collectSummaries(Results, Out.Errors, Exit);
  if (Profile && Profile->count("parse")) { // A parsed TU's time includes summarising.
    Profile->add("parse", -summarizeSecondsTotal(), 0);
    Profile->add("summarise", summarizeSecondsTotal(), Profile->count("parse"));
  }
  if (ListThreads)
    return writeThreadInventory(Summaries, Rules, OutputFormat == Format::JSON, OutputFile, Exit);
  // Check options of the first file's .threadwise.yaml (the checks run once,
  // over the whole program).
  CheckOptions Options;
  if (!Loaded->Files.empty()) {
    llvm::Expected<const Config *> C = Configs.forFile(Loaded->Files.front());
    if (!C)
      return fail(llvm::toString(C.takeError()));
    Options = (*C)->CheckOptions;
  }
  std::vector<Finding> Findings =
      analyzeSafely(Summaries, Rules, Filter, Options, Out.Errors, Exit, Prof);
  std::optional<CheckProfile::Scope> FilterTime(std::in_place, Prof, "filters");
  // .threadwise.yaml and --diff-base follow the primary location too.
  if (llvm::Expected<size_t> Dropped =
          filterByConfig(Findings, Configs, Checks.getNumOccurrences() > 0);
      !Dropped)
    return fail(llvm::toString(Dropped.takeError()));
  if (!DiffBase.empty()) {
    llvm::Expected<ChangedLines> Changed = ChangedLines::sinceGitRef(DiffBase, Out.SourceRoot);
    if (!Changed)
      return fail("--diff-base: " + llvm::toString(Changed.takeError()));
    Changed->filter(Findings);
  }
  // NOLINT comments, then the baseline, both at the primary location.
  SuppressionFilter().apply(Findings);
  if (!WriteBaselineFile.empty() &&
      !writeFileAtomically(WriteBaselineFile, [&](llvm::raw_ostream &OS) {
        writeBaseline(OS, Findings, Out.SourceRoot);
      }))
    Exit = std::max<int>(Exit, ExitBadInput);
  std::vector<BaselineEntry> FixedSinceBaseline =
      applyBaseline(Findings, Baseline, Out.SourceRoot);
  llvm::Expected<size_t> InHeaders =
      filterHeaderFindings(Findings, Loaded->Files, HeaderFilter, ExcludeHeaderFilter);
  if (!InHeaders)
    return fail(llvm::toString(InHeaders.takeError()));
  Out.WarningsAsErrors = &ErrorChecks;
  addIncludeFixes(Findings);
  FilterTime.reset();
  if (!Findings.empty())
    Exit = std::max<int>(Exit, ExitFindings);

  bool ToStdout = OutputFile.empty() || OutputFile == "-";
  if (UseColor.getNumOccurrences())
    Out.Color = UseColor && OutputFormat == Format::Text && ToStdout;
  else
    Out.Color = !NoColor && OutputFormat == Format::Text && ToStdout &&
                llvm::outs().is_displayed();
  auto Write = [&](llvm::raw_ostream &OS) {
    switch (OutputFormat) {
    case Format::Text:
      writeText(OS, Findings, Out);
      break;
    case Format::JSON:
      writeJSON(OS, Findings, Out);
      break;
    case Format::SARIF:
      writeSARIF(OS, Findings, Out);
      break;
    case Format::CodeClimate:
      writeCodeClimate(OS, Findings, Out);
      break;
    }
  };
  {
    CheckProfile::Scope T(Prof, "output");
    if (ToStdout) {
      Write(llvm::outs());
      llvm::outs().flush();
    } else if (!writeFileAtomically(OutputFile, Write)) {
      Exit = std::max<int>(Exit, ExitBadInput);
    }
  }
  if (Profile) {
    double Elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - ProfileStart).count();
    if (StoreCheckProfile.empty())
      Profile->print(llvm::errs(), Elapsed);
    else if (!writeFileAtomically(StoreCheckProfile, [&](llvm::raw_ostream &OS) {
               Profile->writeJSON(OS, Elapsed);
             }))
      Exit = std::max<int>(Exit, ExitBadInput);
  }

  if (!ExportFixes.empty() &&
      !exportFixes(ExportFixes, Findings, Loaded->Files.empty() ? "" : Loaded->Files.front()))
    Exit = std::max<int>(Exit, ExitBadInput);
  if (Fix && !applyFixes(Findings, Quiet))
    Exit = std::max<int>(Exit, ExitBadInput);

  if (!Quiet) {
    llvm::StringSet<> FilesWithFindings;
    for (const Finding &F : Findings)
      FilesWithFindings.insert(F.Pos.File);
    llvm::errs() << plural(Findings.size(), "warning") << " in "
                 << plural(FilesWithFindings.size(), "file") << " ("
                 << plural(Summaries.size(), "TU") << " analysed";
    if (!Out.Errors.empty())
      llvm::errs() << ", " << Out.Errors.size() << " failed";
    llvm::errs() << ")\n";
    size_t AsErrors = llvm::count_if(
        Findings, [&](const Finding &F) { return ErrorChecks.isEnabled(F.Check); });
    if (AsErrors)
      llvm::errs() << plural(AsErrors, "warning") << " treated as errors\n";
    if (*InHeaders)
      llvm::errs() << "Suppressed " << plural(*InHeaders, "warning")
                   << " in headers (use --header-filter to show them)\n";
  }
  if (!Quiet && !FixedSinceBaseline.empty()) {
    llvm::errs() << plural(FixedSinceBaseline.size(), "baseline finding")
                 << " no longer reported (fixed):\n";
    for (const BaselineEntry &E : FixedSinceBaseline)
      llvm::errs() << "  " << E.File << ": " << E.Message << " [" << E.Check << "]\n";
  }
  return Exit;
}

} // namespace threadwise
