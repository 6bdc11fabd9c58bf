//===- ProfileCommand.cpp - `threadwise profile [options] -- CMD ARGS...` --===//
//
// Runs the command under libthreadwise-preload.so, samples /proc and perf
// counters while it runs, merges everything into one profile and hands it to
// the report writers (runtime/analyze/). The command's stdin/stdout/stderr are
// its own; threadwise writes only to stderr and the requested files. With
// --pid it profiles a running process instead (AttachSession.h).
//
//===----------------------------------------------------------------------===//
#include "AttachSession.h"
#include "ChildProcess.h"
#include "PerfEvents.h"
#include "ProcSampler.h"
#include "ProfileBuilder.h"
#include "RecordFiles.h"
#include "threadwise/InstallLayout.h"
#include "threadwise/runtime/Report.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

using namespace llvm;
using namespace threadwise::collect;

namespace threadwise {

static uint64_t monotonicNs() {
  struct timespec Ts;
  clock_gettime(CLOCK_MONOTONIC, &Ts);
  return static_cast<uint64_t>(Ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(Ts.tv_nsec);
}

static std::string findPreloadLibrary() {
  if (const char *Env = std::getenv("THREADWISE_PRELOAD"))
    return Env;
  SmallString<256> Lib(installPrefix());
  sys::path::append(Lib, "lib", "libthreadwise-preload.so");
  return sys::fs::exists(Lib) ? std::string(Lib) : std::string();
}

/// Writes Text to Path atomically (temp file in the same directory + rename).
static bool writeFileAtomically(StringRef Path, StringRef Text, std::string &Error) {
  SmallString<256> Temp;
  int Fd;
  if (auto EC = sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", Fd, Temp)) {
    Error = EC.message();
    return false;
  }
  {
    raw_fd_ostream OS(Fd, /*shouldClose=*/true);
    OS << Text;
    OS.close();
    if (OS.has_error()) {
      Error = OS.error().message();
      OS.clear_error();
      sys::fs::remove(Temp);
      return false;
    }
  }
  if (auto EC = sys::fs::rename(Temp, Path)) {
    Error = EC.message();
    sys::fs::remove(Temp);
    return false;
  }
  return true;
}

int runProfileCommand(int Argc, const char **Argv) {
  // Everything after "--" is the command (or from the first non-option word).
  int Split = Argc;
  bool SawDashes = false;
  for (int I = 1; I < Argc; ++I) {
    if (StringRef(Argv[I]) == "--") {
      Split = I;
      SawDashes = true;
      break;
    }
  }
  if (!SawDashes)
    for (int I = 1; I < Argc; ++I)
      if (Argv[I][0] != '-') {
        StringRef Prev = I > 1 ? Argv[I - 1] : "";
        bool PrevTakesValue =
            !Prev.contains('=') &&
            (Prev == "-o" || Prev.ends_with("output-dir") || Prev.starts_with("--report") ||
             Prev.starts_with("-report") || Prev.ends_with("trace") || Prev.ends_with("interval") ||
             Prev.ends_with("raw-profile") || Prev.ends_with("events") || Prev == "-e" ||
             Prev.ends_with("pid") || Prev.ends_with("duration") || Prev.ends_with("rate") ||
             Prev.ends_with("flame-kind"));
        if (!PrevTakesValue) {
          Split = I;
          break;
        }
      }
  std::vector<std::string> Command(Argv + Split + (SawDashes ? 1 : 0), Argv + Argc);

  cl::OptionCategory Cat("threadwise profile options");
  cl::opt<std::string> ReportJson("report-json", cl::desc("Write the JSON report to <file>"),
                                  cl::value_desc("file"), cl::cat(Cat));
  cl::opt<std::string> ReportHtml("report-html", cl::desc("Write the HTML report to <file>"),
                                  cl::value_desc("file"), cl::cat(Cat));
  cl::opt<std::string> Trace("trace",
                             cl::desc("Write a Chrome/Perfetto trace-event JSON to <file>"),
                             cl::value_desc("file"), cl::cat(Cat));
  cl::opt<std::string> Collapsed(
      "report-collapsed",
      cl::desc("Write folded stacks (flamegraph.pl, speedscope) to <file>"),
      cl::value_desc("file"), cl::cat(Cat));
  cl::opt<std::string> Speedscope("report-speedscope",
                                  cl::desc("Write a speedscope JSON profile to <file>"),
                                  cl::value_desc("file"), cl::cat(Cat));
  cl::opt<std::string> FlameKind(
      "flame-kind",
      cl::desc("Stacks in the collapsed/speedscope files: cpu, runnable, lock, io, gil, "
               "sleep, wait, or all (default)"),
      cl::value_desc("kind"), cl::init("all"), cl::cat(Cat));
  cl::opt<std::string> OutputDir("output-dir",
                                 cl::desc("Keep the per-process record files in <dir> (default: a "
                                          "temporary directory, removed afterwards)"),
                                 cl::value_desc("dir"), cl::cat(Cat));
  cl::alias OutputDirShort("o", cl::desc("Alias for --output-dir"), cl::aliasopt(OutputDir),
                           cl::cat(Cat));
  cl::opt<unsigned> IntervalMs("interval", cl::desc("/proc sampling interval in ms (default 20)"),
                               cl::value_desc("ms"), cl::init(20), cl::cat(Cat));
  cl::opt<std::string> Events(
      "events",
      cl::desc("Comma-separated perf events, also -e (libpfm4 event strings, see "
               "--list-events; default: task-clock,"
               "context-switches,cpu-migrations,page-faults,cycles,instructions,cache-misses)"),
      cl::value_desc("list"), cl::cat(Cat));
  cl::alias EventsShort("e", cl::desc("Alias for --events"), cl::aliasopt(Events), cl::cat(Cat));
  cl::opt<bool> ListEvents("list-events",
                           cl::desc("List the perf events this machine can open, and exit"),
                           cl::cat(Cat));
  cl::opt<int> Pid("pid",
                   cl::desc("Attach to the running process <pid> instead of running a command"),
                   cl::value_desc("pid"), cl::init(0), cl::cat(Cat));
  cl::opt<double> Duration("duration",
                           cl::desc("With --pid: stop after <seconds> (default: when the "
                                    "process exits or on Ctrl-C)"),
                           cl::value_desc("seconds"), cl::init(0), cl::cat(Cat));
  cl::opt<unsigned> Rate("rate",
                         cl::desc("Sampling rate in Hz (overrides --interval; default 100 with "
                                  "--pid)"),
                         cl::value_desc("hz"), cl::init(0), cl::cat(Cat));
  cl::opt<bool> Quiet("quiet", cl::desc("Do not print the summary"), cl::cat(Cat));
  cl::alias QuietShort("q", cl::desc("Alias for --quiet"), cl::aliasopt(Quiet), cl::cat(Cat));
  cl::opt<std::string> RawProfile("raw-profile",
                                  cl::desc("Also save the merged profile (input of "
                                           "'threadwise report') to <file>"),
                                  cl::value_desc("file"), cl::cat(Cat), cl::Hidden);
  cl::HideUnrelatedOptions(Cat);
  cl::SetVersionPrinter([](raw_ostream &OS) { OS << "threadwise profile 0.1\n"; });
  if (!cl::ParseCommandLineOptions(
          Split, Argv,
          "Profile a real run and recommend threads, processes, fixing contention, or "
          "staying serial.\n\n  threadwise profile [options] -- CMD ARGS...\n"
          "  threadwise profile [options] --pid PID [--duration SECONDS]\n",
          &errs()))
    return 125; // bad usage is threadwise's own failure (env/timeout convention)
  if (!runtime::isFlameKind(FlameKind)) {
    errs() << "threadwise profile: unknown --flame-kind '" << FlameKind
           << "' (cpu, runnable, lock, io, gil, sleep, wait or all)\n";
    return 125;
  }
  if (ListEvents)
    return PerfEvents::listOpenable(outs()) ? 0 : 125;
  std::vector<std::string> EventNames = PerfEvents::parseList(Events);
  if (auto Bad = PerfEvents::unencodable(EventNames); !Bad.empty()) {
    for (auto &[Name, Why] : Bad)
      errs() << "threadwise profile: unknown perf event '" << Name << "' (" << Why << ")\n";
    errs() << "threadwise profile: 'threadwise profile --list-events' lists the events this "
              "machine can open\n";
    return 125;
  }
  if (Pid.getNumOccurrences() && !Command.empty()) {
    errs() << "threadwise profile: give either --pid or a command, not both\n";
    return 125;
  }
  if (Duration < 0 || (Duration.getNumOccurrences() && !Pid.getNumOccurrences())) {
    errs() << "threadwise profile: --duration takes a positive number of seconds and needs "
              "--pid\n";
    return 125;
  }
  uint64_t IntervalNs = Rate ? 1000000000ull / Rate
                        : Pid.getNumOccurrences() && !IntervalMs.getNumOccurrences()
                            ? 10000000ull
                            : static_cast<uint64_t>(std::max(1u, IntervalMs.getValue())) * 1000000;
  IntervalNs = std::max<uint64_t>(IntervalNs, 1000000); // at most 1 kHz

  runtime::ReportOptions Opts;
  Opts.JsonPath = ReportJson;
  Opts.HtmlPath = ReportHtml;
  Opts.TracePath = Trace;
  Opts.CollapsedPath = Collapsed;
  Opts.SpeedscopePath = Speedscope;
  Opts.FlameKind = FlameKind;
  Opts.Terminal = !Quiet;
  Opts.Color = !std::getenv("NO_COLOR") && ::isatty(2);
  // The raw profile and the reports; true when one of them failed.
  auto WriteOutputs = [&](const json::Object &Profile) {
    bool Failed = false;
    if (!RawProfile.empty()) {
      std::string Text, Error;
      raw_string_ostream(Text) << formatv("{0:2}", json::Value(json::Object(Profile))) << "\n";
      if (!writeFileAtomically(RawProfile, Text, Error)) {
        errs() << "threadwise profile: cannot write '" << RawProfile << "': " << Error << "\n";
        Failed = true;
      }
    }
    return runtime::writeReports(Profile, Opts, errs()) != 0 || Failed;
  };

  if (Pid.getNumOccurrences()) {
    AttachOptions AO;
    AO.Pid = Pid;
    AO.DurationS = Duration;
    AO.IntervalNs = IntervalNs;
    AO.Events = EventNames;
    AO.RequireEvents = !Events.empty();
    std::string Error;
    std::optional<json::Object> Profile = profileAttached(AO, Error);
    if (!Profile) {
      errs() << "threadwise profile: cannot attach: " << Error << "\n";
      return 125;
    }
    return WriteOutputs(*Profile) ? 125 : 0;
  }
  if (Command.empty()) {
    errs() << "threadwise profile: no command given (usage: threadwise profile [options] -- "
              "CMD ARGS...)\n";
    return 125;
  }

  Resolved R = resolveCommand(Command[0]);
  if (R.FailureCode) {
    errs() << "threadwise profile: " << R.Message << "\n";
    return R.FailureCode;
  }

  // The record directory.
  SmallString<256> Dir;
  bool TempDir = OutputDir.empty();
  if (TempDir) {
    if (auto EC = sys::fs::createUniqueDirectory("threadwise", Dir)) {
      errs() << "threadwise profile: cannot create a temporary directory: " << EC.message() << "\n";
      return 125;
    }
  } else {
    Dir = OutputDir;
    if (auto EC = sys::fs::create_directories(Dir)) {
      errs() << "threadwise profile: cannot create '" << Dir << "': " << EC.message() << "\n";
      return 125;
    }
    sys::fs::make_absolute(Dir);
    for (const std::string &Old : listImageFiles(Dir)) // stale files of an earlier run
      sys::fs::remove(Old);
  }

  std::string Preload = findPreloadLibrary();
  bool Static = isStaticElf(R.Path);
  if (Preload.empty() && !Quiet)
    errs() << "threadwise profile: warning: libthreadwise-preload.so not found next to the "
              "threadwise binary (set THREADWISE_PRELOAD); measuring from /proc only\n";

  uint64_t T0 = monotonicNs();
  std::vector<std::pair<std::string, std::string>> Env;
  if (!Preload.empty()) {
    const char *Old = std::getenv("LD_PRELOAD");
    Env.push_back({"LD_PRELOAD", Old && *Old ? Preload + " " + Old : Preload});
  }
  Env.push_back({"THREADWISE_OUT", std::string(Dir)});
  Env.push_back({"THREADWISE_T0", std::to_string(T0)});

  // Orphaned grandchildren come back to us, so their statuses are not lost.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ChildProcess Child;
  if (!Child.start(R.Path, Command, Env)) {
    errs() << "threadwise profile: cannot start '" << Command[0] << "': " << strerror(errno)
           << "\n";
    return 125;
  }
  PerfEvents Perf;
  Perf.open(Child.pid(), EventNames);
  if (!Events.empty() && !Perf.opened()) { // asked for events, and none can be counted
    errs() << "threadwise profile: none of the requested perf events can be opened here:\n"
           << Perf.failures();
    ::kill(Child.pid(), SIGKILL);
    int St;
    ::waitpid(Child.pid(), &St, 0);
    if (TempDir)
      sys::fs::remove_directories(Dir);
    return 125;
  }
  forwardSignalsTo(Child.pid());
  std::string ExecError;
  if (int Code = Child.release(ExecError)) {
    int St;
    ::waitpid(Child.pid(), &St, 0);
    errs() << "threadwise profile: " << Command[0] << ": " << ExecError << "\n";
    if (TempDir)
      sys::fs::remove_directories(Dir);
    return Code;
  }

  RunInfo Run;
  Run.Command = Command;
  Run.StartNs = T0;
  Run.RootPid = Child.pid();
  Run.StaticBinary = Static;
  Run.SamplingIntervalNs = IntervalNs;
  ProcSampler Sampler(Child.pid(), std::string(Dir));
  // Sleep between rounds in sigtimedwait on a blocked SIGCHLD, not nanosleep:
  // the command's exit wakes the launcher at once instead of up to one
  // interval later, which every profiled run would pay in wall time. (The
  // child was forked before the block, so its signal mask is untouched.)
  sigset_t ChildExit;
  sigemptyset(&ChildExit);
  sigaddset(&ChildExit, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &ChildExit, nullptr);
  bool Done = false;
  uint64_t Interval = Run.SamplingIntervalNs, RoundCost = 0;
  for (unsigned Round = 0; !Done; ++Round) {
    uint64_t Before = monotonicNs();
    Sampler.sample(Before);
    // Keep the sampler under ~10% of a core: with hundreds of live threads a
    // round reads thousands of /proc files, so sample less often. A moving
    // average, so the occasional full /proc scan round does not count alone.
    RoundCost = (RoundCost * 4 + (monotonicNs() - Before)) / 5;
    if (RoundCost * 10 > Interval && Interval < 1000000000ull) {
      Interval *= 2;
      Run.IntervalBackoffs++;
    }
    if (Round == 1) // the analysis's rules: while the command runs, not after it
      runtime::loadRules();
    int St;
    pid_t W;
    while ((W = ::waitpid(-1, &St, WNOHANG)) > 0) {
      if (W == Child.pid()) {
        Run.RootStatus = St;
        Done = true;
      } else {
        Run.ReapedStatuses[W] = St;
      }
    }
    if (W < 0 && errno == ECHILD && !Done)
      break; // cannot happen unless someone else reaped the child
    if (!Done) {
      struct timespec Ts = {static_cast<time_t>(Interval / 1000000000ull),
                            static_cast<long>(Interval % 1000000000ull)};
      ::sigtimedwait(&ChildExit, nullptr, &Ts);
    }
  }
  Run.EndNs = monotonicNs();
  Run.FinalSamplingIntervalNs = Interval;
  Run.Events = Perf.read();

  std::vector<ImageRecord> Images;
  for (const std::string &F : listImageFiles(Dir)) {
    auto Img = readImageFile(F);
    if (Img)
      Images.push_back(std::move(*Img));
    else
      consumeError(Img.takeError());
  }
  json::Object Profile = buildProfile(Run, Images, Sampler);
  if (TempDir)
    sys::fs::remove_directories(Dir);

  int ChildCode =
      WIFSIGNALED(Run.RootStatus) ? 128 + WTERMSIG(Run.RootStatus) : WEXITSTATUS(Run.RootStatus);
  bool Failed = WriteOutputs(Profile);
  // The command's status wins; threadwise's own failure shows only when it succeeded.
  if (Failed && ChildCode == 0)
    return 125;
  return ChildCode;
}

} // namespace threadwise
