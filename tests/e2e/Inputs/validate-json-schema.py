"""Validates JSON documents against a JSON schema with the jsonschema package (Debian's
python3-jsonschema): the validator class the schema's "$schema" names, every error listed.

usage: validate-json-schema.py <schema.json> <document.json>...
Exit 0 when every document is valid, 1 otherwise.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
failed = False
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{path}: {where}: {e.message}")
    failed |= bool(errors)
    if not errors:
        print(f"{path}: valid against {schema.get('title', sys.argv[1])}")
sys.exit(1 if failed else 0)
