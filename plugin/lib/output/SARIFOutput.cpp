//===- SARIFOutput.cpp - Findings as SARIF 2.1.0 --------------------------===//
//
// What code-scanning services (GitHub, Azure DevOps) ingest: rule metadata
// for every enabled check, one result per finding, notes as
// relatedLocations, and partialFingerprints so that a finding keeps its
// identity across commits. URIs are relative to %SRCROOT% so that results
// from different checkouts match.
//
//===----------------------------------------------------------------------===//
#include "ValidUTF8.h"
#include "threadwise/Output.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <map>

namespace threadwise {

static bool isUnreserved(char C) {
  return llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~';
}

static std::string encodePath(llvm::StringRef Path) {
  std::string Out;
  for (char C : Path) {
    if (isUnreserved(C) || C == '/') {
      Out.push_back(C);
    } else {
      Out.push_back('%');
      Out.push_back(llvm::hexdigit((unsigned char)C >> 4, /*LowerCase=*/false));
      Out.push_back(llvm::hexdigit((unsigned char)C & 15, /*LowerCase=*/false));
    }
  }
  return Out;
}

std::string fileURI(llvm::StringRef AbsPath) {
  std::string Path = llvm::sys::path::convert_to_slash(AbsPath);
  if (!llvm::StringRef(Path).starts_with("/"))
    Path.insert(Path.begin(), '/');
  return "file://" + encodePath(Path);
}

std::string relativeURI(llvm::StringRef AbsPath, llvm::StringRef Root) {
  std::string R = llvm::sys::path::convert_to_slash(Root);
  while (R.size() > 1 && R.back() == '/')
    R.pop_back();
  std::string P = llvm::sys::path::convert_to_slash(AbsPath);
  if (R.empty() || P.size() <= R.size() + 1 || !llvm::StringRef(P).starts_with(R))
    return "";
  if (R != "/" && P[R.size()] != '/')
    return "";
  return encodePath(llvm::StringRef(P).drop_front(R == "/" ? 1 : R.size() + 1));
}

namespace {

/// "threadwise-race-unprotected-write" -> "RaceUnprotectedWrite": SARIF
/// wants rule names to be readable identifiers, distinct from the id.
std::string ruleName(llvm::StringRef Check) {
  Check.consume_front("threadwise-");
  std::string Out;
  bool Upper = true;
  for (char C : Check) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Out.push_back(Upper ? llvm::toUpper(C) : C);
    Upper = false;
  }
  return Out;
}

/// SARIF messages are sentences: code-scanning UIs show them as such.
std::string sentence(llvm::StringRef Msg) {
  std::string S = validUTF8(Msg);
  if (!S.empty())
    S[0] = llvm::toUpper(S[0]);
  if (!S.empty() && S.back() != '.' && S.back() != '?' && S.back() != '!')
    S.push_back('.');
  return S;
}

class SARIFWriter {
public:
  SARIFWriter(llvm::raw_ostream &OS, const OutputOptions &Opts) : J(OS, 2), Opts(Opts) {
    if (!Opts.SourceRoot.empty()) {
      std::string R = llvm::sys::path::convert_to_slash(Opts.SourceRoot);
      while (R.size() > 1 && R.back() == '/')
        R.pop_back();
      Root = R;
    }
  }

  void write(llvm::ArrayRef<Finding> Findings) {
    collectRules(Findings);
    J.object([&] {
      J.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      J.attribute("version", "2.1.0");
      J.attributeArray("runs", [&] { J.object([&] { run(Findings); }); });
    });
  }

private:
  void collectRules(llvm::ArrayRef<Finding> Findings) {
    auto Add = [&](llvm::StringRef Name, const CheckInfo *Info) {
      if (RuleIndex.count(Name))
        return;
      RuleIndex[Name] = Rules.size();
      Rules.push_back({Name.str(), Info});
    };
    for (const CheckInfo *C : Opts.EnabledChecks)
      Add(C->Name, C);
    for (const Finding &F : Findings)
      Add(F.Check, findCheck(F.Check));
  }

  void run(llvm::ArrayRef<Finding> Findings) {
    J.attributeObject("tool", [&] {
      J.attributeObject("driver", [&] {
        J.attribute("name", "threadwise");
        if (!Opts.ToolVersion.empty())
          J.attribute("version", Opts.ToolVersion);
        J.attribute("informationUri", "https://github.com/threadwise/threadwise");
        J.attributeArray("rules", [&] {
          for (const auto &R : Rules)
            rule(R.first, R.second);
        });
      });
    });
    if (!Root.empty())
      J.attributeObject("originalUriBaseIds", [&] {
        J.attributeObject("%SRCROOT%", [&] {
          J.attribute("uri", fileURI(Root) + (Root == "/" ? "" : "/"));
        });
      });
    J.attributeArray("invocations", [&] {
      J.object([&] {
        J.attribute("executionSuccessful", Opts.Errors.empty());
        J.attributeArray("toolExecutionNotifications", [&] {
          for (const ToolError &E : Opts.Errors)
            J.object([&] {
              J.attribute("level", "error");
              J.attributeObject("message", [&] { J.attribute("text", sentence(E.Message)); });
              if (!E.File.empty())
                J.attributeArray("locations", [&] {
                  J.object([&] {
                    J.attributeObject("physicalLocation",
                                      [&] { artifactLocation(E.File); });
                  });
                });
            });
        });
      });
    });
    J.attributeArray("results", [&] {
      for (const Finding &F : Findings)
        result(F);
    });
  }

  void rule(llvm::StringRef Id, const CheckInfo *Info) {
    J.object([&] {
      J.attribute("id", Id);
      J.attribute("name", ruleName(Id));
      if (Info) {
        J.attributeObject("shortDescription",
                          [&] { J.attribute("text", sentence(Info->Summary)); });
        J.attributeObject("fullDescription",
                          [&] { J.attribute("text", sentence(Info->Description)); });
      }
      J.attribute("helpUri", checkDocURL(Id));
      // GitHub code scanning requires a help text and shows its markdown.
      std::string Text = Info ? sentence(Info->Description) : sentence(Id);
      J.attributeObject("help", [&] {
        J.attribute("text", Text + " See " + checkDocURL(Id));
        J.attribute("markdown", Text + "\n\n[Documentation](" + checkDocURL(Id) + ")");
      });
      J.attributeObject("defaultConfiguration", [&] { J.attribute("level", "warning"); });
    });
  }

  void artifactLocation(llvm::StringRef File) {
    J.attributeObject("artifactLocation", [&] {
      std::string Rel = Root.empty() ? "" : relativeURI(File, Root);
      if (!Rel.empty()) {
        J.attribute("uri", Rel);
        J.attribute("uriBaseId", "%SRCROOT%");
      } else {
        J.attribute("uri", fileURI(File));
      }
    });
  }

  void physicalLocation(const SourcePos &P) {
    J.attributeObject("physicalLocation", [&] {
      artifactLocation(P.File);
      if (P.Line)
        J.attributeObject("region", [&] {
          J.attribute("startLine", P.Line);
          if (P.Column)
            J.attribute("startColumn", P.Column);
        });
    });
  }

  void result(const Finding &F) {
    J.object([&] {
      J.attribute("ruleId", F.Check);
      J.attribute("ruleIndex", RuleIndex.lookup(F.Check));
      bool IsError = Opts.WarningsAsErrors && Opts.WarningsAsErrors->isEnabled(F.Check);
      J.attribute("level", IsError ? "error" : "warning");
      J.attributeObject("message", [&] { J.attribute("text", sentence(F.Message)); });
      J.attributeArray("locations", [&] { J.object([&] { physicalLocation(F.Pos); }); });
      if (!F.Notes.empty())
        J.attributeArray("relatedLocations", [&] {
          unsigned Id = 0;
          for (const Note &N : F.Notes)
            J.object([&] {
              J.attribute("id", Id++);
              physicalLocation(N.Pos);
              J.attributeObject("message", [&] { J.attribute("text", sentence(N.Message)); });
            });
        });
      if (!F.Fingerprint.empty())
        J.attributeObject("partialFingerprints",
                          [&] { J.attribute("threadwiseFingerprint/v1", validUTF8(F.Fingerprint)); });
      if (!F.Fixes.empty())
        fixes(F);
    });
  }

  void fixes(const Finding &F) {
    // One artifactChange per file, in first-seen order.
    std::vector<std::string> Files;
    std::map<std::string, std::vector<const FixIt *>> ByFile;
    for (const FixIt &Fix : F.Fixes) {
      if (!ByFile.count(Fix.File))
        Files.push_back(Fix.File);
      ByFile[Fix.File].push_back(&Fix);
    }
    J.attributeArray("fixes", [&] {
      J.object([&] {
        J.attributeObject("description", [&] {
          J.attribute("text", sentence(F.FixDescription.empty() ? "Apply the suggested fix"
                                                                : F.FixDescription));
        });
        J.attributeArray("artifactChanges", [&] {
          for (const std::string &File : Files)
            J.object([&] {
              artifactLocation(File);
              J.attributeArray("replacements", [&] {
                for (const FixIt *Fix : ByFile[File])
                  J.object([&] {
                    J.attributeObject("deletedRegion", [&] {
                      J.attribute("byteOffset", Fix->Offset);
                      J.attribute("byteLength", Fix->Length);
                    });
                    J.attributeObject("insertedContent",
                                      [&] { J.attribute("text", validUTF8(Fix->Replacement)); });
                  });
              });
            });
        });
      });
    });
  }

  llvm::json::OStream J;
  const OutputOptions &Opts;
  std::string Root;
  std::vector<std::pair<std::string, const CheckInfo *>> Rules;
  llvm::StringMap<unsigned> RuleIndex;
};

} // namespace

void writeSARIF(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                const OutputOptions &Opts) {
  SARIFWriter(OS, Opts).write(Findings);
  OS << '\n';
}

} // namespace threadwise
