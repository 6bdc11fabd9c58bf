//===- SummaryIO.cpp - A TU summary as a compact, versioned file ----------===//
//
// Layout: "TWSUM\n" | version (LEB128) | body | xxh3-64 of body (8 bytes LE).
// The body is the fields of TUSummary in declaration order, written by one
// template (mapFields) that both the writer and the reader instantiate, so
// the two cannot drift apart. A string is written once as (length << 1) and
// its bytes, later as (index << 1 | 1).
//
//===----------------------------------------------------------------------===//
#include "threadwise/SummaryIO.h"
#include "Summary.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/xxhash.h"

namespace threadwise {
namespace {

constexpr llvm::StringLiteral Magic = "TWSUM\n";

class Writer {
public:
  explicit Writer(std::string &Out) : Out(Out) {}

  void num(uint64_t V) {
    uint8_t Buf[16];
    unsigned N = llvm::encodeULEB128(V, Buf);
    Out.append(reinterpret_cast<const char *>(Buf), N);
  }
  void operator()(const std::string &S) {
    auto [It, New] = Strings.try_emplace(S, Strings.size());
    if (!New)
      return num(uint64_t(It->second) << 1 | 1);
    num(uint64_t(S.size()) << 1);
    Out += S;
  }
  void operator()(bool B) { num(B); }
  void operator()(unsigned V) { num(V); }
  void operator()(int V) { num(llvm::bit_cast<uint32_t>(V)); }
  void operator()(long V) { num(llvm::bit_cast<uint64_t>(static_cast<int64_t>(V))); }
  void operator()(double V) { num(llvm::bit_cast<uint64_t>(V)); }
  template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>> void operator()(E V) {
    num(static_cast<uint64_t>(V));
  }
  void operator()(const std::vector<bool> &V) {
    num(V.size());
    for (bool B : V)
      num(B);
  }
  template <typename T> void operator()(const std::vector<T> &V) {
    num(V.size());
    for (const T &X : V)
      (*this)(X);
  }
  template <typename T> void operator()(const std::map<std::string, T> &M) {
    num(M.size());
    for (const auto &[K, V] : M) {
      (*this)(K);
      (*this)(V);
    }
  }
  template <typename T>
  auto operator()(const T &X) -> decltype(mapFields(*this, const_cast<T &>(X))) {
    return mapFields(*this, const_cast<T &>(X));
  }

private:
  std::string &Out;
  llvm::StringMap<unsigned> Strings;
};

class Reader {
public:
  explicit Reader(llvm::StringRef Data) : P(Data.bytes_begin()), End(Data.bytes_end()) {}

  bool failed() const { return Failed; }
  bool atEnd() const { return P == End; }

  uint64_t num() {
    if (Failed)
      return 0;
    unsigned N = 0;
    const char *Err = nullptr;
    uint64_t V = llvm::decodeULEB128(P, &N, End, &Err);
    if (Err)
      return fail();
    P += N;
    return V;
  }
  /// A count of elements that take at least one byte each.
  size_t count() {
    uint64_t N = num();
    return N > uint64_t(End - P) ? fail() : N;
  }
  void operator()(std::string &S) {
    uint64_t V = num();
    if (V & 1) {
      if ((V >> 1) >= Strings.size())
        return void(fail());
      S = Strings[V >> 1];
      return;
    }
    uint64_t Len = V >> 1;
    if (Failed || Len > uint64_t(End - P))
      return void(fail());
    S.assign(reinterpret_cast<const char *>(P), Len);
    P += Len;
    Strings.push_back(S);
  }
  void operator()(bool &B) { B = num() != 0; }
  void operator()(unsigned &V) { V = static_cast<unsigned>(num()); }
  void operator()(int &V) { V = llvm::bit_cast<int32_t>(static_cast<uint32_t>(num())); }
  void operator()(long &V) { V = static_cast<long>(llvm::bit_cast<int64_t>(num())); }
  void operator()(double &V) { V = llvm::bit_cast<double>(num()); }
  template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>> void operator()(E &V) {
    V = static_cast<E>(num());
  }
  void operator()(std::vector<bool> &V) {
    V.resize(count());
    for (size_t I = 0; I < V.size(); ++I)
      V[I] = num() != 0;
  }
  template <typename T> void operator()(std::vector<T> &V) {
    V.resize(count());
    for (T &X : V)
      (*this)(X);
  }
  template <typename T> void operator()(std::map<std::string, T> &M) {
    M.clear();
    for (size_t I = 0, N = count(); I < N && !Failed; ++I) {
      std::string K;
      (*this)(K);
      (*this)(M[K]);
    }
  }
  template <typename T> auto operator()(T &X) -> decltype(mapFields(*this, X)) {
    return mapFields(*this, X);
  }

private:
  uint64_t fail() {
    Failed = true;
    P = End;
    return 0;
  }
  const uint8_t *P, *End;
  bool Failed = false;
  std::vector<std::string> Strings;
};

// One field list per struct, in declaration order. Adding a field to
// Summary.h means adding it here and bumping SummaryFormatVersion.
template <typename IO> void mapFields(IO &io, SourcePos &X) {
  io(X.File), io(X.Line), io(X.Column), io(X.Offset);
}
template <typename IO> void mapFields(IO &io, FixIt &X) {
  io(X.File), io(X.Offset), io(X.Length), io(X.Replacement), io(X.Pos);
}
template <typename IO> void mapFields(IO &io, IndexTag &X) { io(X.K), io(X.Var), io(X.Offset); }
template <typename IO> void mapFields(IO &io, OmpScope &X) {
  io(X.Phase), io(X.OnceId), io(X.Index);
}
template <typename IO> void mapFields(IO &io, InstanceCount &X) { io(X.K), io(X.N); }
template <typename IO> void mapFields(IO &io, AccessEvent &X) {
  io(X.Path), io(X.Name), io(X.IsWrite), io(X.IsAtomic), io(X.Locks), io(X.LiveSpawns);
  io(X.Omp), io(X.Pos), io(X.Order), io(X.VarKey);
}
template <typename IO> void mapFields(IO &io, CallEvent &X) {
  io(X.Callee), io(X.Args), io(X.This), io(X.ArgDistinct), io(X.InLoop), io(X.Repeat);
  io(X.EffectsApplied), io(X.Omp), io(X.Locks), io(X.LiveSpawns), io(X.Pos), io(X.Order);
}
template <typename IO> void mapFields(IO &io, SpawnEvent &X) {
  io(X.Id), io(X.Entry), io(X.EntryName), io(X.Args), io(X.This), io(X.ArgDistinct);
  io(X.Multi), io(X.Escapes), io(X.Synchronous), io(X.Api), io(X.Repeat), io(X.LiveSpawns);
  io(X.Locks), io(X.Pos), io(X.Order);
}
template <typename IO> void mapFields(IO &io, VariableInfo &X) {
  io(X.Name), io(X.Pos), io(X.GuardedBy), io(X.ScalarFixable), io(X.AtomicFix), io(X.Benign);
}
template <typename IO> void mapFields(IO &io, CpuRegion &X) {
  io(X.K), io(X.What), io(X.Reason), io(X.Locks), io(X.Pos), io(X.Order), io(X.TouchesPython);
}
template <typename IO> void mapFields(IO &io, BlockingCall &X) {
  io(X.Api), io(X.Pos), io(X.Order);
}
template <typename IO> void mapFields(IO &io, GilReleasedRange &X) {
  io(X.Begin), io(X.End), io(X.Pos);
}
template <typename IO> void mapFields(IO &io, FunctionSummary &X) {
  io(X.Key), io(X.Name), io(X.Pos), io(X.IsMain), io(X.Accesses), io(X.Calls), io(X.Spawns);
  io(X.RequiredLocks), io(X.AcquiredOnExit), io(X.ReleasedOnExit), io(X.JoinsParams);
  io(X.CpuRegions), io(X.Blocking), io(X.PythonEntry), io(X.GilReleased), io(X.PythonApiCalls);
}
template <typename IO> void mapFields(IO &io, TUSummary &X) {
  io(X.MainFile), io(X.Files), io(X.Functions), io(X.Variables), io(X.Errors);
}

llvm::Error corrupt(const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "not a usable threadwise summary: " + Why);
}

} // namespace

const std::vector<std::string> &summaryFiles(const TUSummary &Summary) { return Summary.Files; }

std::string serializeSummary(const TUSummary &Summary) {
  std::string Out(Magic);
  Writer W(Out);
  W.num(SummaryFormatVersion);
  size_t BodyStart = Out.size();
  W(Summary);
  uint64_t Sum = llvm::xxh3_64bits(llvm::StringRef(Out).drop_front(BodyStart));
  char Buf[8];
  llvm::support::endian::write64le(Buf, Sum);
  Out.append(Buf, 8);
  return Out;
}

void writeSummary(const TUSummary &Summary, llvm::raw_ostream &OS) {
  OS << serializeSummary(Summary);
}

llvm::Expected<TUSummaryPtr> readSummary(llvm::StringRef Data) {
  if (!Data.consume_front(Magic))
    return corrupt("wrong magic");
  if (Data.size() < 9)
    return corrupt("truncated");
  llvm::StringRef Body = Data.drop_back(8);
  Reader Head(Body);
  uint64_t Version = Head.num();
  if (Head.failed())
    return corrupt("truncated");
  if (Version != SummaryFormatVersion)
    return corrupt("format version " + llvm::Twine(Version) + ", expected " +
                   llvm::Twine(SummaryFormatVersion));
  unsigned VersionLen = llvm::getULEB128Size(Version);
  Body = Body.drop_front(VersionLen);
  if (llvm::xxh3_64bits(Body) != llvm::support::endian::read64le(Data.take_back(8).data()))
    return corrupt("checksum mismatch");
  TUSummaryPtr Out(new TUSummary());
  Reader R(Body);
  R(*Out);
  if (R.failed() || !R.atEnd())
    return corrupt("malformed body");
  return Out;
}

} // namespace threadwise
