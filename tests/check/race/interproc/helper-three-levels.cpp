// The racy write is three calls deep (entry -> parse -> parse_header -> note_error).
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int parse_errors;
std::mutex errors_mutex;

void note_error() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(errors_mutex);
#endif
  parse_errors++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'parse_errors' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'parse_errors'
}

bool parse_header(const char *p) {
  if (*p != '#') {
    note_error();
    return false;
  }
  return true;
}

void parse(const char *text) { parse_header(text); }

int main() {
  std::thread a(parse, "x"), b(parse, "#y");
  a.join();
  b.join();
}
