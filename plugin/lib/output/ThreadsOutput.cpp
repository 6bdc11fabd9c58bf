//===- ThreadsOutput.cpp - The thread inventory as a table and as JSON ----===//
#include "ValidUTF8.h"
#include "threadwise/Threads.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <cmath>

namespace threadwise {

InstanceCount InstanceCount::times(const InstanceCount &A, const InstanceCount &B) {
  if (A.K == One)
    return B;
  if (B.K == One)
    return A;
  if (A.K == Unbounded || B.K == Unbounded)
    return {Unbounded, 1};
  if (A.K == Unknown || B.K == Unknown)
    return {Unknown, 1};
  if (A.K == Constant && B.K == Constant)
    return constant(A.N * B.N);
  if (A.K == Cores && B.K == Cores)
    return {Unknown, 1}; // cores x cores: no fixed multiple to compare.
  return {Cores, A.N * B.N};
}

InstanceCount InstanceCount::max(const InstanceCount &A, const InstanceCount &B) {
  auto Rank = [](Kind K) {
    switch (K) {
    case One: return 0;
    case Constant: return 1;
    case Cores: return 2;
    case Unknown: return 3;
    case Unbounded: return 4;
    }
    return 0;
  };
  if (A.K == B.K)
    return {A.K, std::max(A.N, B.N)};
  return Rank(A.K) > Rank(B.K) ? A : B;
}

static std::string number(double N) {
  if (N == std::floor(N))
    return std::to_string(static_cast<long long>(N));
  llvm::SmallString<16> S;
  llvm::raw_svector_ostream(S) << llvm::format("%.2g", N);
  return std::string(S);
}

std::string InstanceCount::str() const {
  switch (K) {
  case One:
    return "1";
  case Constant:
    return number(N);
  case Cores:
    return N == 1 ? "1 per core" : number(N) + " per core";
  case Unbounded:
    return "one per item";
  case Unknown:
    return "unknown";
  }
  return "unknown";
}

const char *InstanceCount::kindName() const {
  switch (K) {
  case One: return "one";
  case Constant: return "constant";
  case Cores: return "cores";
  case Unbounded: return "unbounded";
  case Unknown: return "unknown";
  }
  return "unknown";
}

const char *threadClassName(ThreadClass C) {
  switch (C) {
  case ThreadClass::CpuBound: return "cpu-bound";
  case ThreadClass::IoBound: return "io-bound";
  case ThreadClass::Mixed: return "mixed";
  case ThreadClass::Unknown: return "unknown";
  }
  return "unknown";
}

namespace {

/// file:line:col, relative to the current directory when under it.
std::string site(const SourcePos &P) {
  if (!P.valid())
    return "-";
  llvm::StringRef File = P.File;
  llvm::SmallString<256> Cwd;
  if (!llvm::sys::fs::current_path(Cwd)) {
    Cwd += "/";
    File.consume_front(Cwd);
  }
  return (File + ":" + llvm::Twine(P.Line) + ":" + llvm::Twine(P.Column)).str();
}

std::string instances(const ThreadEntryInfo &T) {
  return T.Instances.str() + (T.Repeated ? " (repeated, one at a time)" : "");
}

/// The first CPU and the first blocking evidence, and how many more there are.
std::string evidence(const ThreadEntryInfo &T) {
  std::string Out;
  size_t Shown = 0;
  for (ThreadEvidence::Kind K : {ThreadEvidence::Cpu, ThreadEvidence::Blocking})
    for (const ThreadEvidence &E : T.Evidence)
      if (E.K == K) {
        Out += (Out.empty() ? "" : "; ") + E.What + " at " + site(E.Pos);
        ++Shown;
        break;
      }
  if (T.Evidence.size() > Shown)
    Out += " (+" + std::to_string(T.Evidence.size() - Shown) + " more)";
  return Out.empty() ? "-" : Out;
}

} // namespace

void writeThreadsText(llvm::raw_ostream &OS, const std::vector<ThreadEntryInfo> &Threads) {
  std::vector<std::vector<std::string>> Rows;
  Rows.push_back({"ID", "ENTRY", "SPAWN SITE", "API", "INSTANCES", "CLASS", "EVIDENCE"});
  for (const ThreadEntryInfo &T : Threads)
    Rows.push_back({T.Id, T.Entry, site(T.SpawnPos), T.Api, instances(T),
                    threadClassName(T.Class), evidence(T)});
  std::vector<size_t> Width(Rows.front().size(), 0);
  for (const auto &R : Rows)
    for (size_t I = 0; I < R.size(); ++I)
      Width[I] = std::max(Width[I], R[I].size());
  for (const auto &R : Rows) {
    for (size_t I = 0; I < R.size(); ++I) {
      OS << R[I];
      if (I + 1 < R.size())
        OS.indent(Width[I] - R[I].size() + 2);
    }
    OS << "\n";
  }
  OS << Threads.size() << (Threads.size() == 1 ? " thread entry\n" : " thread entries\n");
}

void writeThreadsJSON(llvm::raw_ostream &OS, const std::vector<ThreadEntryInfo> &Threads,
                      llvm::StringRef ToolVersion) {
  auto Position = [](llvm::json::OStream &J, const SourcePos &P) {
    J.attribute("file", validUTF8(P.File));
    J.attribute("line", P.Line);
    J.attribute("column", P.Column);
  };
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("version", 1);
    J.attributeObject("tool", [&] {
      J.attribute("name", "threadwise");
      J.attribute("version", ToolVersion);
    });
    J.attributeArray("threads", [&] {
      for (const ThreadEntryInfo &T : Threads)
        J.object([&] {
          J.attribute("id", T.Id);
          J.attribute("entry", validUTF8(T.Entry));
          J.attributeObject("entryLocation", [&] { Position(J, T.EntryPos); });
          J.attribute("spawnedBy", validUTF8(T.SpawnedBy));
          J.attributeObject("spawnLocation", [&] { Position(J, T.SpawnPos); });
          J.attribute("api", validUTF8(T.Api));
          J.attributeObject("instances", [&] {
            J.attribute("kind", T.Instances.kindName());
            if (T.Instances.K == InstanceCount::Constant || T.Instances.K == InstanceCount::Cores)
              J.attribute("count", T.Instances.N);
            J.attribute("repeated", T.Repeated);
            J.attribute("text", T.Instances.str());
          });
          J.attribute("class", threadClassName(T.Class));
          J.attributeArray("evidence", [&] {
            for (const ThreadEvidence &E : T.Evidence)
              J.object([&] {
                J.attribute("kind", E.K == ThreadEvidence::Cpu ? "cpu" : "blocking");
                J.attribute("what", validUTF8(E.What));
                J.attribute("function", validUTF8(E.Function));
                Position(J, E.Pos);
              });
          });
        });
    });
  });
  OS << "\n";
}

} // namespace threadwise
