//===- TextReport.cpp - The terminal summary (at most 20 lines) -----------===//
#include "analyze/Format.h"
#include "analyze/Renderers.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using namespace threadwise::runtime;

/// Program-supplied strings go to a terminal: control characters (an escape
/// sequence in a thread name could rewrite the screen) become '?'.
static std::string printable(StringRef S) {
  std::string Out(S);
  for (char &C : Out)
    if ((unsigned char)C < 0x20 || C == 0x7f)
      C = '?';
  return Out;
}

static std::string commandLine(const Profile &P) {
  std::string S;
  for (const std::string &A : P.Command) {
    if (!S.empty())
      S += ' ';
    S += A;
  }
  // Keep the header on one line however long the command.
  if (S.size() > 60)
    S = S.substr(0, 57) + "...";
  return printable(S);
}

static std::string pad(std::string S, size_t W) {
  if (S.size() < W)
    S.append(W - S.size(), ' ');
  return S;
}

static std::string speedups(const std::vector<double> &V) {
  std::string S;
  for (double X : V)
    S += pad(formatFixed(X) + "x", 9);
  return S;
}

/// "92% of GIL wait is in count() at work.py:13; 94% of CPU time in ...": the
/// Python code behind a GIL verdict, from the innermost Python frames.
static std::string pythonLine(const Metrics &M) {
  if (M.PythonFunctions.empty())
    return M.PythonStacksMissing && M.GilMeasured
               ? "no Python stacks (this CPython's layout is unknown to this build)"
               : "";
  auto Top = [&](bool Gil) {
    const PythonFunctionMetrics *Best = nullptr;
    for (const PythonFunctionMetrics &F : M.PythonFunctions)
      if ((Gil ? F.GilNs : F.CpuNs) > 0 &&
          (!Best || (Gil ? F.GilNs > Best->GilNs : F.CpuNs > Best->CpuNs)))
        Best = &F;
    return Best;
  };
  auto Where = [](const PythonFunctionMetrics &F, int64_t Line) {
    return F.Function + "() at " + sys::path::filename(F.File).str() + ":" +
           std::to_string(Line);
  };
  std::string S;
  if (const PythonFunctionMetrics *G = Top(true))
    S = formatPercent(G->GilShare) + " of GIL wait is in " + Where(*G, G->GilLine);
  if (const PythonFunctionMetrics *C = Top(false))
    S += (S.empty() ? "" : "; ") + formatPercent(C->CpuShare) + " of CPU time in " +
         Where(*C, C->CpuLine);
  return S;
}

void threadwise::runtime::renderText(const AnalyzedProfile &A, raw_ostream &OS,
                                     bool Color) {
  const Recommendation &R = A.R;
  const SpeedupPrediction &Sp = R.Speedup;
  std::string Verdict = verdictName(R.V).upper();
  OS << "threadwise: ";
  if (Color)
    OS.changeColor(raw_ostream::GREEN, /*Bold=*/true);
  OS << "verdict " << Verdict;
  if (Color)
    OS.resetColor();
  OS << " (confidence " << formatFixed(R.Confidence) << ")";
  std::string Cmd = commandLine(A.P);
  if (!Cmd.empty())
    OS << " - " << Cmd;
  OS << "\n";
  for (const std::string &E : R.Evidence)
    OS << "  * " << printable(E) << "\n";

  // Phases only when the run had some: one line, at most four.
  const std::vector<ParallelismWindow> &Ph = A.M.Phases;
  if (Ph.size() >= 2) {
    OS << "  phases (parallelism):";
    for (size_t I = 0; I < Ph.size() && I < 4; ++I)
      OS << (I ? "," : "") << " " << formatDuration(Ph[I].Start) << "-"
         << formatDuration(Ph[I].End) << " x" << formatFixed(Ph[I].Parallelism);
    if (Ph.size() > 4)
      OS << ", +" << Ph.size() - 4 << " more";
    OS << "\n";
  }
  OS << "  predicted speed-up    ";
  for (unsigned N : Sp.Workers)
    OS << pad("N=" + std::to_string(N), 9);
  OS << "\n";
  std::string ThreadsLabel =
      Sp.ThreadsModel == "usl"
          ? "threads (USL)"
          : "threads (s=" + formatFixed(Sp.SerialFraction) + ")";
  OS << "    " << pad(ThreadsLabel, 18) << speedups(Sp.Threads) << "\n";
  OS << "    " << pad("processes", 18) << speedups(Sp.Processes)
     << (Sp.SpawnCostMeasured ? "" : "(spawn cost assumed)") << "\n";
  OS << "    " << pad("fix-contention", 18) << speedups(Sp.FixContention)
     << "\n";

  // The top lock or GIL site is the contention to fix; failing that, the
  // call the program waited in most.
  const SiteMetrics *Top = A.M.topContendedSite();
  for (const SiteMetrics &S : A.M.Sites)
    if (!Top && S.WaitNs > 0 && S.WaitedByWorkers)
      Top = &S;
  if (Top)
    OS << "  top "
       << (Top->Kind == "lock" || Top->Kind == "gil" ? "contended"
                                                     : "wait site")
       << ": " << printable(Top->location()) << ": " << Top->kindLabel()
       << " waits " << formatDuration(Top->WaitNs) << " over " << Top->Count
       << " (" << formatPercent(Top->ShareOfWait) << " of all site waits)\n";

  if (std::string Py = pythonLine(A.M); !Py.empty())
    OS << "  python: " << printable(Py) << "\n";

  OS << "  perf events: ";
  if (A.M.EventsAvailable.empty())
    OS << "none available";
  for (size_t I = 0; I < A.M.EventsAvailable.size(); ++I)
    OS << (I ? ", " : "") << printable(A.M.EventsAvailable[I].Name)
       << (A.M.EventsAvailable[I].Scaled ? " (scaled)" : "");
  if (!A.M.EventsUnavailable.empty()) {
    OS << "; fell back: ";
    for (size_t I = 0; I < A.M.EventsUnavailable.size(); ++I)
      OS << (I ? ", " : "") << printable(A.M.EventsUnavailable[I].Name);
    if (!A.M.EventsUnavailable.front().Reason.empty())
      OS << " (" << printable(A.M.EventsUnavailable.front().Reason) << ")";
  }
  for (const ProfileEvent &E : A.M.EventsAvailable)
    if (E.Scaled) { // multiplexed: the kernel counted it part of the time
      OS << "; (scaled) = multiplexed, extrapolated by time enabled/running";
      break;
    }
  OS << "\n";
  for (const std::string &N : R.Notes)
    OS << "  note: " << N << "\n";
}
