# common.sh: sourced by the fault scripts (kill_run.sh, sigint_run.sh) and doc_refs_fixture.sh.
# fail MESSAGE: print it and fail the test.
fail() { echo "FAIL: $*"; exit 1; }
# wait_for FILE: until FILE exists (at most 120 s); 1 when it never appears.
wait_for() {
  i=0
  while [ ! -e "$1" ]; do
    sleep 0.02
    i=$((i + 1))
    [ "$i" -gt 6000 ] && return 1
  done
  return 0
}
