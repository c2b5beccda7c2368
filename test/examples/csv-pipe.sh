#!/bin/sh
# Example: a CSV pipe from stdin to stdout with the built CLI and a policy file; the summary goes to stderr.
# Usage: csv-pipe.sh <cloak main.js> <policy.json> < input.csv > output.csv
set -eu
node "$1" anonymize - -o - --policy "$2" --quiet
