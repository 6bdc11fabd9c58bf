//===- SiteSymbolizer.cpp - Raw return addresses to function/file:line -----===//
#include "SiteSymbolizer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/BuildID.h"
#include "llvm/Object/ObjectFile.h"

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

std::string SiteSymbolizer::systemFunction(const std::string &Path, uint64_t Vaddr) {
  auto It = SystemSymbols.find(Path);
  if (It == SystemSymbols.end()) {
    std::vector<FunctionSymbol> Syms;
    auto Add = [&](const object::ObjectFile &O) {
      auto AddRange = [&](auto Range) {
        for (const object::ELFSymbolRef S : Range) {
          Expected<object::SymbolRef::Type> Type = S.getType();
          Expected<uint64_t> Address = S.getAddress();
          Expected<StringRef> Name = S.getName();
          if (Type && Address && Name && *Type == object::SymbolRef::ST_Function &&
              !Name->empty() && S.getSize())
            Syms.push_back({*Address, S.getSize(), Name->str()});
          if (!Type)
            consumeError(Type.takeError());
          if (!Address)
            consumeError(Address.takeError());
          if (!Name)
            consumeError(Name.takeError());
        }
      };
      if (const auto *Elf = dyn_cast<object::ELFObjectFileBase>(&O)) {
        AddRange(Elf->symbols());
        AddRange(Elf->getDynamicSymbolIterators());
      }
    };
    if (auto Bin = object::ObjectFile::createObjectFile(Path)) {
      Add(*Bin->getBinary());
      object::BuildIDRef Id = object::getBuildID(Bin->getBinary());
      if (Id.size() > 1) {
        std::string Hex = toHex(Id, /*LowerCase=*/true);
        std::string Debug = "/usr/lib/debug/.build-id/" + Hex.substr(0, 2) + "/" + Hex.substr(2) +
                            ".debug";
        if (auto Dbg = object::ObjectFile::createObjectFile(Debug))
          Add(*Dbg->getBinary());
        else
          consumeError(Dbg.takeError());
      }
    } else {
      consumeError(Bin.takeError());
    }
    llvm::sort(Syms, [](const FunctionSymbol &A, const FunctionSymbol &B) { return A.Addr < B.Addr; });
    It = SystemSymbols.emplace(Path, std::move(Syms)).first;
  }
  const std::vector<FunctionSymbol> &Syms = It->second;
  auto U = llvm::upper_bound(Syms, Vaddr,
                             [](uint64_t A, const FunctionSymbol &S) { return A < S.Addr; });
  if (U == Syms.begin() || Vaddr >= std::prev(U)->Addr + std::prev(U)->Size)
    return "";
  return llvm::demangle(std::prev(U)->Name);
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
  if (isSystemLibrary(Base.Module)) {
    Base.Function = systemFunction(Base.Module, Vaddr ? Vaddr - 1 : 0);
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
  if (isSystemLibrary(Loc.Module)) {
    Loc.Function = systemFunction(Loc.Module, Vaddr ? Vaddr - 1 : 0);
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
