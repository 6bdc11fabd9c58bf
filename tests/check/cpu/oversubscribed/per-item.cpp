// One CPU-bound thread per input item (a range-for over a container) scales with the data, not the cores; a fixed pool dividing the items does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <string>
#include <thread>
#include <vector>

struct Image {
  std::vector<float> px;
  int w = 0, h = 0;
};

static void blur(Image *img) {
  for (int y = 1; y < img->h - 1; y++)
    for (int x = 1; x < img->w - 1; x++)
      img->px[y * img->w + x] = (img->px[y * img->w + x - 1] + img->px[y * img->w + x + 1]) / 2;
}

#ifdef FIXED
static void blur_chunk(std::vector<Image> *chunk) {
  for (Image &img : *chunk)
    blur(&img);
}
#endif

int main(int argc, char **argv) {
  std::vector<Image> images(argc * 100);
  std::vector<std::thread> ts;
#ifndef FIXED
  for (Image &img : images)
    ts.emplace_back(blur, &img);
  // CHECK: :[[@LINE-1]]:5: warning: one instance per item of CPU-bound thread 'blur' may run at once, as many as there are items, not cores: the threads take turns on the cores instead of running in parallel [threadwise-cpu-oversubscribed-threads]
  // CHECK: :14:3: note: 'blur' computes here: heavy loop (is a loop nest 2 deep)
#else
  unsigned n = std::thread::hardware_concurrency();
  std::vector<std::vector<Image>> chunks(n);
  for (size_t i = 0; i < images.size(); i++)
    chunks[i % n].push_back(images[i]);
  for (unsigned k = 0; k < n; k++)
    ts.emplace_back(blur_chunk, &chunks[k]);
#endif
  for (auto &t : ts)
    t.join();
  (void)argv;
}
