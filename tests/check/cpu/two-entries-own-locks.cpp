// Two different threads computing under the same mutex serialize; with a mutex each they do not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

std::mutex audio_mutex;
#ifdef FIXED
std::mutex video_mutex;
#else
#define video_mutex audio_mutex
#endif
float audio[4096], video[4096];

void encode_audio(int frames) {
  std::lock_guard<std::mutex> g(audio_mutex);
  for (int f = 0; f < frames; f++)
    // CHECK-DAG: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'audio_mutex', which thread 'encode_video' also holds while computing: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    audio[f % 4096] = audio[f % 4096] * 0.9f + f;
}

void encode_video(int frames) {
  std::lock_guard<std::mutex> g(video_mutex);
  for (int f = 0; f < frames; f++)
    // CHECK-DAG: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'audio_mutex', which thread 'encode_audio' also holds while computing: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    video[f % 4096] = video[f % 4096] * 0.5f + f;
}

int main(int argc, char **) {
  std::thread a(encode_audio, argc * 100000);
  std::thread v(encode_video, argc * 100000);
  a.join();
  v.join();
  return audio[1] > video[1];
}
