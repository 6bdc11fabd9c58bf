//===- RemotePython.cpp - Python stacks of another process, like py-spy ---===//
#include "RemotePython.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <optional>
#include <sys/uio.h>
#include <unistd.h>

using namespace llvm;

namespace threadwise::collect {

int RemotePython::readMemory(void *Ctx, uint64_t Addr, void *Buf, size_t N) {
  if (Addr < 4096)
    return -1;
  pid_t Pid = static_cast<RemotePython *>(Ctx)->Pid;
  struct iovec Local = {Buf, N}, Remote = {reinterpret_cast<void *>(Addr), N};
  return process_vm_readv(Pid, &Local, 1, &Remote, 1, 0) == static_cast<ssize_t>(N) ? 0 : -1;
}

namespace {

/// A mapped ELF file of the target: where its symbols are at run time.
struct LoadedModule {
  std::string Path;
  uint64_t Start = 0, Offset = 0; ///< one file mapping: address and file offset
};

/// The module that holds the interpreter: libpython3.X.so when the program
/// links it, else the executable itself (Debian's python3.11).
std::optional<LoadedModule> interpreterModule(pid_t Pid) {
  auto Maps = MemoryBuffer::getFileAsStream("/proc/" + std::to_string(Pid) + "/maps");
  if (!Maps)
    return std::nullopt;
  char Exe[4096];
  ssize_t N = readlink(("/proc/" + std::to_string(Pid) + "/exe").c_str(), Exe, sizeof Exe - 1);
  std::string ExePath = N > 0 ? std::string(Exe, N) : "";
  std::optional<LoadedModule> ExeModule, Lib;
  SmallVector<StringRef, 0> Lines;
  (*Maps)->getBuffer().split(Lines, '\n');
  for (StringRef Line : Lines) {
    // start-end perms offset dev inode path
    SmallVector<StringRef, 6> F;
    Line.split(F, ' ', 5, false);
    if (F.size() < 6)
      continue;
    StringRef Path = F[5].trim();
    std::pair<StringRef, StringRef> Range = F[0].split('-');
    LoadedModule M;
    M.Path = Path.str();
    if (Range.first.getAsInteger(16, M.Start) || F[2].getAsInteger(16, M.Offset))
      continue;
    StringRef Base = Path.substr(Path.rfind('/') + 1);
    if (!Lib && Base.starts_with("libpython3"))
      Lib = M;
    else if (!ExeModule && Path == ExePath)
      ExeModule = M;
  }
  return Lib ? Lib : ExeModule;
}

/// Run-time addresses of the named symbols of M (0 when absent).
std::map<std::string, uint64_t> symbolAddresses(pid_t Pid, const LoadedModule &M,
                                                std::vector<std::string> Names) {
  std::map<std::string, uint64_t> Out;
  // Through the target's root: right even when it runs in another mount namespace.
  auto Bin = object::ObjectFile::createObjectFile("/proc/" + std::to_string(Pid) + "/root" +
                                                  M.Path);
  if (!Bin) {
    consumeError(Bin.takeError());
    return Out;
  }
  auto *Elf = dyn_cast<object::ELF64LEObjectFile>(Bin->getBinary());
  if (!Elf)
    return Out;
  // Load bias: the mapping's file offset lies in a PT_LOAD segment.
  int64_t Bias = 0;
  bool HaveBias = false;
  if (auto Phdrs = Elf->getELFFile().program_headers()) {
    for (const auto &P : *Phdrs)
      if (P.p_type == ELF::PT_LOAD && M.Offset >= P.p_offset &&
          M.Offset < P.p_offset + std::max<uint64_t>(P.p_filesz, 1)) {
        Bias = static_cast<int64_t>(M.Start - (P.p_vaddr + (M.Offset - P.p_offset)));
        HaveBias = true;
        break;
      }
  } else {
    consumeError(Phdrs.takeError());
  }
  if (!HaveBias)
    return Out;
  auto Scan = [&](auto Symbols) {
    for (const object::ELFSymbolRef &S : Symbols) {
      Expected<StringRef> Name = S.getName();
      if (!Name) {
        consumeError(Name.takeError());
        continue;
      }
      if (std::find(Names.begin(), Names.end(), *Name) == Names.end() || Out.count(Name->str()))
        continue;
      Expected<uint64_t> Addr = S.getAddress();
      if (!Addr) {
        consumeError(Addr.takeError());
        continue;
      }
      if (*Addr)
        Out[Name->str()] = *Addr + Bias;
    }
  };
  Scan(Elf->getDynamicSymbolIterators()); // exported: present even when stripped
  Scan(Elf->symbols());
  return Out;
}

} // namespace

std::unique_ptr<RemotePython> RemotePython::open(pid_t Pid, std::string &Why) {
  std::optional<LoadedModule> M = interpreterModule(Pid);
  if (!M) {
    Why = "not a CPython process (no libpython or python executable mapped)";
    return nullptr;
  }
  auto Syms = symbolAddresses(Pid, *M, {"_PyRuntime", "PyCode_Type", "Py_Version"});
  if (!Syms.count("_PyRuntime")) {
    Why = "no _PyRuntime symbol in " + M->Path + ": not CPython, or stripped";
    return nullptr;
  }
  std::unique_ptr<RemotePython> R(new RemotePython(Pid));
  unsigned long Version = 0;
  if (!Syms.count("Py_Version") || readMemory(R.get(), Syms["Py_Version"], &Version, sizeof Version)) {
    Why = "CPython older than 3.11 (no Py_Version), or its memory cannot be read";
    return nullptr;
  }
  R->Version = Version;
  const tw_py_offsets *Off = tw_py_offsets_for(Version);
  if (!Off) {
    Why = "CPython " + std::to_string((Version >> 24) & 0xff) + "." +
          std::to_string((Version >> 16) & 0xff) + ": no offset table in this build (3.11 only)";
    return nullptr;
  }
  R->Reader = tw_py_reader{Off, &RemotePython::readMemory, R.get(), Syms["_PyRuntime"],
                           Syms.count("PyCode_Type") ? Syms["PyCode_Type"] : 0,
                           R->FrameCache.get()};
  return R;
}

const PythonFrame *RemotePython::code(uint64_t Code, uint64_t Identity) {
  auto Key = std::make_pair(Code, Identity);
  if (auto It = Codes.find(Key); It != Codes.end())
    return &It->second;
  tw_py_code Info;
  if (tw_py_code_info(&Reader, Code, &Info))
    return nullptr;
  return &Codes.emplace(Key, PythonFrame{Info.function, Info.file, Info.first_line})
              .first->second;
}

std::vector<PythonThreadStack> RemotePython::stacks() {
  std::vector<PythonThreadStack> Out;
  tw_py_thread Threads[256];
  int N = tw_py_threads(&Reader, Threads, 256);
  for (int I = 0; I < N; ++I) {
    if (!Threads[I].frame)
      continue;
    tw_py_frame Frames[128];
    int Depth = tw_py_stack(&Reader, Threads[I].frame, Frames, 128);
    if (Depth <= 0)
      continue;
    PythonThreadStack S;
    S.Tid = static_cast<pid_t>(Threads[I].tid);
    bool Torn = false;
    for (int K = Depth; K-- > 0 && !Torn;) { // the walk is innermost first
      const PythonFrame *C = code(Frames[K].code, Frames[K].identity);
      if (!C) {
        Torn = true;
        break;
      }
      S.Frames.push_back({C->Function, C->File, Frames[K].line});
    }
    if (!Torn)
      Out.push_back(std::move(S));
  }
  return Out;
}

} // namespace threadwise::collect
