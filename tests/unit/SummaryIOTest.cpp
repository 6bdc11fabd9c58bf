//===- SummaryIOTest.cpp - TU summaries survive a round trip to bytes -----===//
#include "threadwise/SummaryIO.h"
#include "analysis/Summary.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace threadwise;

namespace {

const RuleSet &bundled() {
  static RuleSet R = [] {
    RuleSet S;
    llvm::cantFail(S.loadDirectory(THREADWISE_SOURCE_RULES_DIR));
    return S;
  }();
  return R;
}

SourcePos pos(const char *File, unsigned Line, unsigned Col, unsigned Off = 0) {
  SourcePos P;
  P.File = File;
  P.Line = Line;
  P.Column = Col;
  P.Offset = Off;
  return P;
}

/// Every field set to something other than its default.
TUSummary everyField() {
  TUSummary S;
  S.MainFile = "/src/a.cpp";
  S.Files = {"/src/a.cpp", "/src/a.h"};
  S.Errors = {"oops"};
  FunctionSummary &F = S.Functions["c:@F@work#"];
  F.Key = "c:@F@work#";
  F.Name = "ns::work";
  F.Pos = pos("/src/a.cpp", 10, 3, 140);
  F.IsMain = true;
  AccessEvent A;
  A.Path = "G:counter";
  A.Name = "counter";
  A.IsWrite = A.IsAtomic = true;
  A.Locks = {{"G:m", false}, {"G:rw", true}};
  A.LiveSpawns = {1, 7};
  A.Omp.Phase = 2;
  A.Omp.OnceId = 3;
  A.Omp.Index.K = IndexTag::ThreadId;
  A.Omp.Index.Var = "tid";
  A.Omp.Index.Offset = -4;
  A.Pos = pos("/src/a.h", 4, 9, 77);
  A.Order = 5;
  A.VarKey = "c:@counter";
  F.Accesses = {A, A};
  CallEvent C;
  C.Callee = "c:@F@helper#";
  C.Args = {"P0:", "", "G:x"};
  C.This = "T:";
  C.ArgDistinct = {true, false, true};
  C.InLoop = C.EffectsApplied = true;
  C.Repeat = {InstanceCount::Cores, 0.5};
  C.Omp = A.Omp;
  C.Locks = A.Locks;
  C.LiveSpawns = {2};
  C.Pos = pos("/src/a.cpp", 11, 1);
  C.Order = 6;
  F.Calls = {C};
  SpawnEvent Sp;
  Sp.Id = 9;
  Sp.Entry = "P1:";
  Sp.EntryName = "worker";
  Sp.Args = {"H:/src/a.cpp:3:4"};
  Sp.This = "T:.S::f";
  Sp.ArgDistinct = {true};
  Sp.Multi = Sp.Escapes = Sp.Synchronous = true;
  Sp.Api = "pthread_create";
  Sp.Repeat = InstanceCount::constant(64);
  Sp.LiveSpawns = {3, 4};
  Sp.Locks = {{"G:m", false}};
  Sp.Pos = pos("/src/a.cpp", 12, 2);
  Sp.Order = 7;
  F.Spawns = {Sp};
  F.RequiredLocks = {{"T:.S::mu", true}};
  F.AcquiredOnExit = {{"P0:", false}};
  F.ReleasedOnExit = {"P1:"};
  F.JoinsParams = {0, 2};
  CpuRegion R;
  R.K = CpuRegion::HeavyCall;
  R.What = "sha256";
  R.Reason = "cpu-heavy API";
  R.Locks = A.Locks;
  R.Pos = pos("/src/a.cpp", 20, 5);
  R.Order = 8;
  R.TouchesPython = true;
  F.CpuRegions = {R};
  F.Blocking = {{"read", pos("/src/a.cpp", 21, 5), 9}};
  F.PythonEntry = true;
  F.GilReleased = {{3, 8, pos("/src/a.cpp", 22, 1)}};
  F.PythonApiCalls = {{"PyList_New", pos("/src/a.cpp", 23, 1), 10}};
  VariableInfo &V = S.Variables["c:@counter"];
  V.Name = "counter";
  V.Pos = pos("/src/a.h", 1, 5, 4);
  V.GuardedBy = "G:m";
  V.ScalarFixable = V.Benign = true;
  V.AtomicFix = {"/src/a.h", 4, 3, "std::atomic<int>", pos("/src/a.h", 1, 1, 4)};
  return S;
}

TUSummaryPtr roundTrip(const TUSummary &S) {
  llvm::Expected<TUSummaryPtr> R = readSummary(serializeSummary(S));
  if (!R) {
    ADD_FAILURE() << llvm::toString(R.takeError());
    return nullptr;
  }
  return std::move(*R);
}

std::string readError(llvm::StringRef Bytes) {
  llvm::Expected<TUSummaryPtr> R = readSummary(Bytes);
  if (R)
    return "";
  return llvm::toString(R.takeError());
}

TEST(SummaryIOTest, EveryFieldRoundTrips) {
  TUSummary S = everyField();
  std::string Bytes = serializeSummary(S);
  TUSummaryPtr Back = roundTrip(S);
  ASSERT_TRUE(Back);
  // Writing what was read gives the same bytes: nothing was lost or added.
  EXPECT_EQ(serializeSummary(*Back), Bytes);
  EXPECT_EQ(Back->Files, S.Files);
  const FunctionSummary &F = Back->Functions.at("c:@F@work#");
  ASSERT_EQ(F.Accesses.size(), 2u);
  EXPECT_EQ(F.Accesses[1].Omp.Index.Offset, -4);
  EXPECT_EQ(F.Accesses[1].Omp.Index.K, IndexTag::ThreadId);
  EXPECT_EQ(F.Accesses[0].Locks, S.Functions.begin()->second.Accesses[0].Locks);
  EXPECT_EQ(F.Calls[0].ArgDistinct, (std::vector<bool>{true, false, true}));
  EXPECT_TRUE(F.Spawns[0].Synchronous);
  EXPECT_EQ(F.Spawns[0].Api, "pthread_create");
  EXPECT_EQ(F.Spawns[0].Repeat.K, InstanceCount::Constant);
  EXPECT_EQ(F.Spawns[0].Repeat.N, 64);
  EXPECT_EQ(F.Calls[0].Repeat.K, InstanceCount::Cores);
  EXPECT_EQ(F.Calls[0].Repeat.N, 0.5);
  EXPECT_EQ(F.CpuRegions[0].K, CpuRegion::HeavyCall);
  EXPECT_EQ(F.GilReleased[0].End, 8u);
  EXPECT_EQ(F.PythonApiCalls[0].Api, "PyList_New");
  const VariableInfo &V = Back->Variables.at("c:@counter");
  EXPECT_EQ(V.AtomicFix.Replacement, "std::atomic<int>");
  EXPECT_EQ(V.AtomicFix.Pos.Offset, 4u);
  EXPECT_TRUE(V.Benign);
}

TEST(SummaryIOTest, RepeatedStringsAreStoredOnce) {
  TUSummary S = everyField();
  std::string One = serializeSummary(S);
  FunctionSummary &F = S.Functions.begin()->second;
  for (int I = 0; I < 100; ++I)
    F.Accesses.push_back(F.Accesses.front());
  // 100 more accesses with the same paths and file names: a few bytes each.
  EXPECT_LT(serializeSummary(S).size() - One.size(), 100u * 40);
}

TEST(SummaryIOTest, BadInputIsAnErrorNotACrash) {
  std::string Bytes = serializeSummary(everyField());
  EXPECT_NE(readError(""), "");
  EXPECT_NE(readError("hello world, not a summary"), "");
  for (size_t Len = 0; Len < Bytes.size(); ++Len)
    EXPECT_NE(readError(llvm::StringRef(Bytes).take_front(Len)), "") << "truncated at " << Len;
  for (size_t I = 0; I < Bytes.size(); ++I) {
    std::string Flipped = Bytes;
    Flipped[I] ^= 0x5a;
    EXPECT_NE(readError(Flipped), "") << "byte " << I << " flipped";
  }
  std::string OtherVersion = Bytes;
  OtherVersion[6] = char(SummaryFormatVersion + 1); // The byte after the magic.
  EXPECT_NE(readError(OtherVersion).find("format version"), std::string::npos);
}

/// A real TU: the round-tripped summary links to the same findings.
TEST(SummaryIOTest, RealSummaryGivesTheSameFindings) {
  const char *Code = R"(
    typedef unsigned long pthread_t;
    int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);
    int pthread_join(pthread_t, void **);
    int hits;
    static void *worker(void *arg) { hits++; return 0; }
    int main(void) {
      pthread_t t[2];
      for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, worker, 0);
      for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
      return hits;
    }
  )";
  std::unique_ptr<clang::ASTUnit> AST =
      clang::tooling::buildASTFromCodeWithArgs(Code, {"-x", "c", "-w"}, "race.c");
  ASSERT_TRUE(AST);
  TUSummaryPtr S = summarizeTranslationUnit(AST->getASTContext(), bundled());
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Files.front(), S->MainFile);
  TUSummaryPtr Back = roundTrip(*S);
  ASSERT_TRUE(Back);
  const TUSummary *Orig[] = {S.get()}, *Read[] = {Back.get()};
  std::vector<Finding> A = analyzeProgram(Orig, bundled(), CheckFilter());
  std::vector<Finding> B = analyzeProgram(Read, bundled(), CheckFilter());
  ASSERT_EQ(A.size(), 1u);
  ASSERT_EQ(B.size(), A.size());
  EXPECT_EQ(B[0].Check, A[0].Check);
  EXPECT_EQ(B[0].Fingerprint, A[0].Fingerprint);
  EXPECT_EQ(B[0].Message, A[0].Message);
  EXPECT_EQ(B[0].Pos, A[0].Pos);
  EXPECT_EQ(B[0].Notes.size(), A[0].Notes.size());
}

} // namespace
