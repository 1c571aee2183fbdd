#!/bin/sh
# lab_without_mnist.sh LAB MAKE_INDEX WORK [PART]
# An MNIST lab where there is none: run from an empty folder (so data/mnist is empty), with no
# folder named (GRADLAB_DATA unset) and downloads off (GRADLAB_NO_DOWNLOAD=1: nothing waits on the
# network). It must exit 0 with one line saying what it skipped and how to give it MNIST, write
# status.json saying why and how, and make-index must show that line in the lab's section.
# With PART ("part 2 (...)"), the lab runs the rest and the line names the part skipped.
. "$(dirname "$0")/common.sh"
lab=$1 index=$2 work=$3 part=${4:-}
name=$(basename "$lab")
rm -rf "$work"
mkdir -p "$work/empty" || exit 1
out=$work/out/$name
(cd "$work/empty" && env -u GRADLAB_DATA GRADLAB_NO_DOWNLOAD=1 "$lab" --quick --threads 1 --out "$out" \
  >"$work/stdout" 2>"$work/stderr.all")
status=$?
grep -v ': running again with OPENBLAS_CORETYPE=' "$work/stderr.all" >"$work/stderr"
[ $status -eq 0 ] || { cat "$work/stdout" "$work/stderr"; fail "exit $status, expected 0 (a skip is not a failure)"; }
[ ! -s "$work/stderr" ] || { cat "$work/stderr"; fail "something on stderr"; }
if [ -z "$part" ]; then
  line="$name: skipped: no MNIST (pass --data DIR or set GRADLAB_DATA)"
  [ "$(cat "$work/stdout")" = "$line" ] || { cat "$work/stdout"; fail "the output is not the one line: $line"; }
  [ ! -e "$out/summary.json" ] || fail "a skipped lab wrote summary.json"
  grep -q '"status": "skipped"' "$out/status.json" || fail "status.json does not say skipped"
else
  grep -qF "$name: $part skipped: no MNIST (pass --data DIR or set GRADLAB_DATA); " "$work/stdout" \
    || { cat "$work/stdout"; fail "no line says $part was skipped"; }
  if grep -q '^MNIST: ' "$work/stdout"; then cat "$work/stdout"; fail "a download was announced"; fi
  grep -q '"status": "partial"' "$out/status.json" || fail "status.json does not say partial"
  grep -qF "\"not_run\": \"$part\"" "$out/status.json" || fail "status.json does not name $part"
  [ -s "$out/summary.json" ] || fail "the part that ran wrote no summary.json"
fi
grep -q '"skipped": "no MNIST"' "$out/status.json" || fail "status.json does not say no MNIST"
grep -q '"how": "pass --data DIR or set GRADLAB_DATA"' "$out/status.json" || fail "status.json does not say how"
grep -q '"reason": "downloads are off: GRADLAB_NO_DOWNLOAD is set"' "$out/status.json" || fail "status.json does not say why"
grep -q '"mode": "quick"' "$out/status.json" || fail "status.json does not give the mode"

"$index" "$work/out" >/dev/null || fail "make-index failed"
grep -q 'class="skip-line">[^<]*no MNIST (downloads are off: GRADLAB_NO_DOWNLOAD is set)' "$work/out/index.html" \
  || fail "index.html does not say why $name was skipped"
echo "ok"
