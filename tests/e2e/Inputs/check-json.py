"""Asserts the structure of `threadwise check --format=json` output.

usage: check-json.py <file> <expected findings> [<expected errors>]
"""
import json
import sys

doc = json.load(open(sys.argv[1]))
assert doc["version"] == 1, doc
assert doc["tool"]["name"] == "threadwise", doc["tool"]
assert isinstance(doc["findings"], list) and isinstance(doc["errors"], list)
for f in doc["findings"]:
    for key in ("check", "level", "message", "file", "line", "column", "fingerprint", "notes",
                "fixes"):
        assert key in f, (key, f)
    assert f["level"] in ("warning", "error"), f
    assert f["check"].startswith("threadwise-"), f
    assert f["fingerprint"], f
    for n in f["notes"]:
        assert set(n) >= {"file", "line", "column", "message"}, n
    for x in f["fixes"]:
        assert set(x) >= {"file", "offset", "length", "replacement"}, x
for e in doc["errors"]:
    assert set(e) == {"file", "message"}, e
assert len(doc["findings"]) == int(sys.argv[2]), len(doc["findings"])
if len(sys.argv) > 3:
    assert len(doc["errors"]) == int(sys.argv[3]), doc["errors"]
print("json ok: %d findings, %d errors" % (len(doc["findings"]), len(doc["errors"])))
