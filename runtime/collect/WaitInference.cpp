//===- WaitInference.cpp - What a thread waits for, read from /proc --------===//
#include "WaitInference.h"
#include "RecordFiles.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <linux/futex.h>
#include <sys/syscall.h>

using llvm::StringRef;

namespace threadwise::collect {

namespace {
struct BlockingCall {
  long Nr;
  const char *Name;
  int Kind;
};
} // namespace

// The blocking calls of the rule packs' I/O and sleep lists that a thread can
// be found sleeping in. Some do not exist on every architecture.
#define TW_CALL(Name, Kind) {SYS_##Name, #Name, Kind},
static const BlockingCall Calls[] = {
    TW_CALL(read, TW_IO) TW_CALL(readv, TW_IO) TW_CALL(pread64, TW_IO) TW_CALL(write, TW_IO)
    TW_CALL(writev, TW_IO) TW_CALL(pwrite64, TW_IO) TW_CALL(recvfrom, TW_IO)
    TW_CALL(recvmsg, TW_IO) TW_CALL(sendto, TW_IO) TW_CALL(sendmsg, TW_IO)
    TW_CALL(accept4, TW_IO) TW_CALL(connect, TW_IO) TW_CALL(ppoll, TW_IO)
    TW_CALL(pselect6, TW_IO) TW_CALL(epoll_pwait, TW_IO) TW_CALL(wait4, TW_IO)
    TW_CALL(waitid, TW_IO) TW_CALL(fsync, TW_IO) TW_CALL(openat, TW_IO)
    TW_CALL(io_getevents, TW_IO) TW_CALL(io_uring_enter, TW_IO)
    TW_CALL(clock_nanosleep, TW_SLEEP)
#ifdef SYS_nanosleep
    TW_CALL(nanosleep, TW_SLEEP)
#endif
#ifdef SYS_poll
    TW_CALL(poll, TW_IO) TW_CALL(select, TW_IO) TW_CALL(epoll_wait, TW_IO)
    TW_CALL(accept, TW_IO) TW_CALL(pause, TW_SLEEP)
#endif
#ifdef SYS_epoll_pwait2
    TW_CALL(epoll_pwait2, TW_IO)
#endif
};
#undef TW_CALL

/// Kernel functions a blocked thread's wchan names, for when the syscall
/// file is unreadable; matched as prefixes.
static const std::pair<const char *, int> WchanKinds[] = {
    {"futex", TW_WAIT},      {"do_sys_poll", TW_IO}, {"do_select", TW_IO},
    {"ep_poll", TW_IO},      {"pipe_read", TW_IO},   {"pipe_write", TW_IO},
    {"unix_stream", TW_IO},  {"sk_wait", TW_IO},     {"inet_csk_accept", TW_IO},
    {"wait_woken", TW_IO},   {"do_wait", TW_IO},     {"hrtimer_nanosleep", TW_SLEEP},
    {"do_nanosleep", TW_SLEEP}};

static std::optional<InferredWait> inferFutex(llvm::ArrayRef<StringRef> F, bool GilProcess) {
  uint64_t Addr = 0, Op = 0, Timeout = 0;
  if (F.size() < 5 || F[1].getAsInteger(0, Addr) || F[2].getAsInteger(0, Op) ||
      F[4].getAsInteger(0, Timeout))
    return std::nullopt;
  Op &= FUTEX_CMD_MASK;
  bool Wait = Op == FUTEX_WAIT || Op == FUTEX_WAIT_BITSET || Op == FUTEX_LOCK_PI ||
              Op == FUTEX_WAIT_REQUEUE_PI || Op == 13 /* FUTEX_LOCK_PI2 */;
  if (!Wait)
    return std::nullopt;
  InferredWait W;
  W.Call = "futex";
  W.Address = Addr;
  if (GilProcess && Timeout)
    W.Kind = TW_GIL;
  else if (Op == FUTEX_WAIT || Op == FUTEX_LOCK_PI || Op == 13)
    W.Kind = TW_LOCK; // glibc's mutexes; conditions, joins and semaphores use BITSET
  else
    W.Kind = TW_WAIT;
  return W;
}

std::optional<InferredWait> inferWait(char State, StringRef Syscall, StringRef Wchan,
                                      bool GilProcess) {
  if (State != 'S' && State != 'D')
    return std::nullopt; // running, runnable, stopped, zombie
  llvm::SmallVector<StringRef, 9> F;
  Syscall.trim().split(F, ' ', -1, false);
  long Nr = -1;
  if (!F.empty() && F[0] != "running" && !F[0].getAsInteger(10, Nr) && Nr >= 0) {
    if (Nr == SYS_futex)
      return inferFutex(F, GilProcess);
#ifdef SYS_futex_waitv
    if (Nr == SYS_futex_waitv)
      return InferredWait{TW_WAIT, "futex_waitv", 0};
#endif
    for (const BlockingCall &C : Calls)
      if (C.Nr == Nr)
        return InferredWait{C.Kind, C.Name, 0};
  }
  StringRef W = Wchan.trim();
  if (!W.empty() && W != "0")
    for (auto [Prefix, Kind] : WchanKinds)
      if (W.starts_with(Prefix))
        return InferredWait{GilProcess && Kind == TW_WAIT ? TW_GIL : Kind, W.str(), 0};
  if (State == 'D') // uninterruptible: disk or other kernel I/O
    return InferredWait{TW_IO, W.empty() || W == "0" ? "disk" : W.str(), 0};
  return std::nullopt;
}

DetectedPython detectPython(StringRef Exe, StringRef Maps) {
  DetectedPython P;
  // "python3.11", "python3.13t", "libpython3.11.so.1.0", "libpython3.13t.so".
  auto Match = [&](StringRef Name, bool Lib) {
    if (!Name.consume_front(Lib ? "libpython" : "python"))
      return false;
    StringRef Ver =
        Name.take_while([](char C) { return llvm::isDigit(C) || C == '.'; }).rtrim('.');
    Name = Name.drop_front(Ver.size());
    if (!Ver.starts_with("3.") || Ver.size() < 3)
      return false;
    bool Free = Name.consume_front("t");
    if (Lib ? !Name.starts_with(".so") : !Name.empty())
      return false;
    P.Present = true;
    P.Version = Ver.str();
    P.FreeThreaded = Free;
    P.SharedLibpython = Lib;
    return true;
  };
  for (StringRef Line : llvm::split(Maps, '\n')) {
    size_t Slash = Line.find('/');
    if (Slash != StringRef::npos && Match(llvm::sys::path::filename(Line.substr(Slash)), true))
      return P;
  }
  Match(llvm::sys::path::filename(Exe), false);
  return P;
}

} // namespace threadwise::collect
