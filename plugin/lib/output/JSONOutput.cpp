//===- JSONOutput.cpp - Findings as threadwise's own JSON -----------------===//
//
// A flat, versioned format for scripts: one object per finding with its
// notes and fix-its, plus the TUs whose findings are missing. Documented in
// docs/usage.md; bump "version" on incompatible changes.
//
//===----------------------------------------------------------------------===//
#include "ValidUTF8.h"
#include "threadwise/Output.h"
#include "llvm/Support/JSON.h"

namespace threadwise {

static void position(llvm::json::OStream &J, const SourcePos &P) {
  J.attribute("file", validUTF8(P.File));
  J.attribute("line", P.Line);
  J.attribute("column", P.Column);
}

void writeJSON(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const OutputOptions &Opts) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("version", 1);
    J.attributeObject("tool", [&] {
      J.attribute("name", "threadwise");
      J.attribute("version", Opts.ToolVersion);
    });
    J.attributeArray("findings", [&] {
      for (const Finding &F : Findings)
        J.object([&] {
          J.attribute("check", F.Check);
          // As in SARIF: "error" for checks --warnings-as-errors promotes.
          bool IsError = Opts.WarningsAsErrors && Opts.WarningsAsErrors->isEnabled(F.Check);
          J.attribute("level", IsError ? "error" : "warning");
          J.attribute("message", validUTF8(F.Message));
          position(J, F.Pos);
          J.attribute("fingerprint", validUTF8(F.Fingerprint));
          J.attributeArray("notes", [&] {
            for (const Note &N : F.Notes)
              J.object([&] {
                position(J, N.Pos);
                J.attribute("message", validUTF8(N.Message));
              });
          });
          if (!F.FixDescription.empty())
            J.attribute("fixDescription", validUTF8(F.FixDescription));
          J.attributeArray("fixes", [&] {
            for (const FixIt &Fix : F.Fixes)
              J.object([&] {
                J.attribute("file", validUTF8(Fix.File));
                J.attribute("offset", Fix.Offset);
                J.attribute("length", Fix.Length);
                J.attribute("replacement", validUTF8(Fix.Replacement));
              });
          });
        });
    });
    J.attributeArray("errors", [&] {
      for (const ToolError &E : Opts.Errors)
        J.object([&] {
          J.attribute("file", validUTF8(E.File));
          J.attribute("message", validUTF8(E.Message));
        });
    });
  });
  OS << '\n';
}

} // namespace threadwise
