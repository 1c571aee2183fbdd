#!/bin/sh
# run_labs.sh BIN OUT MODE [LAB...]: every lab in BIN (BIN/lab-*, by name), or the LABs named, in
# MODE (--quick or --full), each into OUT/<lab>/ with OUT/<lab>/README.txt saying how, when, on
# what machine and in what wall time it ran (make-index shows it), then OUT/run.json: the mode,
# the date and each lab's exit status, which make-index reads for its verdicts. ./workbench run
# and ./workbench results call it.
# MNIST is downloaded at most once: when a lab could not have it (its status.json says
# "skipped": "no MNIST", after a failed download or none), the labs after it run with
# GRADLAB_NO_DOWNLOAD=1 and skip at once, with one line each, instead of waiting on the network.
# Exit status: 1 when a lab failed (a skipped lab exits 0), 2 on bad usage.
[ $# -ge 3 ] || { echo "run_labs.sh: usage: run_labs.sh BIN OUT --quick|--full [LAB...]" >&2; exit 2; }
bin=$1 out=$2 mode=$3
shift 3
case $mode in --quick|--full) ;; *) echo "run_labs.sh: MODE must be --quick or --full, not '$mode'" >&2; exit 2 ;; esac
[ -d "$bin" ] || { echo "run_labs.sh: $bin is not a folder" >&2; exit 2; }
mkdir -p "$out" || exit 1
if [ $# -eq 0 ]; then
  set -- "$bin"/lab-*
else
  for name in "$@"; do
    [ -x "$bin/$name" ] || { echo "run_labs.sh: no lab $bin/$name" >&2; exit 2; }
  done
  names=$*
  set --
  for name in $names; do set -- "$@" "$bin/$name"; done
fi
machine="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1), $(nproc 2>/dev/null || echo '?') cores"
status=0 codes=""
for lab in "$@"; do
  [ -x "$lab" ] || continue
  name=$(basename "$lab")
  rm -f "$out/$name/status.json"  # an earlier skip; the lab writes its own when it skips
  echo
  echo "== $name $mode"
  code=0 start=$(date +%s)
  "$lab" "$mode" --out "$out/$name" || code=$?
  if [ -d "$out/$name" ]; then
    printf 'Ran as "%s %s" on %s, on %s; wall time %s s; exit status %s.\n' "$name" "$mode" \
      "$(date -u '+%Y-%m-%d %H:%M UTC')" "$machine" "$(($(date +%s) - start))" "$code" \
      >"$out/$name/README.txt.tmp" && mv -f "$out/$name/README.txt.tmp" "$out/$name/README.txt"
  fi
  [ "$code" -eq 0 ] || status=1
  codes="$codes${codes:+, }\"$name\": $code"
  if grep -qs '"skipped": "no MNIST"' "$out/$name/status.json"; then
    GRADLAB_NO_DOWNLOAD=1
    export GRADLAB_NO_DOWNLOAD
  fi
done
# The labs named: the other labs' statuses in an earlier run.json of the same mode are kept.
if [ -n "${names:-}" ] && grep -qs "\"mode\": \"${mode#--}\"" "$out/run.json"; then
  for pair in $(grep -o '"lab-[^"]*": [0-9]*' "$out/run.json" | tr -d ' '); do
    case " $names " in *" $(echo "$pair" | cut -d'"' -f2) "*) ;; *) codes="$codes${codes:+, }$(echo "$pair" | sed 's/:/: /')" ;; esac
  done
fi
# Written whole (a temporary file, then a rename), as every result file.
printf '{\n  "mode": "%s",\n  "date": "%s",\n  "labs": {%s}\n}\n' "${mode#--}" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$codes" >"$out/run.json.tmp" && mv -f "$out/run.json.tmp" "$out/run.json" || exit 1
exit $status
