//===- Proxy.cpp - clangd with threadwise's diagnostics merged in ---------===//
#include "Proxy.h"
#include "Log.h"
#include "Documents.h"
#include "threadwise/Output.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace threadwise {
namespace {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

std::string idKey(const Value &ID) {
  std::string S;
  llvm::raw_string_ostream(S) << ID;
  return S;
}

bool samePath(llvm::StringRef A, llvm::StringRef B) {
  llvm::SmallString<256> NA(A), NB(B);
  llvm::sys::path::remove_dots(NA, true);
  llvm::sys::path::remove_dots(NB, true);
  return NA == NB || llvm::sys::fs::equivalent(NA, NB);
}

bool isIdentifierChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// The range of the token at Offset: an identifier, else one character.
Value tokenRange(llvm::StringRef Text, size_t Offset) {
  size_t End = Offset;
  while (End < Text.size() && isIdentifierChar(Text[End]))
    ++End;
  if (End == Offset && End < Text.size() && Text[End] != '\n')
    ++End;
  return Object{{"start", lsp::toJSON(lsp::positionOf(Text, Offset))},
                {"end", lsp::toJSON(lsp::positionOf(Text, End))}};
}

/// A position in a file the editor does not show us: assume ASCII columns.
Value diskRange(const SourcePos &P) {
  lsp::Position Pos{P.Line ? P.Line - 1 : 0, P.Column ? P.Column - 1 : 0};
  return Object{{"start", lsp::toJSON(Pos)}, {"end", lsp::toJSON(Pos)}};
}

bool linesOverlap(const Value *A, const Value *B) {
  const Object *RA = A ? A->getAsObject() : nullptr, *RB = B ? B->getAsObject() : nullptr;
  lsp::Position AS, AE, BS, BE;
  if (!RA || !RB || !lsp::fromJSON(RA->get("start"), AS) || !lsp::fromJSON(RA->get("end"), AE) ||
      !lsp::fromJSON(RB->get("start"), BS) || !lsp::fromJSON(RB->get("end"), BE))
    return false;
  return AS.Line <= BE.Line && BS.Line <= AE.Line;
}

std::string serialize(const Value &V) {
  std::string S;
  llvm::raw_string_ostream(S) << V;
  return S;
}

} // namespace

Proxy::~Proxy() { stopWorker(); }

void Proxy::startWorker() { Worker = std::thread([this] { workerLoop(); }); }

void Proxy::stopWorker() {
  {
    std::lock_guard<std::mutex> G(Lock);
    Stopping = true;
  }
  Wake.notify_all();
  if (Worker.joinable())
    Worker.join();
}

void Proxy::reanalyseAll() {
  std::lock_guard<std::mutex> G(Lock);
  for (auto &[URI, D] : Docs)
    if (D.Open && !D.Path.empty() && !D.Due)
      D.Due = std::chrono::steady_clock::now();
  Wake.notify_all();
}

// The debounce is leading-edge: the first edit after a pause is analysed at
// once, and only edits that follow each other within the debounce (typing)
// wait for it. A burst costs at most one extra run, dropped as stale; a single
// edit (a save, a paste, a quick fix) gets its findings a debounce sooner.
void Proxy::edited(const std::string &URI, Document &D) {
  ++D.Generation;
  auto Now = std::chrono::steady_clock::now();
  bool Burst = D.LastEdit && Now - *D.LastEdit < Debounce;
  D.LastEdit = Now;
  D.Due = Burst ? Now + Debounce : Now;
  Wake.notify_all();
}

bool Proxy::fromEditor(const std::string &Body, std::string &Error) {
  llvm::Expected<Value> Parsed = llvm::json::parse(Body);
  if (!Parsed) {
    Error = "malformed JSON from the editor: " + llvm::toString(Parsed.takeError());
    return false;
  }
  const Object *Msg = Parsed->getAsObject();
  if (!Msg || (!Msg->get("method") && !Msg->get("id"))) {
    Error = "not a JSON-RPC message from the editor: " + Body.substr(0, 80);
    return false;
  }
  llvm::StringRef Method = Msg->getString("method").value_or("");
  const Object *Params = Msg->getObject("params");
  const Object *TD = Params ? Params->getObject("textDocument") : nullptr;
  std::string URI = TD ? TD->getString("uri").value_or("").str() : "";
  {
    std::lock_guard<std::mutex> G(Lock);
    if (Method == "textDocument/didOpen" && TD && !URI.empty()) {
      Document &D = Docs[URI];
      D.Path = lsp::pathFromURI(URI);
      D.Text = TD->getString("text").value_or("").str();
      D.Version = TD->getInteger("version").value_or(0);
      D.Open = true;
      if (!D.Path.empty())
        edited(URI, D);
    } else if (Method == "textDocument/didChange" && TD && Docs.count(URI)) {
      Document &D = Docs[URI];
      D.Version = TD->getInteger("version").value_or(D.Version);
      if (const Array *Changes = Params->getArray("contentChanges"))
        for (const Value &C : *Changes)
          if (const Object *CO = C.getAsObject())
            if (!lsp::applyChange(D.Text, *CO))
              logLine("threadwise-clangd: ignoring a malformed change to ", URI);
      if (!D.Path.empty())
        edited(URI, D);
    } else if (Method == "textDocument/didSave" && TD && Docs.count(URI)) {
      Document &D = Docs[URI];
      if (std::optional<llvm::StringRef> Text = Params->getString("text"))
        D.Text = Text->str();
      // Headers it includes may have been saved meanwhile.
      if (!D.Path.empty())
        edited(URI, D);
    } else if (Method == "textDocument/didClose" && TD && Docs.count(URI)) {
      Document &D = Docs[URI];
      D.Open = false;
      D.Due.reset();
      D.Diagnostics.clear();
      D.QuickFixes.clear();
    } else if (Method == "textDocument/codeAction" && Msg->get("id") && TD && Params->get("range")) {
      CodeActionRequests.insert_or_assign(idKey(*Msg->get("id")),
                                          std::make_pair(URI, *Params->get("range")));
    } else if (Method == "shutdown") {
      SawShutdown = true;
    } else if (Method == "exit") {
      SawExit = true;
    }
  }
  if (Method == "exit" && OnExit)
    OnExit();
  ToClangd.write(Body);
  return true;
}

void Proxy::fromClangd(const std::string &Body) {
  llvm::Expected<Value> Parsed = llvm::json::parse(Body);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    ToEditor.write(Body);
    return;
  }
  Object *Msg = Parsed->getAsObject();
  if (!Msg) {
    ToEditor.write(Body);
    return;
  }
  llvm::StringRef Method = Msg->getString("method").value_or("");
  if (Method == "textDocument/publishDiagnostics") {
    Object *Params = Msg->getObject("params");
    std::string URI = Params ? Params->getString("uri").value_or("").str() : "";
    if (!URI.empty()) {
      std::lock_guard<std::mutex> G(Lock);
      Document &D = Docs[URI];
      const Array *Diags = Params->getArray("diagnostics");
      D.ClangdDiagnostics = Diags ? *Diags : Array();
      D.ClangdVersion = Params->getInteger("version");
      D.ClangdPublished = true;
      publishLocked(URI, D);
      return;
    }
  } else if (Method.empty() && Msg->get("id")) {
    std::unique_lock<std::mutex> G(Lock);
    auto It = CodeActionRequests.find(idKey(*Msg->get("id")));
    if (It != CodeActionRequests.end()) {
      auto [URI, Range] = std::move(It->second);
      CodeActionRequests.erase(It);
      auto Doc = Docs.find(URI);
      Value *Result = Msg->get("result");
      if (Doc != Docs.end() && !Doc->second.QuickFixes.empty() && Result &&
          (Result->kind() == Value::Null || Result->getAsArray())) {
        if (Result->kind() == Value::Null)
          *Result = Array();
        for (const Object &Fix : Doc->second.QuickFixes)
          if (linesOverlap(Fix.get("_range"), &Range)) {
            Object Action = Fix;
            Action.erase("_range");
            Result->getAsArray()->push_back(std::move(Action));
          }
        G.unlock();
        ToEditor.write(serialize(*Parsed));
        return;
      }
    }
  }
  ToEditor.write(Body);
}

void Proxy::publishLocked(const std::string &URI, Document &D) {
  Array All = D.ClangdDiagnostics;
  for (const Value &V : D.Diagnostics)
    All.push_back(V);
  Object Params{{"uri", URI}, {"diagnostics", std::move(All)}};
  if (D.ClangdVersion)
    Params["version"] = *D.ClangdVersion;
  ToEditor.write(serialize(Object{{"jsonrpc", "2.0"},
                                  {"method", "textDocument/publishDiagnostics"},
                                  {"params", std::move(Params)}}));
}

void Proxy::convert(const std::string &URI, Document &D, const std::vector<Finding> &Findings,
                    llvm::StringRef Text) {
  D.Diagnostics.clear();
  D.QuickFixes.clear();
  auto RangeOf = [&](const SourcePos &P) {
    return samePath(P.File, D.Path) ? tokenRange(Text, lsp::offsetOfLineColumn(Text, P.Line, P.Column))
                                    : diskRange(P);
  };
  for (const Finding &F : Findings) {
    if (!F.Pos.valid() || !samePath(F.Pos.File, D.Path))
      continue; // Findings in headers belong to the header's document.
    Value Range = RangeOf(F.Pos);
    Object Diag{{"range", Range},
                {"severity", 2},
                {"source", "threadwise"},
                {"code", F.Check},
                {"codeDescription", Object{{"href", checkDocURL(F.Check)}}},
                {"message", F.Message}};
    Array Related;
    for (const Note &N : F.Notes) {
      if (!N.Pos.valid())
        continue;
      std::string NoteURI = samePath(N.Pos.File, D.Path) ? URI : fileURI(N.Pos.File);
      Related.push_back(Object{{"location", Object{{"uri", NoteURI}, {"range", RangeOf(N.Pos)}}},
                               {"message", N.Message}});
    }
    if (!Related.empty())
      Diag["relatedInformation"] = std::move(Related);
    // Quick-fixes for edits in this buffer; others would need the file's text.
    Array Edits;
    bool AllHere = !F.Fixes.empty();
    for (const FixIt &Fix : F.Fixes) {
      if (!samePath(Fix.File, D.Path) || Fix.Offset + Fix.Length > Text.size()) {
        AllHere = false;
        break;
      }
      Edits.push_back(Object{
          {"range", Object{{"start", lsp::toJSON(lsp::positionOf(Text, Fix.Offset))},
                           {"end", lsp::toJSON(lsp::positionOf(Text, Fix.Offset + Fix.Length))}}},
          {"newText", Fix.Replacement}});
    }
    if (AllHere) {
      Array FixedDiagnostics;
      FixedDiagnostics.push_back(Object(Diag));
      std::string Title = F.FixDescription.empty() ? "apply threadwise fix-it" : F.FixDescription;
      D.QuickFixes.push_back(Object{
          {"title", Title + " [" + F.Check + "]"},
          {"kind", "quickfix"},
          {"diagnostics", std::move(FixedDiagnostics)},
          {"edit", Object{{"changes", Object{{URI, std::move(Edits)}}}}},
          {"_range", Range}});
    }
    D.Diagnostics.push_back(std::move(Diag));
  }
}

void Proxy::workerLoop() {
  std::unique_lock<std::mutex> G(Lock);
  while (!Stopping) {
    // The document whose debounce ends first.
    std::string URI;
    std::chrono::steady_clock::time_point Due;
    for (auto &[U, D] : Docs)
      if (D.Open && D.Due && (URI.empty() || *D.Due < Due)) {
        URI = U;
        Due = *D.Due;
      }
    if (URI.empty()) {
      Wake.wait(G);
      continue;
    }
    if (std::chrono::steady_clock::now() < Due) {
      Wake.wait_until(G, Due);
      continue;
    }
    Document &D = Docs[URI];
    D.Due.reset();
    std::string Path = D.Path, Text = D.Text;
    uint64_t Generation = D.Generation;
    G.unlock();
    auto Start = std::chrono::steady_clock::now();
    BufferResult R = Analyzer.analyze(Path, Text);
    std::chrono::duration<double> Took = std::chrono::steady_clock::now() - Start;
    logLine(llvm::formatv("threadwise-clangd: analysed {0} in {1:F2} s ({2}, {3} other TUs)",
                          llvm::sys::path::filename(Path), Took.count(),
                          R.UsedPreamble ? "preamble reused" : "no preamble", R.OtherTUs));
    G.lock();
    auto It = Docs.find(URI);
    if (It == Docs.end() || !It->second.Open || It->second.Generation != Generation)
      continue; // Stale: the buffer changed or closed meanwhile.
    if (R.State != BufferResult::Analysed) {
      // Keep the last findings: a buffer mid-edit often does not parse.
      logLine("threadwise-clangd: ", Path, ": ", R.Error, "; threadwise diagnostics not updated");
      continue;
    }
    convert(URI, It->second, R.Findings, Text);
    publishLocked(URI, It->second);
  }
}

} // namespace threadwise
