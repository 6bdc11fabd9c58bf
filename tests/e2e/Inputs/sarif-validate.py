"""Validates a SARIF file with the SARIF multitool, including the rules that
GitHub code scanning applies (--rule-kind Sarif;Gh). Fails on any error.

usage: sarif-validate.py <multitool> <file.sarif> <output dir>
"""
import os
import subprocess
import sys

tool, sarif, out_dir = sys.argv[1:4]
if not os.access(tool, os.X_OK):
    sys.exit("sarif-validate: %s is missing; build the 'sarif-multitool' target "
             "(cmake --build <build> --target sarif-multitool)" % tool)
out = os.path.join(out_dir, "validation.sarif")
proc = subprocess.run([tool, "validate", sarif, "--rule-kind", "Sarif;Gh", "--output", out,
                       "--log", "ForceOverwrite"], capture_output=True, text=True)
text = proc.stdout + proc.stderr
errors = [l for l in text.splitlines() if ": error " in l or " error ERR" in l]
if proc.returncode != 0 or errors or "Analysis completed successfully" not in text:
    sys.stderr.write(text)
    sys.exit("sarif-validate: %s is not valid SARIF for code scanning" % sarif)
print("sarif-validate: %s ok" % os.path.basename(sarif))
