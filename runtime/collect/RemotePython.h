//===- RemotePython.h - Python stacks of another process, like py-spy -----===//
//
// Reads a running CPython's thread states and frames from outside, for attach
// mode: _PyRuntime, PyCode_Type and Py_Version come from the ELF symbol table
// of the module that holds the interpreter (libpython3.X.so, else the
// executable) placed at its address in /proc/PID/maps; memory is read with
// process_vm_readv (the same ptrace access check as /proc/PID/mem, no stop);
// the walk is runtime/pystack/, the preload library's walker. The target runs
// on while it is read, so a stack can be torn: it is then dropped, not
// guessed.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_REMOTEPYTHON_H
#define THREADWISE_COLLECT_REMOTEPYTHON_H

extern "C" {
#include "tw_pystack.h"
}
#include <map>
#include <memory>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace threadwise::collect {

struct PythonFrame {
  std::string Function, File;
  int64_t Line = -1;
};

/// One Python thread: its kernel tid and stack, outermost frame first.
struct PythonThreadStack {
  pid_t Tid = 0;
  std::vector<PythonFrame> Frames;
};

class RemotePython {
public:
  /// Why nothing can be read is in Why: not CPython, a version without an
  /// offset table in this build, no symbols, no access.
  static std::unique_ptr<RemotePython> open(pid_t Pid, std::string &Why);

  /// Every thread state's current stack. Threads not running Python code
  /// (no frame) have none; torn stacks are left out.
  std::vector<PythonThreadStack> stacks();

  uint64_t version() const { return Version; } ///< Py_Version, e.g. 0x030B02F0

private:
  RemotePython(pid_t Pid) : Pid(Pid) {}
  static int readMemory(void *Ctx, uint64_t Addr, void *Buf, size_t N);
  const PythonFrame *code(uint64_t Code, uint64_t Identity);

  pid_t Pid;
  uint64_t Version = 0;
  tw_py_reader Reader{};
  /// (code, pc) -> identity and line: a warm frame costs one read, not three.
  std::unique_ptr<tw_py_frame_cache> FrameCache = std::make_unique<tw_py_frame_cache>();
  /// Names of code objects by (address, identity): read once.
  std::map<std::pair<uint64_t, uint64_t>, PythonFrame> Codes;
};

} // namespace threadwise::collect

#endif
