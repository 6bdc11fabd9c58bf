//===- RecordFiles.cpp - Read the preload library's per-process files -----===//
#include "RecordFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cstring>

using namespace llvm;

namespace threadwise::collect {

template <typename T> static bool readPod(StringRef Payload, T &Out) {
  if (Payload.size() < sizeof(T))
    return false;
  std::memcpy(&Out, Payload.data(), sizeof(T));
  return true;
}

static void readBegin(StringRef Payload, ImageRecord &R) {
  if (!readPod(Payload, R.Begin) || R.Begin.magic != TW_FORMAT_MAGIC)
    return;
  R.HasBegin = true;
  StringRef Strings = Payload.drop_front(sizeof(tw_proc_begin));
  SmallVector<StringRef, 16> Parts;
  Strings.split(Parts, '\0');
  if (!Parts.empty())
    R.Exe = Parts[0].str();
  for (size_t I = 1; I < Parts.size(); ++I)
    if (!(I + 1 == Parts.size() && Parts[I].empty())) // cmdline ends with NUL
      R.Argv.push_back(Parts[I].str());
}

Expected<ImageRecord> readImageFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read %s", Path.str().c_str());
  ImageRecord R;
  R.Path = Path.str();
  StringRef Data = (*Buf)->getBuffer();
  std::string PendingMaps;
  bool InMaps = false;
  while (Data.size() >= sizeof(tw_rec_hdr)) {
    tw_rec_hdr H;
    std::memcpy(&H, Data.data(), sizeof H);
    if (H.size < sizeof H || H.size > Data.size())
      break; // truncated by a crash
    StringRef Payload = Data.substr(sizeof H, H.size - sizeof H);
    Data = Data.drop_front(H.size);
    switch (H.type) {
    case TW_REC_PROC_BEGIN:
      readBegin(Payload, R);
      break;
    case TW_REC_THREAD: {
      tw_thread_rec T;
      if (readPod(Payload, T))
        R.Threads.push_back(T);
      break;
    }
    case TW_REC_INTERVALS: {
      tw_intervals_hdr IH;
      if (!readPod(Payload, IH))
        break;
      StringRef Rest = Payload.drop_front(sizeof IH);
      for (uint64_t I = 0; I < IH.count && Rest.size() >= sizeof(tw_interval); ++I) {
        tw_interval Iv;
        std::memcpy(&Iv, Rest.data(), sizeof Iv);
        Rest = Rest.drop_front(sizeof Iv);
        // Intervals of another thread read racily at exit can be torn: drop them.
        if (Iv.end_ns >= Iv.start_ns && Iv.kind < TW_KIND_COUNT)
          R.Intervals.push_back({IH.tid, Iv});
      }
      break;
    }
    case TW_REC_SITE: {
      tw_site_rec S;
      if (readPod(Payload, S))
        R.Sites.push_back(S);
      break;
    }
    case TW_REC_MAPS:
      if (Payload.empty()) {
        if (InMaps && !PendingMaps.empty())
          R.Maps = PendingMaps;
        PendingMaps.clear();
        InMaps = true;
      } else {
        PendingMaps += Payload.str();
      }
      break;
    case TW_REC_PROC_END: {
      tw_proc_end E;
      if (readPod(Payload, E))
        R.End = E;
      break;
    }
    case TW_REC_CHILD_EXIT: {
      tw_child_exit C;
      if (readPod(Payload, C))
        R.ChildExits.push_back(C);
      break;
    }
    case TW_REC_STACK: {
      tw_stack_rec SH;
      if (!readPod(Payload, SH) ||
          Payload.size() < sizeof SH + uint64_t(SH.nframes) * sizeof(uint64_t))
        break;
      RecordedStack &S = R.Stacks[SH.hash];
      S.Flags = SH.flags;
      S.Frames.resize(SH.nframes);
      std::memcpy(S.Frames.data(), Payload.data() + sizeof SH, SH.nframes * sizeof(uint64_t));
      break;
    }
    case TW_REC_STACK_COUNTS:
      for (StringRef Rest = Payload; Rest.size() >= sizeof(tw_stack_count);
           Rest = Rest.drop_front(sizeof(tw_stack_count))) {
        tw_stack_count C;
        std::memcpy(&C, Rest.data(), sizeof C);
        if (C.kind < TW_STACK_KIND_COUNT)
          R.StackCounts.push_back(C);
      }
      break;
    case TW_REC_FRAME: {
      tw_frame_rec FR;
      if (!readPod(Payload, FR))
        break;
      SmallVector<StringRef, 3> Parts;
      Payload.drop_front(sizeof FR).split(Parts, '\0');
      RecordedFrame &F = R.Frames[FR.id & ~TW_FRAME_INTERNED];
      F.Kind = FR.kind;
      F.Line = FR.line;
      F.Function = Parts.size() > 0 ? Parts[0].str() : "";
      F.File = Parts.size() > 1 ? Parts[1].str() : "";
      break;
    }
    default:
      break; // newer record types: skip by size
    }
  }
  if (!PendingMaps.empty())
    R.Maps = PendingMaps;
  return R;
}

std::vector<std::string> listImageFiles(StringRef Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    if (sys::path::extension(It->path()) == ".twp")
      Files.push_back(It->path());
  std::sort(Files.begin(), Files.end());
  return Files;
}

} // namespace threadwise::collect
