#!/bin/sh
# The label check can fail: check-test-labels, given a ctest listing with a test without a
# label, one with two labels and one with a label outside the set, exits 1 naming each of them
# and not the test that is labelled right; the right listing alone passes.
#   test_labels_fixture.sh CHECK_TEST_LABELS WORK_FOLDER
set -u
. "$(dirname "$0")/common.sh"
tool=$1
work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
test_entry() {  # NAME [LABEL...]: one test of ctest's json-v1 listing
  name=$1
  shift
  if [ $# -eq 0 ]; then
    printf '{"name": "%s", "properties": [{"name": "TIMEOUT", "value": 60}]}' "$name"
  else
    printf '{"name": "%s", "properties": [{"name": "LABELS", "value": [' "$name"
    sep=
    for label in "$@"; do printf '%s"%s"' "$sep" "$label"; sep=', '; done
    printf ']}]}'
  fi
}
{
  printf '{"kind": "ctestInfo", "tests": ['
  test_entry "right: one label" unit; printf ', '
  test_entry "bare: no label"; printf ', '
  test_entry "double: two labels" unit tool; printf ', '
  test_entry "stray: an unknown label" nightly
  printf ']}\n'
} >"$work/broken.json"
"$tool" --allowed unit,tool --json "$work/broken.json" >"$work/broken.out"
status=$?
cat "$work/broken.out"
[ "$status" -eq 1 ] || fail "exit status $status for the broken listing, expected 1"
grep -qF 'bare: no label: no label' "$work/broken.out" || fail "the test without a label is not named"
grep -qF 'double: two labels: 2 labels (unit, tool)' "$work/broken.out" || fail "the test with two labels is not named"
grep -qF "stray: an unknown label: label 'nightly' is not one of unit, tool" "$work/broken.out" ||
  fail "the test with an unknown label is not named"
grep -qF 'right: one label' "$work/broken.out" && fail "the test labelled right is named"
{ printf '{"kind": "ctestInfo", "tests": ['; test_entry "right: one label" unit; printf ']}\n'; } >"$work/right.json"
"$tool" --allowed unit,tool --json "$work/right.json" || fail "the right listing does not pass"
echo "ok: the label check fails on each kind of fault and passes the right listing"
