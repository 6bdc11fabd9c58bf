//===- SummaryCache.cpp - Per-TU summaries kept on disk between runs ------===//
//
// An entry file: "TWCACHE 1\n", the number of files the TU read, one line
// "<hash> <path>" per file, then the summary as SummaryIO writes it. Entries
// are replaced atomically (temporary file + rename), so parallel runs sharing
// a directory see an old entry or a new one, never half of one.
//
//===----------------------------------------------------------------------===//
#include "SummaryCache.h"
#include "threadwise/SummaryIO.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#ifndef THREADWISE_VERSION
#define THREADWISE_VERSION "unknown"
#endif

namespace threadwise {
namespace {

constexpr llvm::StringLiteral EntryMagic = "TWCACHE 1\n";

std::string hex128(llvm::StringRef Data) {
  llvm::XXH128_hash_t H =
      llvm::xxh3_128bits(llvm::ArrayRef(Data.bytes_begin(), Data.bytes_end()));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format_hex_no_prefix(H.high64, 16) << llvm::format_hex_no_prefix(H.low64, 16);
  return Out;
}

std::optional<std::string> hashOf(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  return hex128((*Buf)->getBuffer());
}

bool writeAtomically(llvm::StringRef Path, llvm::StringRef Data) {
  llvm::SmallString<256> Tmp;
  int FD;
  if (llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Tmp))
    return false;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Data;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return false;
    }
  }
  if (llvm::sys::fs::rename(Tmp, Path)) {
    llvm::sys::fs::remove(Tmp);
    return false;
  }
  return true;
}

} // namespace

llvm::Expected<std::unique_ptr<SummaryCache>> SummaryCache::open(llvm::StringRef Dir,
                                                                 std::string Salt) {
  llvm::SmallString<256> Abs(Dir);
  llvm::sys::fs::make_absolute(Abs);
  if (std::error_code EC = llvm::sys::fs::create_directories(Abs))
    return llvm::createStringError(EC, "cannot create cache directory '%s': %s",
                                   Abs.c_str(), EC.message().c_str());
  // Backup tools skip a directory with this tag; git ignores everything in it.
  llvm::SmallString<256> Tag(Abs), Ignore(Abs);
  llvm::sys::path::append(Tag, "CACHEDIR.TAG");
  llvm::sys::path::append(Ignore, ".gitignore");
  if (!llvm::sys::fs::exists(Tag))
    writeAtomically(Tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                         "# The threadwise incremental cache (docs/ci.md).\n");
  if (!llvm::sys::fs::exists(Ignore))
    writeAtomically(Ignore, "*\n");
  return std::unique_ptr<SummaryCache>(new SummaryCache(std::string(Abs), std::move(Salt)));
}

std::string SummaryCache::defaultDirectory(llvm::StringRef CompileDatabaseDir) {
  llvm::SmallString<256> P;
  if (!CompileDatabaseDir.empty()) {
    P = CompileDatabaseDir;
    llvm::sys::path::append(P, ".threadwise-cache");
    return std::string(P);
  }
  if (std::optional<std::string> Xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
      Xdg && llvm::sys::path::is_absolute(*Xdg)) {
    P = *Xdg;
  } else if (std::optional<std::string> Home = llvm::sys::Process::GetEnv("HOME");
             Home && !Home->empty()) {
    P = *Home;
    llvm::sys::path::append(P, ".cache");
  } else {
    return "";
  }
  llvm::sys::path::append(P, "threadwise");
  return std::string(P);
}

std::string SummaryCache::keyFor(llvm::StringRef File,
                                 llvm::ArrayRef<std::vector<std::string>> CommandLines,
                                 llvm::ArrayRef<std::string> Directories) const {
  std::string Key = Salt + '\0' + File.str() + '\0';
  for (const std::string &D : Directories)
    Key += D + '\0';
  for (const std::vector<std::string> &Cmd : CommandLines) {
    for (const std::string &Arg : Cmd)
      Key += Arg + '\0';
    Key += '\n';
  }
  return hex128(Key);
}

std::string SummaryCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key.substr(0, 2), Key + ".tws");
  return std::string(P);
}

std::optional<std::string> SummaryCache::hashFile(const std::string &Path) {
  {
    std::lock_guard<std::mutex> Lock(M);
    auto It = FileHashes.find(Path);
    if (It != FileHashes.end())
      return It->second;
  }
  std::optional<std::string> H = hashOf(Path);
  std::lock_guard<std::mutex> Lock(M);
  return FileHashes.try_emplace(Path, H).first->second;
}

TUSummaryPtr SummaryCache::lookup(const std::string &Key) {
  auto Miss = [&] {
    ++Misses;
    return nullptr;
  };
  auto Buf = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return Miss();
  llvm::StringRef Data = (*Buf)->getBuffer();
  if (!Data.consume_front(EntryMagic))
    return Miss();
  auto [CountLine, Rest] = Data.split('\n');
  unsigned Count;
  if (CountLine.getAsInteger(10, Count))
    return Miss();
  Data = Rest;
  for (unsigned I = 0; I < Count; ++I) {
    auto [Line, After] = Data.split('\n');
    auto [Hash, Path] = Line.split(' ');
    std::optional<std::string> Now = hashFile(Path.str());
    if (Path.empty() || !Now || *Now != Hash)
      return Miss();
    Data = After;
  }
  llvm::Expected<TUSummaryPtr> S = readSummary(Data);
  if (!S) {
    llvm::consumeError(S.takeError());
    return Miss();
  }
  ++Hits;
  return std::move(*S);
}

void SummaryCache::store(const std::string &Key, const TUSummary &S) {
  const std::vector<std::string> &Files = summaryFiles(S);
  std::string Entry(EntryMagic);
  Entry += std::to_string(Files.size()) + "\n";
  for (const std::string &F : Files) {
    std::optional<std::string> H = hashFile(F);
    if (!H || F.find('\n') != std::string::npos)
      return; // Not knowing what it read, the entry could never be trusted.
    Entry += *H + " " + F + "\n";
  }
  Entry += serializeSummary(S);
  std::string Path = entryPath(Key);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  writeAtomically(Path, Entry);
}

std::string cacheSalt(const char *Argv0, const RuleSet &Rules) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  std::string Salt = "threadwise " THREADWISE_VERSION " LLVM " LLVM_VERSION_STRING " summary " +
                     std::to_string(SummaryFormatVersion) + " rules " +
                     std::to_string(Rules.contentHash());
  // A rebuilt threadwise (same version, different analysis) must not reuse
  // entries: its executable's identity is part of the salt. Size and time
  // rather than a hash of its ~60 MB, which would cost a warm run ~10%.
  llvm::sys::fs::file_status St;
  if (!llvm::sys::fs::status(Exe, St))
    Salt += " exe " + Exe + " " + std::to_string(St.getSize()) + " " +
            std::to_string(St.getLastModificationTime().time_since_epoch().count());
  else
    Salt += " exe ?";
  return Salt;
}

} // namespace threadwise
