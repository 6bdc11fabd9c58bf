//===- RulesTest.cpp - Rule pack loading, lookups and errors --------------===//
#include "threadwise/Rules.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Driver/Driver.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <cstdlib>
#include <dlfcn.h>
#include <map>

using namespace threadwise;

namespace {

const char *const BundledPacks[] = {"posix", "c11", "cxx-std", "openmp",
                                    "boost", "qt",  "zlib",    "openssl"};

std::string packPath(llvm::StringRef Pack) {
  return (llvm::Twine(THREADWISE_SOURCE_RULES_DIR) + "/" + Pack + ".yaml").str();
}

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

/// The bundled packs, loaded once for the lookup tests.
const RuleSet &bundled() {
  static RuleSet *Rules = [] {
    auto *R = new RuleSet;
    if (llvm::Error E = R->loadDirectory(THREADWISE_SOURCE_RULES_DIR))
      ADD_FAILURE() << llvm::toString(std::move(E));
    return R;
  }();
  return *Rules;
}

TEST(RulesTest, EveryBundledPackLoadsAlone) {
  for (const char *Pack : BundledPacks) {
    RuleSet Rules;
    llvm::Error E = Rules.loadFile(packPath(Pack));
    ASSERT_FALSE(E) << Pack << ": " << errorText(std::move(E));
    ASSERT_EQ(Rules.packs().size(), 1u);
    EXPECT_EQ(Rules.packs()[0], Pack) << "the 'name' key should match the file";
  }
}

TEST(RulesTest, DirectoryLoadsInNameOrder) {
  const std::vector<std::string> &Packs = bundled().packs();
  ASSERT_GE(Packs.size(), std::size(BundledPacks));
  EXPECT_TRUE(std::is_sorted(Packs.begin(), Packs.end())) << "boost, c11, cxx-std, ...";
}

TEST(RulesTest, PthreadCreate) {
  const ThreadRule *R = bundled().threadFunction("pthread_create");
  ASSERT_TRUE(R);
  EXPECT_FALSE(R->Constructor);
  EXPECT_EQ(R->HandleArg, 0);
  EXPECT_EQ(R->EntryArg, 2);
  EXPECT_EQ(R->ParamArg, 3);
  EXPECT_EQ(R->FirstForwardedArg, NoArg);
  EXPECT_FALSE(R->JoinsOnDestroy);
  EXPECT_EQ(R->Library, "posix");
  EXPECT_FALSE(bundled().threadConstructor("pthread_create"));
}

TEST(RulesTest, StdThreadAndJthreadConstructors) {
  const ThreadRule *T = bundled().threadConstructor("std::thread");
  ASSERT_TRUE(T);
  EXPECT_TRUE(T->Constructor);
  EXPECT_EQ(T->EntryArg, 0);
  EXPECT_EQ(T->FirstForwardedArg, 1);
  EXPECT_EQ(T->HandleArg, ThisArg);
  EXPECT_FALSE(T->JoinsOnDestroy);
  const ThreadRule *J = bundled().threadConstructor("std::jthread");
  ASSERT_TRUE(J);
  EXPECT_TRUE(J->JoinsOnDestroy);
  EXPECT_EQ(J->Library, "cxx-std");
  EXPECT_FALSE(bundled().threadFunction("std::thread"));
}

TEST(RulesTest, StdAsyncNeedsTheAsyncPolicy) {
  const ThreadRule *R = bundled().threadFunction("std::async");
  ASSERT_TRUE(R);
  EXPECT_EQ(R->PolicyArg, 0);
  EXPECT_EQ(R->RequiredPolicy, "std::launch::async");
  EXPECT_EQ(R->EntryArg, 1);
  EXPECT_EQ(R->FirstForwardedArg, 2);
  EXPECT_TRUE(R->JoinsOnDestroy);
}

TEST(RulesTest, C11Threads) {
  const ThreadRule *R = bundled().threadFunction("thrd_create");
  ASSERT_TRUE(R);
  EXPECT_EQ(R->HandleArg, 0);
  EXPECT_EQ(R->EntryArg, 1);
  EXPECT_EQ(R->ParamArg, 2);
  const LockRule *Try = bundled().lock("mtx_trylock");
  ASSERT_TRUE(Try);
  EXPECT_EQ(Try->Action, LockAction::TryAcquire);
  EXPECT_EQ(Try->Success, TrySuccess::Zero);
  const OnceRule *Once = bundled().once("call_once");
  ASSERT_TRUE(Once);
  EXPECT_EQ(Once->Library, "c11");
}

TEST(RulesTest, Joins) {
  const JoinRule *P = bundled().join("pthread_join");
  ASSERT_TRUE(P);
  EXPECT_EQ(P->HandleArg, 0);
  const JoinRule *T = bundled().join("std::thread::join");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->HandleArg, ThisArg) << "methods default to 'this'";
  EXPECT_TRUE(bundled().join("std::future<int>::get"));
  EXPECT_TRUE(bundled().join("std::__basic_future<void>::wait"));
  EXPECT_TRUE(bundled().join("QThread::wait"));
  EXPECT_FALSE(bundled().join("pthread_detach"));
}

TEST(RulesTest, PosixLocks) {
  const LockRule *L = bundled().lock("pthread_mutex_lock");
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Action, LockAction::Acquire);
  EXPECT_EQ(L->LockArg, 0) << "functions default to argument 0";
  const LockRule *Rd = bundled().lock("pthread_rwlock_rdlock");
  ASSERT_TRUE(Rd);
  EXPECT_EQ(Rd->Action, LockAction::AcquireShared);
  const LockRule *Try = bundled().lock("pthread_mutex_trylock");
  ASSERT_TRUE(Try);
  EXPECT_EQ(Try->Action, LockAction::TryAcquire);
  EXPECT_EQ(Try->Success, TrySuccess::Zero);
  const LockRule *TryRd = bundled().lock("pthread_rwlock_tryrdlock");
  ASSERT_TRUE(TryRd);
  EXPECT_EQ(TryRd->Action, LockAction::TryAcquireShared);
  EXPECT_EQ(bundled().lock("pthread_spin_unlock")->Action, LockAction::Release);
}

TEST(RulesTest, StdMutexMethods) {
  const LockRule *L = bundled().lock("std::mutex::lock");
  ASSERT_TRUE(L);
  EXPECT_EQ(L->LockArg, ThisArg);
  EXPECT_EQ(L->Action, LockAction::Acquire);
  const LockRule *Try = bundled().lock("std::mutex::try_lock");
  ASSERT_TRUE(Try);
  EXPECT_EQ(Try->Success, TrySuccess::True);
  const LockRule *Shared = bundled().lock("std::shared_mutex::lock_shared");
  ASSERT_TRUE(Shared);
  EXPECT_EQ(Shared->Action, LockAction::AcquireShared);
  EXPECT_EQ(bundled().lock("std::shared_timed_mutex::try_lock_shared_for")->Action,
            LockAction::TryAcquireShared);
  const LockRule *All = bundled().lock("std::lock");
  ASSERT_TRUE(All);
  EXPECT_TRUE(All->AllArgs);
  EXPECT_EQ(bundled().lock("omp_test_lock")->Success, TrySuccess::True);
  EXPECT_EQ(bundled().lock("QReadWriteLock::lockForRead")->Action, LockAction::AcquireShared);
}

TEST(RulesTest, Guards) {
  const GuardRule *LG = bundled().guard("std::lock_guard");
  ASSERT_TRUE(LG);
  EXPECT_FALSE(LG->Shared || LG->AllArgs || LG->Relockable);
  EXPECT_TRUE(bundled().guard("std::unique_lock")->Relockable);
  EXPECT_TRUE(bundled().guard("std::scoped_lock")->AllArgs);
  const GuardRule *SL = bundled().guard("std::shared_lock");
  ASSERT_TRUE(SL);
  EXPECT_TRUE(SL->Shared && SL->Relockable);
  EXPECT_TRUE(bundled().guard("QMutexLocker"));
  EXPECT_TRUE(bundled().guard("boost::lock_guard"));
  EXPECT_FALSE(bundled().guard("std::mutex"));
}

TEST(RulesTest, Once) {
  const OnceRule *Std = bundled().once("std::call_once");
  ASSERT_TRUE(Std);
  EXPECT_EQ(Std->FlagArg, 0);
  EXPECT_EQ(Std->CallableArg, 1);
  const OnceRule *P = bundled().once("pthread_once");
  ASSERT_TRUE(P);
  EXPECT_EQ(P->Library, "posix");
}

TEST(RulesTest, BlockingKinds) {
  auto KindOf = [](llvm::StringRef Name) {
    const BlockingRule *R = bundled().blocking(Name);
    EXPECT_TRUE(R) << Name.str();
    return R ? R->Kind : BlockingKind::IO;
  };
  EXPECT_EQ(KindOf("read"), BlockingKind::IO);
  EXPECT_EQ(KindOf("epoll_wait"), BlockingKind::IO);
  EXPECT_EQ(KindOf("recvfrom"), BlockingKind::Network);
  EXPECT_EQ(KindOf("getaddrinfo"), BlockingKind::Network);
  EXPECT_EQ(KindOf("nanosleep"), BlockingKind::Sleep);
  EXPECT_EQ(KindOf("pthread_cond_wait"), BlockingKind::Wait);
  EXPECT_EQ(KindOf("cnd_timedwait"), BlockingKind::Wait);
  EXPECT_EQ(KindOf("std::condition_variable::wait"), BlockingKind::Wait);
  EXPECT_EQ(KindOf("std::this_thread::sleep_for"), BlockingKind::Sleep);
  EXPECT_EQ(KindOf("std::thread::join"), BlockingKind::Wait);
  EXPECT_EQ(KindOf("SSL_read"), BlockingKind::Network);
  EXPECT_FALSE(bundled().blocking("pthread_mutex_unlock"));
  EXPECT_FALSE(bundled().blocking("strlen"));
  EXPECT_FALSE(bundled().blockingRules().empty());
}

TEST(RulesTest, CpuHeavy) {
  for (const char *Name :
       {"qsort", "regexec", "deflate", "EVP_DigestUpdate", "std::sort", "std::stable_sort",
        "std::regex_search", "std::ranges::__sort_fn::operator()"})
    EXPECT_TRUE(bundled().cpuHeavy(Name)) << Name;
  EXPECT_EQ(bundled().cpuHeavy("deflate")->Library, "zlib");
  EXPECT_FALSE(bundled().cpuHeavy("memcpy"));
}

TEST(RulesTest, TypeAndIdSets) {
  EXPECT_TRUE(bundled().isAtomicType("std::atomic"));
  EXPECT_TRUE(bundled().isAtomicType("std::atomic<int>"));
  EXPECT_TRUE(bundled().isAtomicType("std::__atomic_base<long>"));
  EXPECT_TRUE(bundled().isAtomicType("QAtomicInt"));
  EXPECT_FALSE(bundled().isAtomicType("std::mutex"));
  EXPECT_TRUE(bundled().isSyncType("std::mutex"));
  EXPECT_TRUE(bundled().isSyncType("pthread_mutex_t"));
  EXPECT_TRUE(bundled().isSyncType("std::condition_variable"));
  EXPECT_FALSE(bundled().isSyncType("std::vector<int>"));
  EXPECT_TRUE(bundled().isThreadIdFunction("omp_get_thread_num"));
  EXPECT_FALSE(bundled().isThreadIdFunction("omp_get_num_threads"));
}

// What NamedDecl::getQualifiedNameAsString() gives for libstdc++ and libc++.
TEST(RulesTest, LookupsNormaliseClangNames) {
  EXPECT_TRUE(bundled().blocking("std::_V2::condition_variable_any::wait"));
  EXPECT_TRUE(bundled().lock("std::__1::mutex::lock"));
  EXPECT_TRUE(bundled().lock("std::__cxx11::mutex::lock"));
  EXPECT_TRUE(bundled().lock("std::unique_lock<std::mutex>::lock") == nullptr)
      << "guard methods are handled through the guard rule";
  EXPECT_TRUE(bundled().join("std::future<std::vector<std::pair<int, int>>>::get"));
  EXPECT_TRUE(bundled().guard("std::lock_guard<std::mutex>"));
  EXPECT_TRUE(bundled().isAtomicType("std::__1::atomic<bool>"));
  EXPECT_TRUE(bundled().blocking("std::counting_semaphore<4>::acquire"));
}

TEST(RulesTest, NormalizeName) {
  llvm::SmallString<64> Buf;
  auto N = [&](llvm::StringRef S) { return RuleSet::normalizeName(S, Buf).str(); };
  EXPECT_EQ(N("pthread_create"), "pthread_create");
  EXPECT_EQ(N("std::__cxx11::basic_string<char>::find"), "std::basic_string::find");
  EXPECT_EQ(N("std::__1::mutex::lock"), "std::mutex::lock");
  EXPECT_EQ(N("std::__atomic_base<int>::store"), "std::__atomic_base::store");
  EXPECT_EQ(N("std::map<int, std::vector<int>>::at"), "std::map::at");
  EXPECT_EQ(N("std::__atomic_base<int>::operator++"), "std::__atomic_base::operator++");
  EXPECT_EQ(N("std::operator<<"), "std::operator<<");
  EXPECT_EQ(N("std::hash<std::basic_string<char>>::operator()"), "std::hash::operator()");
  EXPECT_EQ(N("std::barrier<(lambda at a.cpp:3:4)>::wait"), "std::barrier::wait");
  EXPECT_EQ(N("(anonymous namespace)::__worker<int>::run"), "(anonymous namespace)::__worker::run");
  EXPECT_EQ(N("ns::__1x::f"), "ns::__1x::f") << "only known inline namespaces are dropped";
}

TEST(RulesTest, MalformedPackGivesLocatedError) {
  RuleSet Rules;
  std::string Msg = errorText(Rules.loadBuffer("name: bad\n"
                                               "locks:\n"
                                               "  - function: my_lock\n"
                                               "    action: grab\n",
                                               "bad.yaml"));
  EXPECT_NE(Msg.find("bad.yaml:4:"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("grab"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("acquire"), std::string::npos) << "lists the accepted values: " << Msg;
  EXPECT_FALSE(Rules.lock("my_lock"));
}

TEST(RulesTest, UnknownKeyIsNamed) {
  RuleSet Rules;
  std::string Msg = errorText(Rules.loadBuffer("threads:\n"
                                               "  - function: spawn\n"
                                               "    entry-argument: 1\n",
                                               "typo.yaml"));
  EXPECT_NE(Msg.find("typo.yaml:3:"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("entry-argument"), std::string::npos) << Msg;
}

TEST(RulesTest, BadArgumentIndex) {
  RuleSet Rules;
  std::string Msg = errorText(Rules.loadBuffer("joins:\n"
                                               "  - function: wait_for_it\n"
                                               "    handle-arg: self\n",
                                               "idx.yaml"));
  EXPECT_NE(Msg.find("idx.yaml:3:"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("self"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("'this'"), std::string::npos) << Msg;
}

TEST(RulesTest, SemanticErrorsAreLocated) {
  struct Case {
    const char *Yaml, *Expect;
  } Cases[] = {
      {"locks:\n  - function: f\n", "missing required key 'action'"},
      {"locks:\n  - { function: f, method: g, action: acquire }\n", "not both"},
      {"locks:\n  - { function: f, action: acquire, success: zero }\n", "'success' only"},
      {"blocking:\n  - function: f\n", "missing required key 'kind'"},
      {"blocking:\n  - { function: f, kind: slow }\n", "slow"},
      {"threads:\n  - entry-arg: 1\n", "'function' (or 'constructor')"},
      {"threads:\n  - { function: f, required-policy: p }\n", "needs 'policy-arg'"},
      {"guards:\n  - shared: true\n", "class"},
      {"once:\n  - function: f\n    flag-arg: -1\n", "-1"},
      {"name: x\nthreads: 3\n", "x.yaml:2:"},
      {"name: [x\n", "x.yaml:1:"},
  };
  for (const Case &C : Cases) {
    RuleSet Rules;
    llvm::Error E = Rules.loadBuffer(C.Yaml, "x.yaml");
    ASSERT_TRUE(!!E) << C.Yaml;
    std::string Msg = errorText(std::move(E));
    EXPECT_NE(Msg.find("x.yaml:"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find(C.Expect), std::string::npos) << C.Yaml << " -> " << Msg;
  }
}

TEST(RulesTest, UserPackAddsAndOverridesRules) {
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadFile(packPath("posix")));
  ASSERT_FALSE(Rules.lock("mylib_lock"));
  llvm::Error E =
      Rules.loadBuffer("name: mylib\n"
                       "threads:\n"
                       "  - function: mylib::spawn\n"
                       "    entry-arg: 1\n"
                       "    handle-arg: this\n"
                       "locks:\n"
                       "  - { function: mylib_lock, action: acquire, lock-arg: 1 }\n"
                       "  - { function: mylib_trylock, action: try-acquire, success: zero }\n"
                       "blocking:\n"
                       "  - { function: read, kind: network }\n"
                       "atomic-types: [mylib::counter]\n",
                       "mylib.yaml");
  ASSERT_FALSE(E) << errorText(std::move(E));
  const LockRule *L = Rules.lock("mylib_lock");
  ASSERT_TRUE(L);
  EXPECT_EQ(L->LockArg, 1);
  EXPECT_EQ(L->Library, "mylib");
  EXPECT_EQ(Rules.lock("mylib_trylock")->Success, TrySuccess::Zero);
  const ThreadRule *T = Rules.threadFunction("mylib::spawn");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->HandleArg, ThisArg);
  EXPECT_TRUE(Rules.isAtomicType("mylib::counter<int>"));
  // A later pack replaces an earlier rule of the same name.
  EXPECT_EQ(Rules.blocking("read")->Kind, BlockingKind::Network);
  EXPECT_EQ(Rules.blocking("read")->Library, "mylib");
  // Everything else from posix is still there.
  EXPECT_TRUE(Rules.lock("pthread_mutex_lock"));
  EXPECT_EQ(Rules.packs(), (std::vector<std::string>{"posix", "mylib"}));
}

TEST(RulesTest, UnnamedPackIsNamedAfterItsFile) {
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadBuffer("cpu-heavy:\n  - function: crunch\n", "/tmp/my-lib.yaml"));
  ASSERT_TRUE(Rules.cpuHeavy("crunch"));
  EXPECT_EQ(Rules.cpuHeavy("crunch")->Library, "my-lib");
}

TEST(RulesTest, EmptyPackIsFine) {
  RuleSet Rules;
  EXPECT_FALSE(Rules.loadBuffer("", "empty.yaml"));
  EXPECT_FALSE(Rules.loadBuffer("# only a comment\n", "comment.yaml"));
  EXPECT_EQ(Rules.packs(), (std::vector<std::string>{"empty", "comment"}));
}

TEST(RulesTest, OneDocumentPerPack) {
  RuleSet Rules;
  std::string Msg = errorText(Rules.loadBuffer("name: a\n---\nname: b\n", "two.yaml"));
  EXPECT_NE(Msg.find("two.yaml"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("one YAML document"), std::string::npos) << Msg;
  EXPECT_TRUE(Rules.packs().empty());
}

TEST(RulesTest, MissingFileAndDirectoryAreErrors) {
  RuleSet Rules;
  std::string Msg = errorText(Rules.loadFile("/nonexistent/threadwise/x.yaml"));
  EXPECT_NE(Msg.find("/nonexistent/threadwise/x.yaml"), std::string::npos) << Msg;
  Msg = errorText(Rules.loadDirectory("/nonexistent/threadwise"));
  EXPECT_NE(Msg.find("/nonexistent/threadwise"), std::string::npos) << Msg;
}

/// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string Name;
  ScopedEnv(const char *N, const std::string &Value) : Name(N) { setenv(N, Value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(Name.c_str()); }
};

TEST(RulesTest, DefaultDirectoryHonoursEnvironment) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadwise-rules", Dir));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Dir + "/only.yaml").str(), EC);
    ASSERT_FALSE(EC);
    OS << "name: only\nthread-id-functions: [my_thread_index]\n";
  }
  {
    ScopedEnv Env("THREADWISE_RULES_DIR", std::string(Dir));
    EXPECT_EQ(RuleSet::findDefaultDirectory(), std::string(Dir));
    RuleSet Rules;
    ASSERT_FALSE(Rules.loadDefault());
    EXPECT_TRUE(Rules.isThreadIdFunction("my_thread_index"));
    EXPECT_FALSE(Rules.lock("pthread_mutex_lock"));
  }
  {
    ScopedEnv Env("THREADWISE_RULES_DIR", std::string(Dir) + "/missing");
    RuleSet Rules;
    std::string Msg = errorText(Rules.loadDefault());
    EXPECT_NE(Msg.find("missing"), std::string::npos) << "names what was tried: " << Msg;
  }
  llvm::sys::fs::remove_directories(Dir);
}

TEST(RulesTest, DefaultDirectoryFallsBackToTheSourceTree) {
  unsetenv("THREADWISE_RULES_DIR");
  // The test binary is not installed, so <exe>/../share/threadwise/rules is
  // absent and the compile-time source directory is used.
  std::string Dir = RuleSet::findDefaultDirectory();
  ASSERT_FALSE(Dir.empty());
  EXPECT_TRUE(llvm::sys::fs::exists(Dir + "/posix.yaml")) << Dir;
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadDefault());
  EXPECT_TRUE(Rules.threadFunction("pthread_create"));
}

// The packs must list the names Clang really reports for the installed
// standard library, not the names the standard uses: compile calls against
// the system's libstdc++ and look every callee up.
const char *const StdCalls = R"cpp(
#include <atomic>
#include <algorithm>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <numeric>
#include <regex>
#include <semaphore>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>
using Dur = std::chrono::milliseconds;
using Time = std::chrono::steady_clock::time_point;
using Lock = std::unique_lock<std::mutex>;
void entry(int);

void threads(int x) {
  std::thread t(entry, x);
  std::jthread j(entry, x);
  auto f = std::async(std::launch::async, entry, x);
}
void joins(std::thread &t, std::jthread &j, std::future<int> &f, std::future<void> &fv,
           std::shared_future<int> &sf) {
  t.join(); j.join(); f.get(); f.wait(); fv.get(); sf.get(); sf.wait();
}
void locks(std::mutex &m, std::recursive_mutex &rm, std::timed_mutex &tm,
           std::recursive_timed_mutex &rtm, std::shared_mutex &sm,
           std::shared_timed_mutex &stm, Dur d, Time t) {
  m.lock(); m.unlock(); m.try_lock();
  rm.lock(); rm.unlock(); rm.try_lock();
  tm.lock(); tm.unlock(); tm.try_lock(); tm.try_lock_for(d); tm.try_lock_until(t);
  rtm.lock(); rtm.unlock(); rtm.try_lock(); rtm.try_lock_for(d); rtm.try_lock_until(t);
  sm.lock(); sm.unlock(); sm.try_lock(); sm.lock_shared(); sm.unlock_shared();
  sm.try_lock_shared();
  stm.lock(); stm.unlock(); stm.try_lock(); stm.try_lock_for(d); stm.try_lock_until(t);
  stm.lock_shared(); stm.unlock_shared(); stm.try_lock_shared();
  stm.try_lock_shared_for(d); stm.try_lock_shared_until(t);
  std::lock(m, rm);
}
void guards(std::mutex &m, std::recursive_mutex &rm, std::shared_mutex &sm) {
  std::lock_guard<std::mutex> g(m);
  std::unique_lock<std::recursive_mutex> u(rm);
  std::scoped_lock s(sm);
  std::shared_lock<std::shared_mutex> r(sm);
}
void once(std::once_flag &f, void (*fn)()) { std::call_once(f, fn); }
void blocking(std::condition_variable &cv, std::condition_variable_any &cva, Lock &u,
              bool (*pred)(), Dur d, Time t, std::thread &th, std::future<int> &f,
              std::shared_future<int> &sf, std::counting_semaphore<4> &cs,
              std::binary_semaphore &bs, std::latch &l, std::barrier<> &b,
              std::atomic<int> &ai, std::atomic<bool> &ab, std::atomic<double> &ad,
              std::atomic_ref<int> &ar, std::atomic_flag &af) {
  cv.wait(u); cv.wait(u, pred); cv.wait_for(u, d); cv.wait_until(u, t);
  cva.wait(u); cva.wait_for(u, d); cva.wait_until(u, t);
  std::this_thread::sleep_for(d); std::this_thread::sleep_until(t);
  th.join(); f.get(); f.wait(); f.wait_for(d); f.wait_until(t);
  sf.get(); sf.wait(); sf.wait_for(d);
  cs.acquire(); cs.try_acquire_for(d); cs.try_acquire_until(t); bs.acquire();
  l.wait(); l.arrive_and_wait(); b.arrive_and_wait();
  ai.wait(0); ab.wait(false); ad.wait(0.0); ar.wait(0); af.wait(false);
}
void cpuHeavy(std::vector<int> &v, std::string &s, std::regex &re) {
  std::sort(v.begin(), v.end()); std::stable_sort(v.begin(), v.end());
  std::partial_sort(v.begin(), v.begin(), v.end());
  std::nth_element(v.begin(), v.begin(), v.end());
  std::accumulate(v.begin(), v.end(), 0); std::reduce(v.begin(), v.end());
  std::transform(v.begin(), v.end(), v.begin(), [](int i) { return i; });
  std::regex_match(s, re); std::regex_search(s, re);
  std::ranges::sort(v); std::ranges::stable_sort(v);
}
void atomics(std::atomic<int> &ai, std::atomic<bool> &ab, std::atomic<int *> &ap,
             std::atomic<double> &ad, std::atomic_ref<int> &ar, std::atomic_flag &af) {
  ai.store(1); ai.load(); ai.fetch_add(1); ai++; ai += 2; ai.exchange(3); int x = ai;
  ab.store(true); ab.load();
  ap.store(nullptr); ap.fetch_add(1);
  ad.store(1.0); ad.fetch_add(1.0);
  ar.store(1); ar.fetch_add(1);
  af.test_and_set(); af.clear();
}
void syncTypes(std::mutex &m, std::condition_variable &cv, std::future<int> &f,
               std::thread &t) {
  m.lock(); cv.notify_one(); f.wait(); t.joinable();
}
)cpp";

/// Category function name -> the calls, constructed classes and variable
/// types inside it, as NamedDecl::getQualifiedNameAsString() prints them.
struct StdNames {
  std::map<std::string, std::vector<std::string>> Calls, CalleeClasses, VarClasses;
};

class CollectStdNames : public clang::RecursiveASTVisitor<CollectStdNames> {
public:
  CollectStdNames(clang::ASTContext &Ctx, StdNames &Out) : Ctx(Ctx), Out(Out) {}
  bool TraverseFunctionDecl(clang::FunctionDecl *F) {
    if (!Ctx.getSourceManager().isInMainFile(F->getLocation()))
      return true;
    Current = F->getNameAsString();
    return clang::RecursiveASTVisitor<CollectStdNames>::TraverseFunctionDecl(F);
  }
  bool TraverseLambdaExpr(clang::LambdaExpr *) { return true; }
  bool VisitCallExpr(clang::CallExpr *E) {
    const clang::FunctionDecl *F = E->getDirectCallee();
    if (!F || Current.empty())
      return true;
    Out.Calls[Current].push_back(F->getQualifiedNameAsString());
    if (const auto *Parent = llvm::dyn_cast<clang::CXXRecordDecl>(F->getDeclContext()))
      Out.CalleeClasses[Current].push_back(Parent->getQualifiedNameAsString());
    return true;
  }
  bool VisitVarDecl(clang::VarDecl *V) {
    if (Current.empty() || llvm::isa<clang::ParmVarDecl>(V))
      return true;
    if (const clang::RecordDecl *R = V->getType()->getAsRecordDecl())
      Out.VarClasses[Current].push_back(R->getQualifiedNameAsString());
    return true;
  }

private:
  clang::ASTContext &Ctx;
  StdNames &Out;
  std::string Current;
};

class CollectStdNamesAction : public clang::ASTFrontendAction {
public:
  explicit CollectStdNamesAction(StdNames &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &,
                                                        llvm::StringRef) override {
    struct Consumer : clang::ASTConsumer {
      StdNames &Out;
      explicit Consumer(StdNames &Out) : Out(Out) {}
      void HandleTranslationUnit(clang::ASTContext &Ctx) override {
        CollectStdNames(Ctx, Out).TraverseDecl(Ctx.getTranslationUnitDecl());
      }
    };
    return std::make_unique<Consumer>(Out);
  }

private:
  StdNames &Out;
};

/// Clang's builtin headers sit next to the libclang-cpp we are linked with.
std::string clangResourceDir() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&clang::driver::Driver::GetResourcesPath), &Info) ||
      !Info.dli_fname)
    return "";
  return clang::driver::Driver::GetResourcesPath(Info.dli_fname);
}

StdNames collectNames(llvm::StringRef Code, std::vector<std::string> Args,
                      llvm::StringRef FileName) {
  StdNames N;
  Args.push_back("-fsyntax-only");
  Args.push_back("-w");
  Args.push_back("-resource-dir=" + clangResourceDir());
  if (!clang::tooling::runToolOnCodeWithArgs(std::make_unique<CollectStdNamesAction>(N), Code, Args,
                                             FileName))
    ADD_FAILURE() << FileName.str() << " did not compile";
  return N;
}

const StdNames &stdNames() {
  static StdNames Names = collectNames(StdCalls, {"-std=c++20"}, "std_calls.cpp");
  return Names;
}

template <typename Pred>
void expectAll(const char *Category, const std::vector<std::string> &Names, size_t AtLeast,
               Pred Found) {
  EXPECT_GE(Names.size(), AtLeast) << Category << ": too few names collected";
  for (const std::string &Name : Names)
    EXPECT_TRUE(Found(Name)) << Category << ": no rule for '" << Name << "'";
}

TEST(RulesTest, PacksMatchLibstdcxxNames) {
  const RuleSet &R = bundled();
  const StdNames &N = stdNames();
  auto Of = [](const std::map<std::string, std::vector<std::string>> &M, const char *K) {
    auto It = M.find(K);
    return It == M.end() ? std::vector<std::string>() : It->second;
  };
  expectAll("threads (classes)", Of(N.VarClasses, "threads"), 3, [&](const std::string &C) {
    return R.threadConstructor(C) || C == "std::future"; // what std::async returns
  });
  EXPECT_TRUE(R.threadFunction(Of(N.Calls, "threads").front()));
  expectAll("joins", Of(N.Calls, "joins"), 7, [&](auto &Q) { return R.join(Q); });
  expectAll("locks", Of(N.Calls, "locks"), 30, [&](auto &Q) { return R.lock(Q); });
  expectAll("guards", Of(N.VarClasses, "guards"), 4, [&](auto &C) { return R.guard(C); });
  expectAll("once", Of(N.Calls, "once"), 1, [&](auto &Q) { return R.once(Q); });
  expectAll("blocking", Of(N.Calls, "blocking"), 29, [&](auto &Q) { return R.blocking(Q); });
  std::vector<std::string> Heavy;
  for (const std::string &Q : Of(N.Calls, "cpuHeavy"))
    if (!llvm::StringRef(Q).ends_with("::begin") && !llvm::StringRef(Q).ends_with("::end"))
      Heavy.push_back(Q);
  expectAll("cpu-heavy", Heavy, 11, [&](auto &Q) { return R.cpuHeavy(Q); });
  expectAll("atomic classes", Of(N.CalleeClasses, "atomics"), 15,
            [&](auto &C) { return R.isAtomicType(C); });
  expectAll("sync classes", Of(N.CalleeClasses, "syncTypes"), 4,
            [&](auto &C) { return R.isSyncType(C); });
}

// The same for C: glibc (with _FORTIFY_SOURCE wrappers), C11 threads,
// OpenMP, and zlib and OpenSSL where their headers are installed.
const char *const CCalls = R"c(
#include <crypt.h>
#include <fcntl.h>
#include <omp.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netdb.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>
void *entry(void *);
int c11_entry(void *);
void init(void);
int cmp(const void *, const void *);

void threads(pthread_t *t, thrd_t *ct) {
  pthread_create(t, 0, entry, 0);
  thrd_create(ct, c11_entry, 0);
}
void joins(pthread_t t, thrd_t ct) {
  pthread_join(t, 0);
  thrd_join(ct, 0);
}
void locks(pthread_mutex_t *m, pthread_rwlock_t *rw, pthread_spinlock_t *sp, mtx_t *cm,
           omp_lock_t *ol, omp_nest_lock_t *nl, const struct timespec *ts) {
  pthread_mutex_lock(m); pthread_mutex_unlock(m); pthread_mutex_trylock(m);
  pthread_mutex_timedlock(m, ts);
  pthread_rwlock_rdlock(rw); pthread_rwlock_wrlock(rw); pthread_rwlock_unlock(rw);
  pthread_rwlock_tryrdlock(rw); pthread_rwlock_trywrlock(rw);
  pthread_spin_lock(sp); pthread_spin_unlock(sp); pthread_spin_trylock(sp);
  mtx_lock(cm); mtx_unlock(cm); mtx_trylock(cm); mtx_timedlock(cm, ts);
  omp_set_lock(ol); omp_unset_lock(ol); omp_test_lock(ol);
  omp_set_nest_lock(nl); omp_unset_nest_lock(nl); omp_test_nest_lock(nl);
}
void once(pthread_once_t *po, once_flag *of) {
  pthread_once(po, init);
  call_once(of, init);
}
void blocking(int fd, char *buf, size_t n, FILE *f, pthread_cond_t *cv, pthread_mutex_t *m,
              cnd_t *cc, mtx_t *cm, sem_t *s, const struct timespec *ts, struct pollfd *pfd,
              struct epoll_event *ev, struct sockaddr *sa, socklen_t *sl, struct addrinfo **ai,
              char **line) {
  read(fd, buf, n); write(fd, buf, n); pread(fd, buf, n, 0); pwrite(fd, buf, n, 0);
  open("x", O_RDONLY); openat(fd, "x", O_RDONLY); fsync(fd); fdatasync(fd);
  fread(buf, 1, n, f); fwrite(buf, 1, n, f); fgets(buf, (int)n, f); getline(line, &n, f);
  fflush(f); fopen("x", "r");
  poll(pfd, 1, 0); select(0, 0, 0, 0, 0); epoll_wait(fd, ev, 1, 0);
  recv(fd, buf, n, 0); recvfrom(fd, buf, n, 0, sa, sl); send(fd, buf, n, 0);
  sendto(fd, buf, n, 0, sa, *sl); accept(fd, sa, sl); connect(fd, sa, *sl);
  getaddrinfo("h", "s", 0, ai);
  pthread_cond_wait(cv, m); pthread_cond_timedwait(cv, m, ts);
  cnd_wait(cc, cm); cnd_timedwait(cc, cm, ts);
  sem_wait(s); sem_timedwait(s, ts); waitpid(0, 0, 0); wait(0);
  sleep(1); usleep(1); nanosleep(ts, 0); clock_nanosleep(CLOCK_MONOTONIC, 0, ts, 0);
  thrd_sleep(ts, 0);
}
void cpuHeavy(void *base, size_t n, regex_t *re) {
  qsort(base, n, 1, cmp); regexec(re, "x", 0, 0, 0); crypt("k", "s");
}
// zlib and OpenSSL headers are optional build dependencies.
#if __has_include(<zlib.h>)
#include <zlib.h>
void zlibCpu(z_stream *zs, unsigned char *out, uLongf *outn, size_t n) {
  deflate(zs, 0); inflate(zs, 0); compress(out, outn, out, n); uncompress(out, outn, out, n);
}
void zlibBlocking(gzFile gz, char *buf, unsigned n) { gzread(gz, buf, n); gzwrite(gz, buf, n); }
#endif
#if __has_include(<openssl/ssl.h>)
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
void opensslCpu(EVP_MD_CTX *md, SHA256_CTX *sha, const void *p, size_t n) {
  EVP_DigestUpdate(md, p, n); SHA256_Update(sha, p, n);
}
void opensslBlocking(SSL *ssl, char *buf, int n) {
  SSL_read(ssl, buf, n); SSL_write(ssl, buf, n); SSL_connect(ssl);
}
#endif
void syncTypes(void) {
  pthread_mutex_t m; pthread_rwlock_t rw; pthread_cond_t cv; pthread_barrier_t b; sem_t s;
  mtx_t cm; cnd_t cc; once_flag of; omp_lock_t ol; omp_nest_lock_t nl;
}
int threadId(void) { return omp_get_thread_num(); }
)c";

TEST(RulesTest, PacksMatchCLibraryNames) {
  const RuleSet &R = bundled();
  StdNames N = collectNames(CCalls, {"-std=gnu11", "-O2", "-D_FORTIFY_SOURCE=2"}, "c_calls.c");
  auto Of = [&](const char *K) { return N.Calls[K]; };
  expectAll("threads", Of("threads"), 2, [&](auto &Q) { return R.threadFunction(Q); });
  expectAll("joins", Of("joins"), 2, [&](auto &Q) { return R.join(Q); });
  expectAll("locks", Of("locks"), 22, [&](auto &Q) { return R.lock(Q); });
  expectAll("once", Of("once"), 2, [&](auto &Q) { return R.once(Q); });
  expectAll("blocking", Of("blocking"), 37, [&](auto &Q) { return R.blocking(Q); });
  expectAll("cpu-heavy", Of("cpuHeavy"), 3, [&](auto &Q) { return R.cpuHeavy(Q); });
  expectAll("sync types", N.VarClasses["syncTypes"], 10, [&](auto &C) { return R.isSyncType(C); });
  expectAll("thread id", Of("threadId"), 1, [&](auto &Q) { return R.isThreadIdFunction(Q); });
  for (std::string Lib : {"zlib", "openssl"}) { // Only when their headers are installed.
    expectAll(Lib.c_str(), Of((Lib + "Cpu").c_str()), 0, [&](auto &Q) { return R.cpuHeavy(Q); });
    expectAll(Lib.c_str(), Of((Lib + "Blocking").c_str()), 0,
              [&](auto &Q) { return R.blocking(Q); });
  }
}

} // namespace
