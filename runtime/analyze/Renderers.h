//===- Renderers.h - The report formats of one analyzed profile -----------===//
//
// Private to runtime/analyze: writeReports() and `threadwise report` both
// analyze once and hand the result to these renderers.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_RUNTIME_ANALYZE_RENDERERS_H
#define THREADWISE_RUNTIME_ANALYZE_RENDERERS_H

#include "threadwise/runtime/ProfileAnalysis.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace threadwise::runtime {

/// A profile with its metrics and recommendation; Raw is the JSON it came
/// from, embedded verbatim in JSON reports so they can be re-rendered.
struct AnalyzedProfile {
  Profile P;
  Metrics M;
  Recommendation R;
  const llvm::json::Object *Raw = nullptr;
};

llvm::Expected<AnalyzedProfile> analyzeProfile(const llvm::json::Object &Raw);

/// The terminal summary: at most 20 lines.
void renderText(const AnalyzedProfile &A, llvm::raw_ostream &OS, bool Color);
/// The "threadwise-report" version 1 document (docs/runtime.md).
llvm::json::Value renderJsonReport(const AnalyzedProfile &A);
/// The same, written: indented, with the embedded profile on one line.
void writeJsonReport(const AnalyzedProfile &A, llvm::raw_ostream &OS);
/// One self-contained HTML page; every program-supplied string is escaped.
void renderHtml(const AnalyzedProfile &A, llvm::raw_ostream &OS);
/// Chrome / Perfetto trace-event JSON.
void renderTrace(const AnalyzedProfile &A, llvm::raw_ostream &OS);

/// Stack kinds in display order, null-terminated: cpu, runnable, lock, io,
/// gil, sleep, wait (isFlameKind() in Report.h).
extern const char *const FlameKinds[];
/// Folded stacks, "proc;thread;frame;...;leaf value_ns" per line; with Kind
/// "all" every line starts with its kind ("cpu;proc;thread;...").
void renderCollapsed(const AnalyzedProfile &A, llvm::raw_ostream &OS, llvm::StringRef Kind);
/// speedscope's file format: one sampled profile per thread and kind, in ns.
void renderSpeedscope(const AnalyzedProfile &A, llvm::raw_ostream &OS, llvm::StringRef Kind);
/// The HTML report's interactive flame graph section (inline SVG + script).
void renderHtmlFlameGraph(const AnalyzedProfile &A, llvm::raw_ostream &OS);
/// "sha256-..." of that script, for the page's Content-Security-Policy.
std::string flameScriptHash();

/// A stretch of a thread's life between two samples, with the fraction of it
/// spent running and runnable (waiting for a core).
struct CpuSpan {
  int64_t Start = 0, End = 0;
  double Running = 0, Runnable = 0;
};
/// From (start, 0), the samples and (end, totals): one span per interval.
std::vector<CpuSpan> cpuSpans(const ProfileThread &T);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string escapeHtml(llvm::StringRef S);

/// Writes Path through a temporary file in the same directory and a rename,
/// so readers never see half a report. False and Err set on failure.
bool writeFileAtomically(llvm::StringRef Path,
                         llvm::function_ref<void(llvm::raw_ostream &)> Write,
                         std::string &Err);

} // namespace threadwise::runtime

#endif
