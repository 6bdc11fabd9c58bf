//===- TraceReport.cpp - Chrome / Perfetto trace-event JSON ---------------===//
//
// The JSON Object Format of the Trace Event spec: "M" events name processes
// and threads, "X" (complete) events carry each state with ts/dur in
// microseconds from the start of the run (never overlapping on one thread:
// Perfetto drops slices that do not nest), and a "C" counter shows effective
// parallelism. ui.perfetto.dev and chrome://tracing open it as is.
//
//===----------------------------------------------------------------------===//
#include "analyze/Format.h"
#include "analyze/Renderers.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cstdint>

using namespace llvm;
using namespace threadwise::runtime;

std::vector<CpuSpan> threadwise::runtime::cpuSpans(const ProfileThread &T) {
  struct Pt {
    int64_t T;
    double Cpu, Delay;
  };
  std::vector<Pt> Pts{{T.Start, 0, 0}};
  for (const ProfileSample &S : T.Samples)
    if (S.T > Pts.back().T && S.T < T.End)
      Pts.push_back({S.T, std::max<double>(Pts.back().Cpu, S.CpuNs),
                     std::max<double>(Pts.back().Delay, S.RunDelayNs)});
  if (T.End > Pts.back().T)
    Pts.push_back({T.End, std::max<double>(Pts.back().Cpu, T.cpuNs()),
                   std::max<double>(Pts.back().Delay, T.RunDelayNs)});
  std::vector<CpuSpan> Spans;
  for (size_t I = 1; I < Pts.size(); ++I) {
    double Len = double(Pts[I].T - Pts[I - 1].T);
    CpuSpan S;
    S.Start = Pts[I - 1].T;
    S.End = Pts[I].T;
    S.Running = std::clamp((Pts[I].Cpu - Pts[I - 1].Cpu) / Len, 0.0, 1.0);
    S.Runnable = std::clamp((Pts[I].Delay - Pts[I - 1].Delay) / Len, 0.0,
                            1.0 - S.Running);
    Spans.push_back(S);
  }
  return Spans;
}

static std::string intervalName(const ProfileInterval &I) {
  if (I.Kind == "gil")
    return "GIL wait";
  if (I.Kind == "io")
    return "I/O";
  if (I.Kind == "lock")
    return "lock wait";
  if (I.Kind == "wait")
    return "cond wait";
  return I.Kind;
}

void threadwise::runtime::renderTrace(const AnalyzedProfile &A,
                                      raw_ostream &OS) {
  const Profile &P = A.P;
  // Streamed event by event: a lock-heavy run has millions of waits, and a
  // json::Value tree of them would take gigabytes.
  json::OStream J(OS);
  J.objectBegin();
  J.attributeBegin("traceEvents");
  J.arrayBegin();
  auto Emit = [&](json::Value V) { J.value(V); };
  auto Us = [&](int64_t Ns) { return double(Ns - P.Start) / 1000.0; };
  auto Complete = [&](int64_t Pid, int64_t Tid, std::string Name,
                      std::string Cat, int64_t S, int64_t E,
                      json::Object Args) {
    Emit(json::Object{{"ph", "X"},
                      {"name", std::move(Name)},
                      {"cat", std::move(Cat)},
                      {"pid", Pid},
                      {"tid", Tid},
                      {"ts", Us(S)},
                      {"dur", double(E - S) / 1000.0},
                      {"args", std::move(Args)}});
  };
  for (const ProfileProcess &Proc : P.Processes) {
    std::string Name = sys::path::filename(Proc.Exe).str();
    for (size_t I = 1; I < Proc.Argv.size() && I < 4; ++I)
      Name += " " + Proc.Argv[I];
    Emit(json::Object{{"ph", "M"},
                      {"name", "process_name"},
                      {"pid", Proc.Pid},
                      {"tid", Proc.Pid},
                      {"args", json::Object{{"name", Name}}}});
    for (const ProfileThread &T : Proc.Threads) {
      Emit(json::Object{
          {"ph", "M"},
          {"name", "thread_name"},
          {"pid", Proc.Pid},
          {"tid", T.Tid},
          {"args", json::Object{{"name", T.Name.empty() ? std::to_string(T.Tid)
                                                        : T.Name}}}});
      // A thread track must hold properly nested slices, so its states are
      // laid end to end: the recorded waits first (sorted, overlaps clipped),
      // then running / runnable stretches from the samples in the gaps.
      std::vector<ProfileInterval> Waits = T.Intervals;
      std::sort(Waits.begin(), Waits.end(),
                [](const ProfileInterval &L, const ProfileInterval &R) {
                  return L.Start < R.Start;
                });
      int64_t Cursor = INT64_MIN;
      std::vector<ProfileInterval> Laid;
      for (ProfileInterval I : Waits) {
        I.Start = std::max(I.Start, Cursor);
        if (I.End <= I.Start)
          continue;
        Cursor = I.End;
        Laid.push_back(I);
      }
      for (const ProfileInterval &I : Laid) {
        json::Object Args;
        if (const ProfileSite *S = P.site(I.Site)) {
          Args["function"] = S->Function;
          if (!S->File.empty())
            Args["file"] = S->File + ":" + std::to_string(S->Line);
        }
        Complete(Proc.Pid, T.Tid, intervalName(I), I.Kind, I.Start, I.End,
                 std::move(Args));
      }
      // Emits [S, E) minus the waits; Next is the first wait that may cut it.
      size_t Next = 0;
      auto EmitGaps = [&](const std::string &Name, int64_t S, int64_t E) {
        while (Next < Laid.size() && Laid[Next].End <= S)
          ++Next;
        for (size_t I = Next; I < Laid.size() && S < E; ++I) {
          if (Laid[I].Start >= E)
            break;
          if (Laid[I].Start - S >= 1000) // sub-microsecond pieces say nothing
            Complete(Proc.Pid, T.Tid, Name, "cpu", S, Laid[I].Start,
                     json::Object{});
          S = std::max(S, Laid[I].End);
        }
        if (S < E)
          Complete(Proc.Pid, T.Tid, Name, "cpu", S, E, json::Object{});
      };
      std::string Cur;
      int64_t CurStart = 0, CurEnd = 0;
      auto Flush = [&]() {
        if (!Cur.empty() && CurEnd > CurStart)
          EmitGaps(Cur, CurStart, CurEnd);
        Cur.clear();
      };
      for (const CpuSpan &S : cpuSpans(T)) {
        std::string State = S.Running >= 0.5    ? "running"
                            : S.Runnable >= 0.3 ? "runnable"
                            : S.Running >= 0.1  ? "partly running"
                                                : "";
        // The exact shares as a per-thread counter track.
        Emit(json::Object{{"ph", "C"},
                          {"name", "CPU of " + std::to_string(T.Tid)},
                          {"pid", Proc.Pid},
                          {"ts", Us(S.Start)},
                          {"args", json::Object{{"running", S.Running},
                                                {"runnable", S.Runnable}}}});
        if (State != Cur || S.Start != CurEnd) {
          Flush();
          Cur = State;
          CurStart = S.Start;
        }
        CurEnd = S.End;
      }
      Flush();
    }
  }
  int64_t CounterPid = P.Processes.empty() ? 0 : P.Processes.front().Pid;
  for (const ParallelismWindow &W : A.M.Windows)
    Emit(json::Object{{"ph", "C"},
                      {"name", "effective parallelism"},
                      {"pid", CounterPid},
                      {"ts", double(W.Start) / 1000.0},
                      {"args", json::Object{{"parallelism", W.Parallelism}}}});
  J.arrayEnd();
  J.attributeEnd();
  J.attribute("displayTimeUnit", "ms");
  J.attribute("otherData", json::Object{{"generator", "threadwise"},
                                        {"verdict", verdictName(A.R.V)},
                                        {"confidence", A.R.Confidence}});
  J.objectEnd();
  OS << "\n";
}
