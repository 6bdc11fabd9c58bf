//===- ReportCommand.cpp - `threadwise report FILE` -----------------------===//
//
// Re-renders a saved merged profile, or a saved JSON report (which embeds its
// profile), as text, JSON, HTML, a trace, or flame graph input. Exit codes: 0 done, 2 bad usage
// or an unreadable input, 125 the output could not be written.
//
//===----------------------------------------------------------------------===//
#include "analyze/Renderers.h"
#include "threadwise/runtime/Report.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

using namespace llvm;
using namespace threadwise::runtime;

namespace threadwise {
int runReportCommand(int Argc, const char **Argv);
}

namespace {
enum class OutputFormat { Text, Json, Html, Trace, Collapsed, Speedscope };
}

int threadwise::runReportCommand(int Argc, const char **Argv) {
  // Options are locals: the other subcommands share this binary and must
  // not see them (nor have them in their --help).
  cl::OptionCategory Category("threadwise report options");
  cl::opt<std::string> Input(cl::Positional, cl::Required,
                             cl::desc("<profile.json | report.json | ->"),
                             cl::cat(Category));
  cl::opt<OutputFormat> Format(
      "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
      cl::values(clEnumValN(OutputFormat::Text, "text", "terminal summary"),
                 clEnumValN(OutputFormat::Json, "json",
                            "threadwise-report JSON (docs/runtime.md)"),
                 clEnumValN(OutputFormat::Html, "html",
                            "self-contained HTML page with a timeline"),
                 clEnumValN(OutputFormat::Trace, "trace",
                            "Chrome/Perfetto trace-event JSON"),
                 clEnumValN(OutputFormat::Collapsed, "collapsed",
                            "folded stacks for flamegraph.pl and speedscope"),
                 clEnumValN(OutputFormat::Speedscope, "speedscope",
                            "speedscope JSON, one profile per thread and kind")),
      cl::cat(Category));
  cl::opt<std::string> FlameKind(
      "flame-kind",
      cl::desc("Stacks in collapsed/speedscope output: cpu, runnable, lock, io, "
               "gil, sleep, wait, or all (default; collapsed lines then start "
               "with the kind)"),
      cl::value_desc("kind"), cl::init("all"), cl::cat(Category));
  cl::opt<std::string> Output("o",
                              cl::desc("Write to <file> (default: stdout)"),
                              cl::value_desc("file"), cl::cat(Category));
  cl::HideUnrelatedOptions(Category);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "Re-render a saved threadwise profile or report.\n\n"
          "  threadwise report run.json --format html -o run.html\n"
          "  threadwise report run.json --format collapsed --flame-kind cpu | "
          "flamegraph.pl > cpu.svg\n",
          &errs()))
    return 2;

  if (!isFlameKind(FlameKind)) {
    errs() << "threadwise report: error: unknown --flame-kind '" << FlameKind
           << "' (cpu, runnable, lock, io, gil, sleep, wait or all)\n";
    return 2;
  }
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFileOrSTDIN(Input, /*IsText=*/true);
  if (!Buf) {
    errs() << "threadwise report: error: cannot read '" << Input
           << "': " << Buf.getError().message() << "\n";
    return 2;
  }
  Expected<json::Value> Doc = json::parse((*Buf)->getBuffer());
  if (!Doc) {
    errs() << "threadwise report: error: '" << Input
           << "' is not valid JSON: " << toString(Doc.takeError()) << "\n";
    return 2;
  }
  const json::Object *Root = Doc->getAsObject();
  std::string Why = "the top level is not a JSON object";
  const json::Object *ProfileObj =
      Root ? findProfileObject(*Root, Why) : nullptr;
  if (!ProfileObj) {
    errs() << "threadwise report: error: '" << Input << "': " << Why << "\n";
    return 2;
  }
  Expected<AnalyzedProfile> A = analyzeProfile(*ProfileObj);
  if (!A) {
    errs() << "threadwise report: error: '" << Input
           << "': " << toString(A.takeError()) << "\n";
    return 2;
  }

  auto Render = [&](raw_ostream &OS, bool UseColor) {
    switch (Format) {
    case OutputFormat::Text:
      renderText(*A, OS, UseColor);
      break;
    case OutputFormat::Json:
      writeJsonReport(*A, OS);
      break;
    case OutputFormat::Html:
      renderHtml(*A, OS);
      break;
    case OutputFormat::Trace:
      renderTrace(*A, OS);
      break;
    case OutputFormat::Collapsed:
      renderCollapsed(*A, OS, FlameKind);
      break;
    case OutputFormat::Speedscope:
      renderSpeedscope(*A, OS, FlameKind);
      break;
    }
  };
  if (Output.empty() || Output == "-") {
    // LLVM already owns a --color option; follow the terminal and NO_COLOR.
    bool UseColor = outs().has_colors() && !std::getenv("NO_COLOR");
    Render(outs(), UseColor);
    outs().flush();
    return 0;
  }
  std::string Err;
  if (!writeFileAtomically(
          Output, [&](raw_ostream &OS) { Render(OS, false); }, Err)) {
    errs() << "threadwise report: error: " << Err << "\n";
    return 125;
  }
  return 0;
}
