//===- Rules.cpp - Load rule packs (rules/*.yaml) into a RuleSet ----------===//
//
// Three steps: YAML I/O reads one file into the *Entry structs below (which
// mirror the file, so every key and bad value is reported with its line),
// validate() checks what YAML cannot (function *or* method, try-* actions),
// then RuleIndexBuilder merges the entries into the RuleSet's vectors and
// hash indexes. Lookups normalise the name and do one StringMap probe.
//
//===----------------------------------------------------------------------===//
#include "threadwise/Rules.h"
#include "threadwise/InstallLayout.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>

using namespace llvm;

namespace threadwise {
namespace {

/// "0", "1", ... or "this". NoArg when the key is absent.
struct ArgIndex {
  int Value = NoArg;
};

/// One struct per list section, with exactly the keys the file may use
/// (YAML I/O rejects any other). Optional fields tell "absent" from a value,
/// because defaults depend on other keys (lock-arg: 0 for a function, this
/// for a method).
struct ThreadEntry {
  std::optional<std::string> Function, Constructor, RequiredPolicy;
  std::optional<ArgIndex> EntryArg, ParamArg, HandleArg, ForwardedFrom, PolicyArg;
  bool JoinsOnDestroy = false;
};
struct JoinEntry {
  std::optional<std::string> Function, Method;
  std::optional<ArgIndex> HandleArg;
};
struct LockEntry {
  std::optional<std::string> Function, Method;
  std::optional<LockAction> Action;
  std::optional<ArgIndex> LockArg;
  std::optional<TrySuccess> Success;
  bool AllArgs = false;
};
struct GuardEntry {
  std::string Class;
  bool Shared = false, AllArgs = false, Relockable = false;
};
struct OnceEntry {
  std::string Function;
  std::optional<ArgIndex> FlagArg, CallableArg;
};
struct BlockingEntry {
  std::optional<std::string> Function, Method;
  BlockingKind Kind = BlockingKind::IO;
};
struct NameEntry {
  std::optional<std::string> Function, Method;
};

struct PackDocument {
  std::string Name, Description;
  std::vector<ThreadEntry> Threads;
  std::vector<JoinEntry> Joins;
  std::vector<LockEntry> Locks;
  std::vector<GuardEntry> Guards;
  std::vector<OnceEntry> Once;
  std::vector<BlockingEntry> Blocking;
  std::vector<NameEntry> CpuHeavy;
  std::vector<std::string> AtomicTypes, SyncTypes, ThreadIdFunctions, CoreCountFunctions;
};

/// "function: x" or "method: x", exactly one of them.
std::string pickName(const std::optional<std::string> &Function,
                     const std::optional<std::string> &Method) {
  if (Function && Method)
    return "give either 'function' or 'method', not both";
  if (!Function && !Method)
    return "missing required key 'function' (or 'method')";
  if ((Function ? *Function : *Method).empty())
    return "empty function name";
  return "";
}

int argOr(const std::optional<ArgIndex> &A, int Default) { return A ? A->Value : Default; }

} // namespace
} // namespace threadwise

using namespace threadwise;

LLVM_YAML_IS_SEQUENCE_VECTOR(ThreadEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(JoinEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(LockEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(GuardEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(OnceEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(BlockingEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(NameEntry)

namespace llvm {
namespace yaml {

// Scalars are hand-written rather than ScalarEnumerationTraits so that the
// error lists the accepted values (the diagnostic quotes the bad line).
template <> struct ScalarTraits<ArgIndex> {
  static void output(const ArgIndex &A, void *, raw_ostream &OS) {
    if (A.Value == ThisArg)
      OS << "this";
    else
      OS << A.Value;
  }
  static StringRef input(StringRef S, void *, ArgIndex &A) {
    unsigned N;
    if (S == "this")
      A.Value = ThisArg;
    else if (!S.getAsInteger(10, N) && N < 64)
      A.Value = int(N);
    else
      return "expected an argument index (0, 1, ...) or 'this'";
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <> struct ScalarTraits<LockAction> {
  static void output(const LockAction &, void *, raw_ostream &) {}
  static StringRef input(StringRef S, void *, LockAction &A) {
    std::optional<LockAction> R = StringSwitch<std::optional<LockAction>>(S)
                                      .Case("acquire", LockAction::Acquire)
                                      .Case("acquire-shared", LockAction::AcquireShared)
                                      .Case("release", LockAction::Release)
                                      .Case("try-acquire", LockAction::TryAcquire)
                                      .Case("try-acquire-shared", LockAction::TryAcquireShared)
                                      .Default(std::nullopt);
    if (!R)
      return "expected acquire, acquire-shared, release, try-acquire or try-acquire-shared";
    A = *R;
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <> struct ScalarTraits<TrySuccess> {
  static void output(const TrySuccess &, void *, raw_ostream &) {}
  static StringRef input(StringRef S, void *, TrySuccess &T) {
    if (S == "true")
      T = TrySuccess::True;
    else if (S == "zero")
      T = TrySuccess::Zero;
    else
      return "expected 'zero' or 'true'";
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <> struct ScalarTraits<BlockingKind> {
  static void output(const BlockingKind &, void *, raw_ostream &) {}
  static StringRef input(StringRef S, void *, BlockingKind &K) {
    std::optional<BlockingKind> R = StringSwitch<std::optional<BlockingKind>>(S)
                                        .Case("io", BlockingKind::IO)
                                        .Case("network", BlockingKind::Network)
                                        .Case("sleep", BlockingKind::Sleep)
                                        .Case("wait", BlockingKind::Wait)
                                        .Default(std::nullopt);
    if (!R)
      return "expected io, network, sleep or wait";
    K = *R;
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <> struct MappingTraits<ThreadEntry> {
  static void mapping(IO &IO, ThreadEntry &E) {
    IO.mapOptional("function", E.Function);
    IO.mapOptional("constructor", E.Constructor);
    IO.mapOptional("entry-arg", E.EntryArg);
    IO.mapOptional("param-arg", E.ParamArg);
    IO.mapOptional("handle-arg", E.HandleArg);
    IO.mapOptional("forwarded-args-from", E.ForwardedFrom);
    IO.mapOptional("policy-arg", E.PolicyArg);
    IO.mapOptional("required-policy", E.RequiredPolicy);
    IO.mapOptional("joins-on-destroy", E.JoinsOnDestroy);
  }
  static std::string validate(IO &, ThreadEntry &E) {
    if (E.Function && E.Constructor)
      return "give either 'function' or 'constructor', not both";
    if (!E.Function && !E.Constructor)
      return "missing required key 'function' (or 'constructor')";
    if (argOr(E.EntryArg, 0) == ThisArg)
      return "'entry-arg' cannot be 'this'";
    if (E.RequiredPolicy && !E.PolicyArg)
      return "'required-policy' needs 'policy-arg'";
    return "";
  }
};

template <> struct MappingTraits<JoinEntry> {
  static void mapping(IO &IO, JoinEntry &E) {
    IO.mapOptional("function", E.Function);
    IO.mapOptional("method", E.Method);
    IO.mapOptional("handle-arg", E.HandleArg);
  }
  static std::string validate(IO &, JoinEntry &E) { return pickName(E.Function, E.Method); }
};

template <> struct MappingTraits<LockEntry> {
  static void mapping(IO &IO, LockEntry &E) {
    IO.mapOptional("function", E.Function);
    IO.mapOptional("method", E.Method);
    IO.mapOptional("action", E.Action);
    IO.mapOptional("lock-arg", E.LockArg);
    IO.mapOptional("success", E.Success);
    IO.mapOptional("all-args", E.AllArgs);
  }
  static std::string validate(IO &, LockEntry &E) {
    std::string Err = pickName(E.Function, E.Method);
    if (!Err.empty())
      return Err;
    if (!E.Action)
      return "missing required key 'action'";
    bool Try = *E.Action == LockAction::TryAcquire || *E.Action == LockAction::TryAcquireShared;
    if (E.Success && !Try)
      return "'success' only applies to try-acquire and try-acquire-shared";
    return "";
  }
};

template <> struct MappingTraits<GuardEntry> {
  static void mapping(IO &IO, GuardEntry &E) {
    IO.mapRequired("class", E.Class);
    IO.mapOptional("shared", E.Shared);
    IO.mapOptional("all-args", E.AllArgs);
    IO.mapOptional("relockable", E.Relockable);
  }
  static std::string validate(IO &, GuardEntry &E) {
    return E.Class.empty() ? "empty class name" : "";
  }
};

template <> struct MappingTraits<OnceEntry> {
  static void mapping(IO &IO, OnceEntry &E) {
    IO.mapRequired("function", E.Function);
    IO.mapOptional("flag-arg", E.FlagArg);
    IO.mapOptional("callable-arg", E.CallableArg);
  }
  static std::string validate(IO &, OnceEntry &E) {
    return E.Function.empty() ? "empty function name" : "";
  }
};

template <> struct MappingTraits<BlockingEntry> {
  static void mapping(IO &IO, BlockingEntry &E) {
    IO.mapOptional("function", E.Function);
    IO.mapOptional("method", E.Method);
    IO.mapRequired("kind", E.Kind);
  }
  static std::string validate(IO &, BlockingEntry &E) { return pickName(E.Function, E.Method); }
};

template <> struct MappingTraits<NameEntry> {
  static void mapping(IO &IO, NameEntry &E) {
    IO.mapOptional("function", E.Function);
    IO.mapOptional("method", E.Method);
  }
  static std::string validate(IO &, NameEntry &E) { return pickName(E.Function, E.Method); }
};

template <> struct MappingTraits<PackDocument> {
  static void mapping(IO &IO, PackDocument &D) {
    IO.mapOptional("name", D.Name);
    IO.mapOptional("description", D.Description);
    IO.mapOptional("threads", D.Threads);
    IO.mapOptional("joins", D.Joins);
    IO.mapOptional("locks", D.Locks);
    IO.mapOptional("guards", D.Guards);
    IO.mapOptional("once", D.Once);
    IO.mapOptional("blocking", D.Blocking);
    IO.mapOptional("cpu-heavy", D.CpuHeavy);
    IO.mapOptional("atomic-types", D.AtomicTypes);
    IO.mapOptional("sync-types", D.SyncTypes);
    IO.mapOptional("thread-id-functions", D.ThreadIdFunctions);
    IO.mapOptional("core-count-functions", D.CoreCountFunctions);
  }
};

// Read as a document list so that an empty file is an empty pack and a
// second document can be reported (Input::nextDocument() on an empty stream
// is not safe to call directly).
template <> struct DocumentListTraits<std::vector<PackDocument>> {
  static size_t size(IO &, std::vector<PackDocument> &Docs) { return Docs.size(); }
  static PackDocument &element(IO &, std::vector<PackDocument> &Docs, size_t I) {
    if (I >= Docs.size())
      Docs.resize(I + 1);
    return Docs[I];
  }
};

} // namespace yaml
} // namespace llvm

namespace threadwise {

/// Merges one parsed pack into a RuleSet. A name already present (from an
/// earlier pack) is replaced, so a user pack can override a bundled rule.
struct RuleIndexBuilder {
  RuleSet &Set;
  std::string Library;
  SmallString<128> Buf;

  std::string key(StringRef Name) { return RuleSet::normalizeName(Name.trim(), Buf).str(); }

  static const std::string &keyOf(const GuardRule &R) { return R.Class; }
  template <typename Rule> static const std::string &keyOf(const Rule &R) { return R.Name; }

  template <typename Rule> void add(std::vector<Rule> &Rules, StringMap<unsigned> &Index, Rule R) {
    R.Library = Library;
    auto [It, Inserted] = Index.try_emplace(keyOf(R), Rules.size());
    if (Inserted)
      Rules.push_back(std::move(R));
    else
      Rules[It->second] = std::move(R);
  }

  void addNames(StringMap<unsigned> &Names, const std::vector<std::string> &List, unsigned Pack) {
    for (const std::string &N : List)
      Names[key(N)] = Pack;
  }

  void merge(const PackDocument &D) {
    unsigned Pack = Set.Packs.size();
    Set.Packs.push_back(Library);
    for (const ThreadEntry &E : D.Threads) {
      ThreadRule R;
      R.Constructor = E.Constructor.has_value();
      R.Name = key(R.Constructor ? *E.Constructor : *E.Function);
      R.EntryArg = argOr(E.EntryArg, 0);
      R.FirstForwardedArg = argOr(E.ForwardedFrom, NoArg);
      R.ParamArg = argOr(E.ParamArg, NoArg);
      R.HandleArg = argOr(E.HandleArg, R.Constructor ? ThisArg : NoArg);
      R.PolicyArg = argOr(E.PolicyArg, NoArg);
      R.RequiredPolicy = E.RequiredPolicy.value_or("");
      R.JoinsOnDestroy = E.JoinsOnDestroy;
      StringMap<unsigned> &Index =
          R.Constructor ? Set.ThreadConstructorIndex : Set.ThreadFunctionIndex;
      add(Set.Threads, Index, std::move(R));
    }
    for (const JoinEntry &E : D.Joins) {
      JoinRule R;
      R.Name = key(E.Function ? *E.Function : *E.Method);
      R.HandleArg = argOr(E.HandleArg, E.Method ? ThisArg : 0);
      add(Set.Joins, Set.JoinIndex, std::move(R));
    }
    for (const LockEntry &E : D.Locks) {
      LockRule R;
      R.Name = key(E.Function ? *E.Function : *E.Method);
      R.Action = *E.Action;
      R.LockArg = argOr(E.LockArg, E.Method ? ThisArg : 0);
      R.Success = E.Success.value_or(TrySuccess::True);
      R.AllArgs = E.AllArgs;
      add(Set.Locks, Set.LockIndex, std::move(R));
    }
    for (const GuardEntry &E : D.Guards) {
      GuardRule R;
      R.Class = key(E.Class);
      R.Shared = E.Shared;
      R.AllArgs = E.AllArgs;
      R.Relockable = E.Relockable;
      add(Set.Guards, Set.GuardIndex, std::move(R));
    }
    for (const OnceEntry &E : D.Once) {
      OnceRule R;
      R.Name = key(E.Function);
      R.FlagArg = argOr(E.FlagArg, 0);
      R.CallableArg = argOr(E.CallableArg, 1);
      add(Set.Onces, Set.OnceIndex, std::move(R));
    }
    for (const BlockingEntry &E : D.Blocking) {
      BlockingRule R;
      R.Name = key(E.Function ? *E.Function : *E.Method);
      R.Kind = E.Kind;
      add(Set.Blocking, Set.BlockingIndex, std::move(R));
    }
    for (const NameEntry &E : D.CpuHeavy) {
      CpuHeavyRule R;
      R.Name = key(E.Function ? *E.Function : *E.Method);
      add(Set.CpuHeavy, Set.CpuHeavyIndex, std::move(R));
    }
    addNames(Set.AtomicTypes, D.AtomicTypes, Pack);
    addNames(Set.SyncTypes, D.SyncTypes, Pack);
    addNames(Set.ThreadIdFunctions, D.ThreadIdFunctions, Pack);
    addNames(Set.CoreCountFunctions, D.CoreCountFunctions, Pack);
  }
};

namespace {

/// Keeps the first YAML diagnostic as "file:line:col: message (in: 'line')".
struct FirstDiagnostic {
  std::string Text;
  static void handle(const SMDiagnostic &D, void *Ctx) {
    auto *Self = static_cast<FirstDiagnostic *>(Ctx);
    if (!Self->Text.empty())
      return;
    raw_string_ostream OS(Self->Text);
    OS << D.getFilename() << ":" << D.getLineNo() << ":" << (D.getColumnNo() + 1) << ": "
       << D.getMessage();
    StringRef Line = D.getLineContents().trim();
    if (!Line.empty())
      OS << " (in: '" << Line << "')";
  }
};

Error makeError(const Twine &Msg) { return createStringError(inconvertibleErrorCode(), Msg); }

/// Inline namespaces that standard libraries put under std (libstdc++'s
/// __cxx11 strings and _V2 condition_variable_any, libc++'s __1 / __ndk1,
/// libstdc++'s versioned-namespace build __8).
bool isInlineNamespace(StringRef Component) {
  return Component == "__cxx11" || Component == "__1" || Component == "_V2" || Component == "__8" ||
         Component == "__ndk1";
}

} // namespace

StringRef RuleSet::normalizeName(StringRef Name, SmallVectorImpl<char> &Buf) {
  // The common case (C functions, plain class members) needs no copy.
  if (Name.find('<') == StringRef::npos && Name.find("::_") == StringRef::npos)
    return Name;
  Buf.clear();
  size_t ComponentStart = 0;
  for (size_t I = 0, N = Name.size(); I < N;) {
    StringRef Rest = Name.substr(I);
    if (Buf.size() == ComponentStart && Rest.starts_with("operator")) {
      // "operator<", "operator<<", "operator std::vector<int>": keep verbatim.
      Buf.append(Rest.begin(), Rest.end());
      break;
    }
    if (Rest.front() == '<') { // Drop a balanced template argument list.
      for (int Depth = 0; I < N; ++I) {
        if (Name[I] == '<')
          ++Depth;
        else if (Name[I] == '>' && --Depth == 0) {
          ++I;
          break;
        }
      }
      continue;
    }
    if (Rest.starts_with("::")) {
      StringRef Component(Buf.data() + ComponentStart, Buf.size() - ComponentStart);
      if (isInlineNamespace(Component))
        Buf.resize(ComponentStart);
      else
        Buf.append({':', ':'});
      I += 2;
      ComponentStart = Buf.size();
      continue;
    }
    Buf.push_back(Rest.front());
    ++I;
  }
  return StringRef(Buf.data(), Buf.size());
}

Error RuleSet::loadBuffer(StringRef Yaml, StringRef Origin) {
  ContentHash = xxh3_64bits((Twine(ContentHash) + "\n" + Origin + "\n" + Yaml).str());
  FirstDiagnostic Diag;
  std::vector<PackDocument> Docs;
  yaml::Input In(MemoryBufferRef(Yaml, Origin), nullptr, FirstDiagnostic::handle, &Diag);
  In >> Docs;
  if (In.error())
    return makeError(Diag.Text.empty() ? Origin + ": invalid rule pack" : Twine(Diag.Text));
  if (Docs.size() > 1)
    return makeError(Origin + ": a rule pack is one YAML document, found " + Twine(Docs.size()) +
                     " (separated by '---')");
  PackDocument Doc = Docs.empty() ? PackDocument() : std::move(Docs.front());
  RuleIndexBuilder Builder{*this, Doc.Name, {}};
  if (Builder.Library.empty()) // Unnamed packs are called after their file.
    Builder.Library = sys::path::stem(Origin).str();
  Builder.merge(Doc);
  return Error::success();
}

Error RuleSet::loadFile(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError(Path + ": cannot read rule pack: " + Buf.getError().message());
  return loadBuffer((*Buf)->getBuffer(), Path);
}

Error RuleSet::loadDirectory(StringRef Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    StringRef Ext = sys::path::extension(It->path());
    if (Ext == ".yaml" || Ext == ".yml")
      Files.push_back(It->path());
  }
  if (EC)
    return makeError(Dir + ": cannot read rule directory: " + EC.message());
  std::sort(Files.begin(), Files.end());
  for (const std::string &F : Files)
    if (Error E = loadFile(F))
      return E;
  return Error::success();
}

/// Where the bundled packs may be, in order of preference. An explicit
/// $THREADWISE_RULES_DIR is the only candidate: a typo there must not fall
/// back silently to other rules.
static std::vector<std::string> defaultCandidates(const char *Argv0) {
  if (std::optional<std::string> Env = sys::Process::GetEnv("THREADWISE_RULES_DIR"))
    return {*Env};
  std::vector<std::string> Out;
  std::string Prefix = installPrefix(Argv0);
  if (!Prefix.empty()) {
    SmallString<256> P(Prefix);
    sys::path::append(P, "share", "threadwise", "rules");
    sys::path::remove_dots(P, /*remove_dot_dot=*/true);
    Out.push_back(std::string(P));
  }
#ifdef THREADWISE_SOURCE_RULES_DIR
  Out.push_back(THREADWISE_SOURCE_RULES_DIR);
#endif
  return Out;
}

std::string RuleSet::findDefaultDirectory(const char *Argv0) {
  for (const std::string &Dir : defaultCandidates(Argv0))
    if (sys::fs::is_directory(Dir))
      return Dir;
  return "";
}

Error RuleSet::loadDefault(const char *Argv0) {
  std::string Dir = findDefaultDirectory(Argv0);
  if (Dir.empty()) {
    std::string Tried;
    for (const std::string &C : defaultCandidates(Argv0))
      Tried += (Tried.empty() ? "" : ", ") + C;
    return makeError("no rule directory found (tried " + Tried + "); set THREADWISE_RULES_DIR");
  }
  return loadDirectory(Dir);
}

namespace {
template <typename Rule>
const Rule *lookupRule(const std::vector<Rule> &Rules, const StringMap<unsigned> &Index,
                       StringRef QualName) {
  SmallString<128> Buf;
  auto It = Index.find(RuleSet::normalizeName(QualName, Buf));
  return It == Index.end() ? nullptr : &Rules[It->second];
}

bool containsName(const StringMap<unsigned> &Set, StringRef QualName) {
  SmallString<128> Buf;
  return Set.count(RuleSet::normalizeName(QualName, Buf));
}
} // namespace

const ThreadRule *RuleSet::threadFunction(StringRef Q) const {
  return lookupRule(Threads, ThreadFunctionIndex, Q);
}
const ThreadRule *RuleSet::threadConstructor(StringRef Q) const {
  return lookupRule(Threads, ThreadConstructorIndex, Q);
}
const JoinRule *RuleSet::join(StringRef Q) const { return lookupRule(Joins, JoinIndex, Q); }
const LockRule *RuleSet::lock(StringRef Q) const { return lookupRule(Locks, LockIndex, Q); }
const GuardRule *RuleSet::guard(StringRef Q) const { return lookupRule(Guards, GuardIndex, Q); }
const OnceRule *RuleSet::once(StringRef Q) const { return lookupRule(Onces, OnceIndex, Q); }
const BlockingRule *RuleSet::blocking(StringRef Q) const {
  return lookupRule(Blocking, BlockingIndex, Q);
}
const CpuHeavyRule *RuleSet::cpuHeavy(StringRef Q) const {
  return lookupRule(CpuHeavy, CpuHeavyIndex, Q);
}
bool RuleSet::isAtomicType(StringRef Q) const { return containsName(AtomicTypes, Q); }
bool RuleSet::isSyncType(StringRef Q) const { return containsName(SyncTypes, Q); }
bool RuleSet::isThreadIdFunction(StringRef Q) const { return containsName(ThreadIdFunctions, Q); }
bool RuleSet::isCoreCountCall(StringRef Q, StringRef FirstArg) const {
  return containsName(CoreCountFunctions, Q) ||
         (!FirstArg.empty() && containsName(CoreCountFunctions, (Q + "(" + FirstArg + ")").str()));
}

} // namespace threadwise
