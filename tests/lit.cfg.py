# lit configuration shared by every suite under tests/.
# ctest passes --param build_dir=... and --param llvm_tools_dir=...
import os
import shutil
import lit.formats

config.name = "threadwise"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test", ".py", ".sh"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.local.cfg"]

src_root = os.path.dirname(os.path.abspath(__file__))
build_dir = lit_config.params.get("build_dir") or os.environ.get("THREADWISE_BUILD_DIR")
if not build_dir:
    lit_config.fatal("pass --param build_dir=<cmake build dir> (ctest does this)")
build_dir = os.path.abspath(build_dir)
tools_dir = lit_config.params.get("llvm_tools_dir", "/usr/lib/llvm-19/bin")

config.test_source_root = src_root
config.test_exec_root = os.path.join(build_dir, "tests-output")

# FileCheck, not, count, split-file come from llvm-19-tools.
config.environment["PATH"] = os.pathsep.join(
    [os.path.join(build_dir, "bin"), tools_dir, config.environment.get("PATH", os.environ["PATH"])])
for var in ["HOME", "TMPDIR", "LANG", "TERM"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["THREADWISE_RULES_DIR"] = os.path.join(os.path.dirname(src_root), "rules")
# `threadwise check -- flags` caches summaries under $XDG_CACHE_HOME: keep
# the tests' entries in the build tree, not in the user's home.
config.environment["XDG_CACHE_HOME"] = os.path.join(build_dir, "tests-output", "xdg-cache")
# Tests read plain output: no colours, no progress line.
config.environment["NO_COLOR"] = "1"

repo = os.path.dirname(src_root)
config.substitutions.append(("%threadwise", os.path.join(build_dir, "bin", "threadwise")))
config.substitutions.append(("%plugin", os.path.join(build_dir, "lib", "threadwise-plugin.so")))
config.substitutions.append(("%clangxx", os.path.join(tools_dir, "clang++")))
config.substitutions.append(("%clang", os.path.join(tools_dir, "clang")))
config.substitutions.append(("%python", shutil.which("python3") or "python3"))
config.substitutions.append(("%rules", os.path.join(repo, "rules")))
config.substitutions.append(("%examples", os.path.join(repo, "examples")))
config.substitutions.append(("%repo", repo))
config.substitutions.append(("%build", build_dir))
