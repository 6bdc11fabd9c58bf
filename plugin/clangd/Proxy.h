//===- Proxy.h - clangd with threadwise's diagnostics merged in -----------===//
//
// Sits between the editor and the real clangd. Every message is forwarded
// unchanged, except:
//  - textDocument/publishDiagnostics from clangd gets threadwise's latest
//    diagnostics for the same URI appended (and is re-sent when threadwise
//    finishes later than clangd);
//  - the response to a textDocument/codeAction request gets threadwise's
//    quick-fixes for the requested range appended.
// The editor's buffers are mirrored from didOpen/didChange and analysed on a
// worker thread after a short debounce; a run whose buffer has changed since
// it started is discarded.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_PROXY_H
#define THREADWISE_CLANGD_PROXY_H

#include "BufferAnalyzer.h"
#include "LspTransport.h"
#include "llvm/Support/JSON.h"
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace threadwise {

class Proxy {
public:
  Proxy(BufferAnalyzer &Analyzer, lsp::MessageWriter &ToEditor, lsp::MessageWriter &ToClangd,
        std::chrono::milliseconds Debounce)
      : Analyzer(Analyzer), ToEditor(ToEditor), ToClangd(ToClangd), Debounce(Debounce) {}
  ~Proxy();

  void startWorker();
  void stopWorker();
  /// Analyses every open document again (e.g. when other TUs' summaries
  /// arrived). Thread-safe.
  void reanalyseAll();

  /// A message from the editor; Body is forwarded to clangd. False if Body is
  /// not a JSON-RPC message (the caller ends the session).
  bool fromEditor(const std::string &Body, std::string &Error);
  /// A message from clangd; forwarded to the editor, perhaps merged.
  void fromClangd(const std::string &Body);

  /// Called when the editor's "exit" arrives, before it is forwarded.
  std::function<void()> OnExit;

  bool sawShutdown() const { return SawShutdown; }
  bool sawExit() const { return SawExit; }

private:
  struct Document {
    std::string Path;
    std::string Text;
    int64_t Version = 0;
    uint64_t Generation = 0; ///< Bumped on every edit, versions may be absent.
    bool Open = false;
    /// Last diagnostics clangd published, and their version (if any).
    llvm::json::Array ClangdDiagnostics;
    std::optional<int64_t> ClangdVersion;
    bool ClangdPublished = false;
    /// threadwise's latest diagnostics and the quick-fixes that go with them.
    llvm::json::Array Diagnostics;
    std::vector<llvm::json::Object> QuickFixes; ///< CodeAction, with its range in "_range".
    /// When the pending analysis may start; unset if none is pending.
    std::optional<std::chrono::steady_clock::time_point> Due;
    /// When the buffer last changed (didOpen/didChange).
    std::optional<std::chrono::steady_clock::time_point> LastEdit;
  };

  void edited(const std::string &URI, Document &D);
  void workerLoop();
  void publishLocked(const std::string &URI, Document &D);
  void convert(const std::string &URI, Document &D, const std::vector<Finding> &Findings,
               llvm::StringRef Text);

  BufferAnalyzer &Analyzer;
  lsp::MessageWriter &ToEditor;
  lsp::MessageWriter &ToClangd;
  std::chrono::milliseconds Debounce;

  std::mutex Lock;
  std::condition_variable Wake;
  std::map<std::string, Document> Docs;
  /// codeAction requests in flight: JSON of the id -> URI and range.
  std::map<std::string, std::pair<std::string, llvm::json::Value>> CodeActionRequests;
  bool Stopping = false;
  bool SawShutdown = false;
  bool SawExit = false;
  std::thread Worker;
};

} // namespace threadwise

#endif
