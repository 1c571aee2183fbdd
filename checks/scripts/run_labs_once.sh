#!/bin/sh
# run_labs_once.sh RUN_LABS MAKE_INDEX WORK
# tools/run_labs.sh on stand-in labs (shell scripts named lab-*) that record what they were
# given: each lab gets the mode and --out OUT/<lab>; the first lab that says it could not have
# MNIST (status.json: "skipped": "no MNIST") is the last one allowed to download it (the labs
# after it get GRADLAB_NO_DOWNLOAD=1); a stale status.json is removed before a lab runs; run.json
# records the mode and every exit status, and make-index's summary names the failed lab and the
# skipped ones.
. "$(dirname "$0")/common.sh"
run_labs=$1 index=$2 work=$3
rm -rf "$work"
bin=$work/bin out=$work/out
mkdir -p "$bin" "$out/lab-c" || exit 1
echo '{"status": "skipped", "skipped": "no MNIST"}' >"$out/lab-c/status.json"  # from an earlier run
# lab NAME CODE SKIP: a stand-in that records its arguments and GRADLAB_NO_DOWNLOAD, then
# writes status.json (SKIP = 1: no MNIST, like a lab that found none) or summary.json.
lab() {
  cat >"$bin/$1" <<SCRIPT
#!/bin/sh
out=\$3
mkdir -p "\$out"
echo "\$* no_download=\${GRADLAB_NO_DOWNLOAD:-unset} stale=\$(test -e "\$out/status.json" && echo yes || echo no)" >>"$work/calls"
if [ $3 -eq 1 ]; then
  echo '{"lab": "$1", "mode": "quick", "status": "skipped", "skipped": "no MNIST", "how": "pass --data DIR or set GRADLAB_DATA"}' >"\$out/status.json"
else
  echo '{"lab": "$1", "mode": "quick", "seed": 1, "seeds": 1}' >"\$out/summary.json"
fi
exit $2
SCRIPT
  chmod +x "$bin/$1"
}
lab lab-a 0 0
lab lab-b 0 1
lab lab-c 0 1
lab lab-d 1 0
(unset GRADLAB_NO_DOWNLOAD; "$run_labs" "$bin" "$out" --quick >"$work/stdout" 2>"$work/stderr")
status=$?
[ $status -eq 1 ] || { cat "$work/stderr"; fail "run_labs.sh exited $status, expected 1 (lab-d failed)"; }
expect() {
  grep -qxF -- "$1" "$work/calls" || { cat "$work/calls"; fail "no call: $1"; }
}
expect "--quick --out $out/lab-a no_download=unset stale=no"
expect "--quick --out $out/lab-b no_download=unset stale=no"
expect "--quick --out $out/lab-c no_download=1 stale=no"
expect "--quick --out $out/lab-d no_download=1 stale=no"
grep -q '"mode": "quick"' "$out/run.json" || fail "run.json does not give the mode"
grep -qE '"date": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC"' "$out/run.json" || fail "run.json does not give the date"
grep -qF '"labs": {"lab-a": 0, "lab-b": 0, "lab-c": 0, "lab-d": 1}' "$out/run.json" || { cat "$out/run.json"; fail "run.json does not give the exit statuses"; }
[ ! -e "$out/run.json.tmp" ] || fail "run.json.tmp left behind"

"$index" "$out" >"$work/index.stdout" 2>&1 || { cat "$work/index.stdout"; fail "make-index failed"; }
for line in 'lab-a: ran (quick)' 'lab-b: skipped: no MNIST (quick)' 'lab-d: failed (exit 1) (quick)' \
            '2 of 4 labs skipped: no MNIST; pass --data DIR or set GRADLAB_DATA'; do
  grep -qxF -- "$line" "$work/index.stdout" || { cat "$work/index.stdout"; fail "make-index's summary lacks: $line"; }
done

"$run_labs" "$bin" "$out" --fast >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown mode is not refused with exit 2"
echo "ok"
