// A recursive helper reached from the thread entry: summaries reach a fixed point and find the write.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int nodes_visited;
std::mutex m;

struct Node {
  Node *left = nullptr;
  Node *right = nullptr;
};

void visit(const Node *n) {
  if (!n)
    return;
  nodes_visited++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'nodes_visited' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'nodes_visited'
  visit(n->left);
  visit(n->right);
}

void walk(const Node *root) {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  visit(root);
}

int main() {
  Node leaf, root;
  root.left = &leaf;
  std::thread a(walk, &root), b(walk, &leaf);
  a.join();
  b.join();
}
