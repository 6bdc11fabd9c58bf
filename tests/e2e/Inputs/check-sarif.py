"""Asserts what code-scanning services need from `--format=sarif` output.

usage: check-sarif.py <file> <expected results> [<source root>]
Prints one line per result: "<ruleId> <uri> <line>" for FileCheck.
"""
import json
import sys

log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "threadwise" and driver["version"], driver
rules = driver["rules"]
ids = [r["id"] for r in rules]
for r in rules:
    for key in ("id", "name", "shortDescription", "fullDescription", "helpUri", "help"):
        assert key in r, (key, r)
    assert r["defaultConfiguration"]["level"] == "warning"
if len(sys.argv) > 3:
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == "file://" + sys.argv[3].rstrip("/") + "/", root
results = run["results"]
for res in results:
    assert ids[res["ruleIndex"]] == res["ruleId"], res
    assert res["level"] == "warning"
    assert res["message"]["text"]
    assert res["partialFingerprints"]["threadwiseFingerprint/v1"]
    loc = res["locations"][0]["physicalLocation"]
    art = loc["artifactLocation"]
    if art.get("uriBaseId"):
        assert art["uriBaseId"] == "%SRCROOT%" and not art["uri"].startswith("file:"), art
    for i, rel in enumerate(res.get("relatedLocations", [])):
        assert rel["id"] == i and rel["message"]["text"], rel
    print("result %s %s %d" % (res["ruleId"], art["uri"], loc["region"]["startLine"]))
assert len(results) == int(sys.argv[2]), len(results)
print("sarif ok: %d results, %d rules" % (len(results), len(rules)))
