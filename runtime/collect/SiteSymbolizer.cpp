//===- SiteSymbolizer.cpp - Raw return addresses to function/file:line -----===//
#include "SiteSymbolizer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/BuildID.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Path.h"
#include <cstring>

using namespace llvm;

namespace threadwise::collect {

std::vector<Mapping> parseMaps(StringRef Maps) {
  std::vector<Mapping> Out;
  SmallVector<StringRef, 0> Lines;
  Maps.split(Lines, '\n', -1, false);
  for (StringRef Line : Lines) {
    // "start-end perms offset dev inode   path"
    SmallVector<StringRef, 6> F;
    Line.split(F, ' ', 5, false);
    if (F.size() < 5)
      continue;
    Mapping M;
    auto [Lo, Hi] = F[0].split('-');
    if (Lo.getAsInteger(16, M.Start) || Hi.getAsInteger(16, M.End) ||
        F[2].getAsInteger(16, M.Offset))
      continue;
    M.Exec = F[1].contains('x');
    if (F.size() == 6)
      M.Path = F[5].trim().str();
    Out.push_back(std::move(M));
  }
  return Out;
}

SiteSymbolizer::SiteSymbolizer() {
  symbolize::LLVMSymbolizer::Options Opts;
  Opts.Demangle = true;
  Opts.UseSymbolTable = true;
  Opts.RelativeAddresses = false;
  Symbolizer = std::make_unique<symbolize::LLVMSymbolizer>(Opts);
}

static bool isSystemLibrary(StringRef Path) {
  return Path.starts_with("/usr/lib/") || Path.starts_with("/lib/") || Path.starts_with("/lib64/");
}

// Function symbols of an ELF file's .symtab and .dynsym, read straight from
// the symbol arrays (through ELFSymbolRef every symbol's type, address and
// name is a checked lookup: libc's debug file took ~6 ms, then ~4; with the
// names used in place, ~1).
template <class ELFT, class Symbol>
static void addFunctionSymbols(const object::ELFFile<ELFT> &Elf, std::vector<Symbol> &Out) {
  auto Sections = Elf.sections();
  if (!Sections) {
    consumeError(Sections.takeError());
    return;
  }
  for (const auto &Sec : *Sections) {
    if (Sec.sh_type != ELF::SHT_SYMTAB && Sec.sh_type != ELF::SHT_DYNSYM)
      continue;
    auto Syms = Elf.symbols(&Sec);
    auto Strings = Elf.getStringTableForSymtab(Sec, *Sections);
    if (!Syms || !Strings) {
      if (!Syms)
        consumeError(Syms.takeError());
      if (!Strings)
        consumeError(Strings.takeError());
      continue;
    }
    Out.reserve(Out.size() + Syms->size());
    for (const auto &S : *Syms) {
      unsigned char Type = S.getType();
      if ((Type != ELF::STT_FUNC && Type != ELF::STT_GNU_IFUNC) || !S.st_size || !S.st_value ||
          S.st_name >= Strings->size())
        continue;
      const char *Name = Strings->data() + S.st_name;
      if (!*Name)
        continue;
      Out.push_back({S.st_value, S.st_size, Name});
    }
  }
}

const std::vector<SiteSymbolizer::FunctionSymbol> &
SiteSymbolizer::functionSymbols(const std::string &Path) {
  auto It = SymbolTables.find(Path);
  if (It != SymbolTables.end())
    return It->second;
  // Names point into the files' buffers, kept for the symbolizer's life: a
  // copy of each of libc's ~13,000 names took most of the table's ~2.3 ms.
  std::vector<FunctionSymbol> Syms;
  auto Add = [&](object::OwningBinary<object::ObjectFile> File) {
    if (const auto *Elf = dyn_cast<object::ELF64LEObjectFile>(File.getBinary()))
      addFunctionSymbols(Elf->getELFFile(), Syms);
    SymbolFiles.push_back(File.takeBinary().second);
  };
  if (auto Bin = object::ObjectFile::createObjectFile(Path)) {
    object::BuildIDRef Id = object::getBuildID(Bin->getBinary());
    std::string Hex = Id.size() > 1 ? toHex(Id, /*LowerCase=*/true) : "";
    Add(std::move(*Bin));
    if (!Hex.empty()) {
      std::string Debug = "/usr/lib/debug/.build-id/" + Hex.substr(0, 2) + "/" + Hex.substr(2) +
                          ".debug";
      if (auto Dbg = object::ObjectFile::createObjectFile(Debug))
        Add(std::move(*Dbg));
      else
        consumeError(Dbg.takeError());
    }
  } else {
    consumeError(Bin.takeError());
  }
  llvm::sort(Syms, [](const FunctionSymbol &A, const FunctionSymbol &B) { return A.Addr < B.Addr; });
  return SymbolTables.emplace(Path, std::move(Syms)).first->second;
}

std::string SiteSymbolizer::tableFunction(const std::string &Path, uint64_t Vaddr) {
  const std::vector<FunctionSymbol> &Syms = functionSymbols(Path);
  auto U = llvm::upper_bound(Syms, Vaddr,
                             [](uint64_t A, const FunctionSymbol &S) { return A < S.Addr; });
  if (U == Syms.begin() || Vaddr >= std::prev(U)->Addr + std::prev(U)->Size)
    return "";
  return llvm::demangle(StringRef(std::prev(U)->Name));
}

bool SiteSymbolizer::namedFromSymbolTable(const std::string &Path) {
  if (isSystemLibrary(Path))
    return true;
  // The CPython interpreter (python3.X, libpython3.X.so): its Python frames
  // say where the program is; its own DWARF (a --with-pydebug or pyenv build
  // has ~30 MiB) cost ~25 ms after every profiled Python run for file:line of
  // interpreter internals nobody reads.
  StringRef Base = sys::path::filename(Path);
  if (!Base.starts_with("python") && !Base.starts_with("libpython"))
    return false;
  auto It = Interpreters.find(Path);
  if (It == Interpreters.end()) {
    bool Exports = llvm::any_of(functionSymbols(Path), [](const FunctionSymbol &S) {
      return !strcmp(S.Name, "_PyEval_EvalFrameDefault");
    });
    It = Interpreters.emplace(Path, Exports).first;
  }
  return It->second;
}

SiteSymbolizer::~SiteSymbolizer() = default;

bool SiteSymbolizer::fileOffsetToVaddr(const std::string &Path, uint64_t Offset, uint64_t &Vaddr) {
  auto It = Segments.find(Path);
  if (It == Segments.end()) {
    std::vector<std::array<uint64_t, 3>> Segs;
    auto Bin = object::ObjectFile::createObjectFile(Path);
    if (Bin) {
      if (auto *Elf = dyn_cast<object::ELF64LEObjectFile>(Bin->getBinary())) {
        if (auto Phdrs = Elf->getELFFile().program_headers()) {
          for (const auto &P : *Phdrs)
            if (P.p_type == ELF::PT_LOAD)
              Segs.push_back({P.p_offset, P.p_vaddr, P.p_filesz});
        } else {
          consumeError(Phdrs.takeError());
        }
      }
    } else {
      consumeError(Bin.takeError());
    }
    It = Segments.emplace(Path, std::move(Segs)).first;
  }
  for (const auto &S : It->second)
    if (Offset >= S[0] && Offset < S[0] + S[2]) {
      Vaddr = Offset - S[0] + S[1];
      return true;
    }
  return false;
}

bool SiteSymbolizer::locate(uint64_t Addr, const std::vector<Mapping> &Maps, SiteLocation &Loc) {
  const Mapping *M = nullptr;
  for (const Mapping &Candidate : Maps)
    if (Addr >= Candidate.Start && Addr < Candidate.End) {
      M = &Candidate;
      break;
    }
  if (!M || M->Path.empty() || M->Path[0] != '/')
    return false;
  Loc.Module = M->Path;
  uint64_t Vaddr;
  if (!fileOffsetToVaddr(M->Path, Addr - M->Start + M->Offset, Vaddr))
    return false;
  Loc.ModuleAddress = Vaddr;
  return true;
}

std::vector<SiteLocation> SiteSymbolizer::lookupFrames(uint64_t Addr,
                                                       const std::vector<Mapping> &Maps) {
  SiteLocation Base;
  if (!locate(Addr, Maps, Base))
    return {Base};
  auto Key = std::make_pair(Base.Module, Base.ModuleAddress);
  if (auto C = FrameCache.find(Key); C != FrameCache.end())
    return C->second;
  std::vector<SiteLocation> Out;
  uint64_t Vaddr = Base.ModuleAddress;
  if (namedFromSymbolTable(Base.Module)) {
    Base.Function = tableFunction(Base.Module, Vaddr ? Vaddr - 1 : 0);
    return FrameCache.emplace(Key, std::vector<SiteLocation>{Base}).first->second;
  }
  auto Frames = Symbolizer->symbolizeInlinedCode(
      Base.Module, {Vaddr ? Vaddr - 1 : 0, object::SectionedAddress::UndefSection});
  if (!Frames)
    consumeError(Frames.takeError());
  else
    for (uint32_t I = Frames->getNumberOfFrames(); I-- > 0;) { // outermost first
      const DILineInfo &Info = Frames->getFrame(I);
      SiteLocation L = Base;
      if (Info.FunctionName != DILineInfo::BadString)
        L.Function = Info.FunctionName;
      if (Info.FileName != DILineInfo::BadString)
        L.File = Info.FileName;
      L.Line = static_cast<int>(Info.Line);
      Out.push_back(std::move(L));
    }
  if (Out.empty())
    Out.push_back(Base);
  FrameCache.emplace(Key, Out);
  return Out;
}

SiteLocation SiteSymbolizer::lookup(uint64_t Addr, const std::vector<Mapping> &Maps) {
  SiteLocation Loc;
  if (!locate(Addr, Maps, Loc))
    return Loc;
  uint64_t Vaddr = Loc.ModuleAddress;
  auto Key = std::make_pair(Loc.Module, Vaddr);
  if (auto C = Cache.find(Key); C != Cache.end())
    return C->second;
  // A return address points after the call; look up the call itself. Inlined
  // frames: report the innermost one in the program's own code, not the
  // library header it was inlined from (std::lock_guard -> gthr-default.h).
  if (namedFromSymbolTable(Loc.Module)) {
    Loc.Function = tableFunction(Loc.Module, Vaddr ? Vaddr - 1 : 0);
    return Cache.emplace(Key, Loc).first->second;
  }
  auto Frames = Symbolizer->symbolizeInlinedCode(
      Loc.Module, {Vaddr ? Vaddr - 1 : 0, object::SectionedAddress::UndefSection});
  if (Frames && Frames->getNumberOfFrames() > 0) {
    uint32_t Pick = Frames->getNumberOfFrames() - 1; // outermost by default
    for (uint32_t I = 0; I < Frames->getNumberOfFrames(); ++I) {
      StringRef File = Frames->getFrame(I).FileName;
      if (File != DILineInfo::BadString && !File.starts_with("/usr/include/") &&
          !File.starts_with("/usr/lib/")) {
        Pick = I;
        break;
      }
    }
    const DILineInfo &Info = Frames->getFrame(Pick);
    // The function is the one the code was inlined into at that level.
    if (Info.FunctionName != DILineInfo::BadString)
      Loc.Function = Info.FunctionName;
    if (Info.FileName != DILineInfo::BadString)
      Loc.File = Info.FileName;
    Loc.Line = static_cast<int>(Info.Line);
  } else if (!Frames) {
    consumeError(Frames.takeError());
  }
  Cache.emplace(Key, Loc);
  return Loc;
}

SiteLocation SiteSymbolizer::lookupData(uint64_t Addr, const std::vector<Mapping> &Maps) {
  SiteLocation Loc;
  // The module: the mapping holding Addr, or for the anonymous rest of a
  // .bss, the file mapping right before it.
  const std::string *Path = nullptr;
  for (size_t I = 0; I < Maps.size(); ++I)
    if (Addr >= Maps[I].Start && Addr < Maps[I].End) {
      if (!Maps[I].Path.empty())
        Path = &Maps[I].Path;
      else if (I > 0 && Maps[I - 1].End == Maps[I].Start && !Maps[I - 1].Path.empty())
        Path = &Maps[I - 1].Path;
      break;
    }
  if (!Path || (*Path)[0] != '/')
    return Loc;
  // Load bias from the module's mapping of file offset 0.
  const Mapping *First = nullptr;
  for (const Mapping &M : Maps)
    if (M.Path == *Path && M.Offset == 0) {
      First = &M;
      break;
    }
  uint64_t Vaddr0;
  if (!First || !fileOffsetToVaddr(*Path, 0, Vaddr0))
    return Loc;
  Loc.Module = *Path;
  Loc.ModuleAddress = Addr - (First->Start - Vaddr0);
  auto Global = Symbolizer->symbolizeData(
      *Path, {Loc.ModuleAddress, object::SectionedAddress::UndefSection});
  if (!Global) {
    consumeError(Global.takeError());
    return Loc;
  }
  bool Inside = Loc.ModuleAddress >= Global->Start &&
                (Global->Size == 0 || Loc.ModuleAddress < Global->Start + Global->Size);
  if (Global->Name != DILineInfo::BadString && !Global->Name.empty() && Inside) {
    Loc.Function = Global->Name;
    if (!Global->DeclFile.empty() && Global->DeclFile != DILineInfo::BadString) {
      Loc.File = Global->DeclFile;
      Loc.Line = static_cast<int>(Global->DeclLine);
    }
  }
  return Loc;
}

} // namespace threadwise::collect
