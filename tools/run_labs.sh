#!/bin/sh
# run_labs.sh BIN OUT MODE: every lab in BIN (BIN/lab-*, by name) in MODE (--quick or --full),
# each into OUT/<lab>/, then OUT/run.json: the mode, the date and each lab's exit status, which
# make-index reads for its verdicts. ./workbench run calls it.
# MNIST is downloaded at most once: when a lab could not have it (its status.json says
# "skipped": "no MNIST", after a failed download or none), the labs after it run with
# GRADLAB_NO_DOWNLOAD=1 and skip at once, with one line each, instead of waiting on the network.
# Exit status: 1 when a lab failed (a skipped lab exits 0), 2 on bad usage.
[ $# -eq 3 ] || { echo "run_labs.sh: usage: run_labs.sh BIN OUT --quick|--full" >&2; exit 2; }
bin=$1 out=$2 mode=$3
case $mode in --quick|--full) ;; *) echo "run_labs.sh: MODE must be --quick or --full, not '$mode'" >&2; exit 2 ;; esac
[ -d "$bin" ] || { echo "run_labs.sh: $bin is not a folder" >&2; exit 2; }
mkdir -p "$out" || exit 1
status=0 codes=""
for lab in "$bin"/lab-*; do
  [ -x "$lab" ] || continue
  name=$(basename "$lab")
  rm -f "$out/$name/status.json"  # an earlier skip; the lab writes its own when it skips
  echo
  echo "== $name $mode"
  code=0
  "$lab" "$mode" --out "$out/$name" || code=$?
  [ "$code" -eq 0 ] || status=1
  codes="$codes${codes:+, }\"$name\": $code"
  if grep -qs '"skipped": "no MNIST"' "$out/$name/status.json"; then
    GRADLAB_NO_DOWNLOAD=1
    export GRADLAB_NO_DOWNLOAD
  fi
done
# Written whole (a temporary file, then a rename), as every result file.
printf '{\n  "mode": "%s",\n  "date": "%s",\n  "labs": {%s}\n}\n' "${mode#--}" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$codes" >"$out/run.json.tmp" && mv -f "$out/run.json.tmp" "$out/run.json" || exit 1
exit $status
