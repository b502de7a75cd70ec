#!/usr/bin/python3
# Validates banaudit JSON output against docs/report.schema.json with
# Debian's python3-jsonschema (Draft 7).
#   validate_json.py SCHEMA json FILE     one report --format json document
#   validate_json.py SCHEMA jsonl FILE    every line of report --format jsonl
# Exit 0 when valid; 1 with the errors on stderr.
import json
import sys

import jsonschema

schema_path, kind, path = sys.argv[1:4]
with open(schema_path) as f:
    schema = json.load(f)
jsonschema.Draft7Validator.check_schema(schema)
if kind == "json":
    with open(path) as f:
        docs = [json.load(f)]
    v = jsonschema.Draft7Validator(schema)
else:
    with open(path) as f:
        docs = [json.loads(line) for line in f if line.strip()]
    v = jsonschema.Draft7Validator({"$ref": "#/definitions/finding_line",
                                    "definitions": schema["definitions"]})
bad = 0
for i, d in enumerate(docs):
    for e in v.iter_errors(d):
        bad += 1
        print("%s: item %d: %s: %s" % (path, i + 1,
              "/".join(str(p) for p in e.absolute_path), e.message),
              file=sys.stderr)
sys.exit(1 if bad else 0)
