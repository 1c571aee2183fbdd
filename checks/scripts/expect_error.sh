#!/bin/sh
# expect_error.sh CODE NEEDLE OUT COMMAND [ARG...]
# A bad input must give one clear line and lose nothing: runs COMMAND (every "@OUT@" in its
# arguments replaced by OUT, a fresh folder) and checks that it exits with CODE, prints exactly
# one line on stderr, that line contains NEEDLE (the file, option or shape at fault), and no
# file was left in OUT (no half-written output). The line a program prints when it replaces
# OpenBLAS's generic kernels at start-up (programs/blas.hpp) is not counted: it is not the error.
code=$1 needle=$2 out=$3
shift 3
rm -rf "$out" "$out.stdout" "$out.stderr" "$out.stderr.all"
mkdir -p "$(dirname "$out")" || exit 1
n=$#
for arg in "$@"; do
  case $arg in *@OUT@*) arg=$(printf '%s\n' "$arg" | sed "s|@OUT@|$out|g") ;; esac
  set -- "$@" "$arg"
done
shift "$n"
command_line="$*"
"$@" >"$out.stdout" 2>"$out.stderr.all"
status=$?
grep -v ': running again with OPENBLAS_CORETYPE=' "$out.stderr.all" >"$out.stderr"
fail() {
  echo "FAIL: $*"
  echo "command: $command_line"
  echo "--- stderr:"; cat "$out.stderr"
  exit 1
}
[ "$status" -eq "$code" ] || fail "exit status $status, expected $code"
lines=$(wc -l <"$out.stderr")
[ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected one"
grep -qF -- "$needle" "$out.stderr" || fail "the message does not name '$needle'"
if [ -d "$out" ] && [ -n "$(find "$out" -type f | head -1)" ]; then
  find "$out" -type f
  fail "files were left in $out"
fi
echo "ok (exit $status): $(cat "$out.stderr")"
