//===- SiteSymbolizer.h - Raw return addresses to function/file:line -------===//
//
// The preload library records raw addresses plus /proc/self/maps snapshots; the
// profiled program never pays for symbolisation. Here an address is mapped to
// its module and module-relative virtual address (via the ELF program headers)
// and then symbolised with LLVM's Symbolize library (DWARF when present, the
// symbol tables otherwise; system libraries and the CPython interpreter from
// symbol tables only).
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_SITESYMBOLIZER_H
#define THREADWISE_COLLECT_SITESYMBOLIZER_H

#include "llvm/ADT/StringRef.h"
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class MemoryBuffer;
namespace symbolize {
class LLVMSymbolizer;
}
} // namespace llvm

namespace threadwise::collect {

struct Mapping {
  uint64_t Start = 0, End = 0, Offset = 0;
  bool Exec = false;
  std::string Path;
};

std::vector<Mapping> parseMaps(llvm::StringRef Maps);

struct SiteLocation {
  std::string Module;         ///< path of the ELF file, empty when unknown
  uint64_t ModuleAddress = 0; ///< the call's address inside Module (vaddr)
  std::string Function, File;
  int Line = 0;
};

class SiteSymbolizer {
public:
  SiteSymbolizer();
  ~SiteSymbolizer();
  /// Addr is a return address; the call instruction just before it is looked up.
  SiteLocation lookup(uint64_t Addr, const std::vector<Mapping> &Maps);
  /// A stack frame with its inlined callees: outermost first, innermost last;
  /// one frame with only Module/ModuleAddress set when there is no symbol.
  std::vector<SiteLocation> lookupFrames(uint64_t Addr, const std::vector<Mapping> &Maps);
  /// Addr is a data address (a lock's futex word): the global holding it,
  /// when it is one of a module's (also in the .bss past the file's end).
  SiteLocation lookupData(uint64_t Addr, const std::vector<Mapping> &Maps);

private:
  /// Module and module vaddr of Addr; false when it lies in no file mapping.
  bool locate(uint64_t Addr, const std::vector<Mapping> &Maps, SiteLocation &Loc);
  /// File offset -> vaddr, from PT_LOAD headers; cached per module.
  bool fileOffsetToVaddr(const std::string &Path, uint64_t Offset, uint64_t &Vaddr);
  /// Modules whose frames are named from symbol tables only, never DWARF:
  /// system libraries (/usr/lib, /lib) — libc6-dbg's DWARF is 4 MiB
  /// compressed and reading it for the libc frames at the root of every stack
  /// cost ~60 ms of CPU after each profiled run — and the CPython interpreter.
  bool namedFromSymbolTable(const std::string &Path);
  /// The function holding Vaddr, from the module's symbol tables and those of
  /// its separate debug file (/usr/lib/debug/.build-id/), which names
  /// internal functions like start_thread.
  std::string tableFunction(const std::string &Path, uint64_t Vaddr);
  struct FunctionSymbol {
    uint64_t Addr, Size;
    const char *Name; ///< in one of SymbolFiles' string tables (no strlen per symbol)
  };
  const std::vector<FunctionSymbol> &functionSymbols(const std::string &Path); // sorted by Addr
  std::unique_ptr<llvm::symbolize::LLVMSymbolizer> Symbolizer;
  std::map<std::string, std::vector<FunctionSymbol>> SymbolTables;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> SymbolFiles; ///< the tables' names
  std::map<std::string, bool> Interpreters;
  std::map<std::string, std::vector<std::array<uint64_t, 3>>> Segments; // offset, vaddr, size
  std::map<std::pair<std::string, uint64_t>, SiteLocation> Cache;
  std::map<std::pair<std::string, uint64_t>, std::vector<SiteLocation>> FrameCache;
};

} // namespace threadwise::collect

#endif
