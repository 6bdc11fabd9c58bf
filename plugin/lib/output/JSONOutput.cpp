//===- JSONOutput.cpp - Findings as threadwise's own JSON -----------------===//
//
// A flat, versioned format for scripts: one object per finding with its
// notes and fix-its, plus the TUs whose findings are missing. Documented in
// docs/usage.md; bump "version" on incompatible changes.
//
//===----------------------------------------------------------------------===//
#include "threadwise/Output.h"
#include "llvm/Support/JSON.h"

namespace threadwise {

static void position(llvm::json::OStream &J, const SourcePos &P) {
  J.attribute("file", P.File);
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
          J.attribute("message", F.Message);
          position(J, F.Pos);
          J.attribute("fingerprint", F.Fingerprint);
          J.attributeArray("notes", [&] {
            for (const Note &N : F.Notes)
              J.object([&] {
                position(J, N.Pos);
                J.attribute("message", N.Message);
              });
          });
          if (!F.FixDescription.empty())
            J.attribute("fixDescription", F.FixDescription);
          J.attributeArray("fixes", [&] {
            for (const FixIt &Fix : F.Fixes)
              J.object([&] {
                J.attribute("file", Fix.File);
                J.attribute("offset", Fix.Offset);
                J.attribute("length", Fix.Length);
                J.attribute("replacement", Fix.Replacement);
              });
          });
        });
    });
    J.attributeArray("errors", [&] {
      for (const ToolError &E : Opts.Errors)
        J.object([&] {
          J.attribute("file", E.File);
          J.attribute("message", E.Message);
        });
    });
  });
  OS << '\n';
}

} // namespace threadwise
