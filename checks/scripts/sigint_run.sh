#!/bin/sh
# sigint_run.sh TRAIN LAB_DISK ROBUST_FILES WORK   (LAB_DISK empty: the labs are not built; train alone)
# Ctrl-C (SIGINT) stops a run after the current step: exit status 130, what was measured is
# written and says "interrupted", the output says where it is, and no further run starts.
train=$1 lab=$2 files=$3 work=$4
. "$(dirname "$0")/common.sh"  # fail, wait_for
rm -rf "$work"
mkdir -p "$work" || exit 1

# The train tool.
out=$work/train
"$train" --dataset disk --arch 2-16-16-2 --samples 2000 --batch 1 --epochs 1000 \
  --evals-per-epoch 10 --out "$out" >"$work/train.stdout" 2>"$work/train.stderr" &
pid=$!
wait_for "$out/history.csv" || fail "train wrote no history after 120 s"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "train exited $status after SIGINT, expected 130"
"$files" check-results "$out" || fail "train: a broken result file after SIGINT"
tail -n 1 "$out/history.csv" | grep -q ',interrupted$' || fail "train: history.csv's last row does not say interrupted"
"$files" json-has "$out/summary.json" outcome interrupted || fail "train: summary.json does not say interrupted"
grep -q "outcome: interrupted" "$work/train.stdout" || fail "train: the output does not say interrupted"
grep -qF "written to $out" "$work/train.stdout" || fail "train: the output does not say where the results are"
echo "train: interrupted cleanly: $(grep 'outcome:' "$work/train.stdout")"

# lab-disk, interrupted while its first two cells run side by side: the grid passes the signal on
# to them, each stops after its current step, no further cell starts, what ran is merged.
[ -n "$lab" ] || { echo "lab-disk: not built, not checked"; exit 0; }
out=$work/lab-disk
"$lab" --quick --jobs 2 --out "$out" >"$work/lab.stdout" 2>"$work/lab.stderr" &
pid=$!
cell=$out/cells/A-seed-1
wait_for "$cell/history.csv" || fail "lab-disk wrote no history after 120 s"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "lab-disk exited $status after SIGINT, expected 130"
"$files" check-results "$out" && "$files" check-results "$cell" || fail "lab-disk: a broken result file after SIGINT"
tail -n 1 "$cell/history.csv" | grep -q ',interrupted$' ||
  fail "lab-disk: the interrupted cell's history does not say interrupted"
[ ! -e "$out/cells/B-seed-1" ] || fail "lab-disk started another cell after SIGINT"
"$files" json-has "$out/summary.json" outcome interrupted || fail "lab-disk: summary.json does not say interrupted"
grep -q "interrupted" "$work/lab.stdout" && grep -qF "$out" "$work/lab.stdout" ||
  fail "lab-disk: the output does not say it was interrupted and where the results are"
echo "lab-disk: interrupted cleanly: $(grep interrupted "$work/lab.stdout" | tail -1)"
