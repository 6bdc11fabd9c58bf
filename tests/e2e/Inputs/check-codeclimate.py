"""Asserts the structure GitLab's Code Quality report needs, and prints one line per issue.

usage: check-codeclimate.py <file> <expected issues> [<json report of the same run>]
With a JSON report, each issue's fingerprint must equal the finding's (CONVENTIONS).
"""
import json
import sys

issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list), issues
for i in issues:
    for key in ("description", "check_name", "fingerprint", "severity", "location"):
        assert i.get(key) not in (None, ""), (key, i)
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i
    assert i["check_name"].startswith("threadwise-"), i
    assert not i["location"]["path"].startswith("/"), ("path not relative", i)
    assert isinstance(i["location"]["lines"]["begin"], int) and i["location"]["lines"]["begin"] > 0
fingerprints = [i["fingerprint"] for i in issues]
assert len(set(fingerprints)) == len(fingerprints), ("fingerprints not unique", fingerprints)
assert len(issues) == int(sys.argv[2]), len(issues)
if len(sys.argv) > 3:
    findings = json.load(open(sys.argv[3]))["findings"]
    assert sorted(fingerprints) == sorted(f["fingerprint"] for f in findings)
for i in sorted(issues, key=lambda i: (i["location"]["path"], i["location"]["lines"]["begin"])):
    print("%s:%d %s %s" % (i["location"]["path"], i["location"]["lines"]["begin"], i["severity"],
                           i["check_name"]))
