//===- JsonReport.cpp - The "threadwise-report" version 1 document --------===//
//
// Field names and meanings are documented in docs/runtime.md "JSON schema".
// Adding fields keeps version 1; renaming or removing one bumps it.
//
//===----------------------------------------------------------------------===//
#include "analyze/Renderers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include <cmath>

using namespace llvm;
using namespace threadwise::runtime;

/// Three decimals are plenty for shares and speed-ups, and keep diffs calm.
static json::Value round3(double V) {
  if (!std::isfinite(V))
    return 0.0;
  return std::round(V * 1000) / 1000;
}

static json::Array roundedArray(const std::vector<double> &V) {
  json::Array A;
  for (double X : V)
    A.push_back(round3(X));
  return A;
}

static json::Array strings(const std::vector<std::string> &V) {
  json::Array A;
  for (const std::string &S : V)
    A.push_back(S);
  return A;
}

static json::Object window(const ParallelismWindow &W) {
  return json::Object{{"start_ns", W.Start},
                      {"end_ns", W.End},
                      {"parallelism", round3(W.Parallelism)},
                      {"active_threads", int64_t(W.ActiveThreads)}};
}

static json::Object recommendation(const Recommendation &R) {
  const SpeedupPrediction &S = R.Speedup;
  json::Array Workers, Serial;
  for (unsigned N : S.Workers) {
    Workers.push_back(int64_t(N));
    Serial.push_back(1.0);
  }
  json::Object Model{{"threads", S.ThreadsModel},
                     {"serial_fraction", round3(S.SerialFraction)},
                     {"spawn_cost_ns", int64_t(S.SpawnCostNs)},
                     {"spawn_cost_measured", S.SpawnCostMeasured}};
  if (S.Usl)
    Model["usl"] = json::Object{{"sigma", round3(S.Usl->Sigma)},
                                {"kappa", round3(S.Usl->Kappa)}};
  else
    Model["usl"] = nullptr;
  json::Object Predicted;
  Predicted["workers"] = std::move(Workers);
  Predicted["threads"] = roundedArray(S.Threads);
  Predicted["processes"] = roundedArray(S.Processes);
  Predicted["fix-contention"] = roundedArray(S.FixContention);
  Predicted["serial"] = std::move(Serial);
  Predicted["model"] = std::move(Model);
  json::Object Rec;
  Rec["verdict"] = verdictName(R.V);
  Rec["confidence"] = round3(R.Confidence);
  Rec["rule"] = R.Rule;
  Rec["evidence"] = strings(R.Evidence);
  Rec["notes"] = strings(R.Notes);
  Rec["predicted_speedup"] = std::move(Predicted);
  return Rec;
}

static json::Object metrics(const Metrics &M) {
  json::Array Processes, Windows, Phases;
  for (const ProcessMetrics &P : M.ProcessList)
    Processes.push_back(json::Object{{"pid", P.Pid},
                                     {"ppid", P.Ppid},
                                     {"exe", P.Exe},
                                     {"wall_ns", P.WallNs},
                                     {"cpu_ns", P.CpuNs},
                                     {"parallelism", round3(P.Parallelism)},
                                     {"threads", int64_t(P.Threads)},
                                     {"spawn_ns", P.SpawnNs},
                                     {"python", P.Python},
                                     {"python_version", P.PythonVersion},
                                     {"free_threaded", P.FreeThreaded}});
  for (const ParallelismWindow &W : M.Windows)
    Windows.push_back(window(W));
  for (const ParallelismWindow &W : M.Phases)
    Phases.push_back(window(W));
  const TimeShares &S = M.Shares;
  return json::Object{
      {"wall_ns", M.WallNs},
      {"cpu_ns", M.CpuNs},
      {"cores", int64_t(M.Cores)},
      {"parallelism", round3(M.Parallelism)},
      {"demand_parallelism", round3(M.DemandParallelism)},
      {"threads", int64_t(M.Threads)},
      {"worker_threads", int64_t(M.WorkerThreads)},
      {"processes", int64_t(M.Processes)},
      {"worker_processes", int64_t(M.WorkerProcesses)},
      {"top_thread_busy_share", round3(M.TopThreadBusyShare)},
      {"serialized_share", round3(M.SerializedShare)},
      {"lock_serialized_ns", M.LockSerializedNs},
      {"one_thread_phase_cpu_ns", M.OneThreadPhaseCpuNs},
      {"mean_spawn_ns", int64_t(M.MeanSpawnNs)},
      {"root_spawn_ns", M.RootSpawnNs},
      {"ipc_wait_ns", M.IpcWaitNs},
      {"shares", json::Object{{"cpu", round3(S.Cpu)},
                              {"lock", round3(S.Lock)},
                              {"io", round3(S.Io)},
                              {"sleep", round3(S.Sleep)},
                              {"gil", round3(S.Gil)},
                              {"runnable", round3(S.Runnable)}}},
      {"python", json::Object{{"present", M.Python},
                              {"gil", M.GilPython},
                              {"free_threaded", M.FreeThreadedPython},
                              {"gil_measured", M.GilMeasured}}},
      {"mode", M.Mode},
      {"intervals_available", M.IntervalsAvailable},
      {"per_process", std::move(Processes)},
      {"windows", std::move(Windows)},
      {"phases", std::move(Phases)}};
}

static json::Array events(const std::vector<ProfileEvent> &Events) {
  json::Array A;
  for (const ProfileEvent &E : Events) {
    json::Object O{{"name", E.Name}};
    if (E.Reason.empty()) {
      O["value"] = E.Value;
      O["scaled"] = E.Scaled;
    } else {
      O["reason"] = E.Reason;
    }
    A.push_back(std::move(O));
  }
  return A;
}

static json::Array pythonFunctions(const std::vector<PythonFunctionMetrics> &Fs) {
  json::Array Out;
  for (const PythonFunctionMetrics &F : Fs)
    Out.push_back(json::Object{{"function", F.Function},
                               {"file", F.File},
                               {"gil_wait_ns", F.GilNs},
                               {"gil_share", round3(F.GilShare)},
                               {"gil_line", F.GilLine},
                               {"cpu_ns", F.CpuNs},
                               {"cpu_share", round3(F.CpuShare)},
                               {"cpu_line", F.CpuLine}});
  return Out;
}

json::Value threadwise::runtime::renderJsonReport(const AnalyzedProfile &A) {
  const Metrics &M = A.M;
  json::Array Threads, Sites;
  for (const ThreadMetrics &T : M.ThreadList)
    Threads.push_back(json::Object{{"pid", T.Pid},
                                   {"tid", T.Tid},
                                   {"name", T.Name},
                                   {"worker", T.Worker},
                                   {"lifetime_ns", T.LifetimeNs},
                                   {"cpu_ns", T.CpuNs},
                                   {"lock_ns", T.LockNs},
                                   {"io_ns", T.IoNs},
                                   {"ipc_ns", T.IpcNs},
                                   {"sleep_ns", T.SleepNs},
                                   {"wait_ns", T.WaitNs},
                                   {"gil_ns", T.GilNs},
                                   {"run_delay_ns", T.RunDelayNs},
                                   {"gil_waits", T.GilWaits},
                                   {"gil_drops", T.GilDrops},
                                   {"python_functions", pythonFunctions(T.PythonFunctions)}});
  for (const SiteMetrics &S : M.Sites)
    Sites.push_back(json::Object{{"id", S.Id},
                                 {"kind", S.Kind},
                                 {"function", S.Function},
                                 {"file", S.File},
                                 {"line", S.Line},
                                 {"module", S.Module},
                                 {"object", S.Object},
                                 {"wait_ns", S.WaitNs},
                                 {"count", S.Count},
                                 {"api", S.Api},
                                 {"share", round3(S.ShareOfWait)}});
  json::Object Report{
      {"format", "threadwise-report"},
      {"version", 1},
      {"recommendation", recommendation(A.R)},
      {"metrics", metrics(M)},
      {"threads", std::move(Threads)},
      {"sites", std::move(Sites)},
      {"python_functions", pythonFunctions(M.PythonFunctions)},
      {"events", json::Object{{"available", events(M.EventsAvailable)},
                              {"unavailable", events(M.EventsUnavailable)}}}};
  if (A.Raw)
    Report["profile"] = json::Object(*A.Raw);
  return Report;
}

/// Like J.value(V), with keys sorted and doubles in 15 significant digits:
/// json::OStream prints 17, which turns 0.9 into 0.90000000000000002.
static void writeValue(json::OStream &J, const json::Value &V) {
  if (const json::Object *O = V.getAsObject()) {
    std::vector<StringRef> Keys;
    for (const auto &KV : *O)
      Keys.push_back(KV.first);
    llvm::sort(Keys);
    J.objectBegin();
    for (StringRef K : Keys) {
      J.attributeBegin(K);
      writeValue(J, *O->get(K));
      J.attributeEnd();
    }
    J.objectEnd();
  } else if (const json::Array *A = V.getAsArray()) {
    J.arrayBegin();
    for (const json::Value &E : *A)
      writeValue(J, E);
    J.arrayEnd();
  } else if (V.kind() == json::Value::Number && !V.getAsInteger()) {
    double D = *V.getAsNumber();
    J.rawValue([&](raw_ostream &OS) { OS << format("%.15g", D); });
  } else {
    J.value(V);
  }
}

void threadwise::runtime::writeJsonReport(const AnalyzedProfile &A,
                                          raw_ostream &OS) {
  AnalyzedProfile WithoutProfile = A;
  WithoutProfile.Raw = nullptr;
  json::Value Report = renderJsonReport(WithoutProfile);
  json::Object &O = *Report.getAsObject();
  // The analysis indented for people, in a fixed order; the embedded profile
  // on one line, since it can be megabytes of intervals.
  json::OStream J(OS, /*IndentSize=*/2);
  J.objectBegin();
  for (StringRef Key : {"format", "version", "recommendation", "metrics",
                        "threads", "sites", "python_functions", "events"})
    if (json::Value *V = O.get(Key)) {
      J.attributeBegin(Key);
      writeValue(J, *V);
      J.attributeEnd();
    }
  if (A.Raw) {
    J.attributeBegin("profile");
    J.rawValue(
        [&](raw_ostream &Out) { Out << json::Value(json::Object(*A.Raw)); });
    J.attributeEnd();
  }
  J.objectEnd();
  OS << "\n";
}
