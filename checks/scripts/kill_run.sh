#!/bin/sh
# kill_run.sh TRAIN LAB_DISK ROBUST_FILES WORK   (LAB_DISK empty: the labs are not built; train alone)
# Results are written atomically (a temporary, then a rename) and history.csv is rewritten after
# every evaluation, so a run killed with SIGKILL at any moment leaves every result file either
# absent or complete: history.csv with its header and whole rows, summary.json that parses. A
# long run killed mid-way keeps the evaluations it finished.
train=$1 lab=$2 files=$3 work=$4
. "$(dirname "$0")/common.sh"  # fail, wait_for
rm -rf "$work"
mkdir -p "$work" || exit 1

# The train tool, killed at nine moments: at once, then at growing delays after the first
# evaluation was written. It evaluates (and writes both files) every 20 steps.
k=0
for delay in start 0 0.03 0.07 0.1 0.2 0.35 0.6 1; do
  k=$((k + 1))
  out=$work/train-$k
  "$train" --dataset disk --arch 2-16-16-2 --samples 2000 --batch 1 --epochs 1000 \
    --evals-per-epoch 100 --out "$out" >/dev/null 2>&1 &
  pid=$!
  if [ "$delay" != start ]; then
    wait_for "$out/summary.json" || fail "no summary.json after 120 s"
    sleep "$delay"
  fi
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  [ -d "$out" ] || continue
  "$files" check-results "$out" || fail "the train run killed at $delay s left a broken file"
  if [ "$delay" != start ]; then
    [ -s "$out/history.csv" ] && [ -s "$out/summary.json" ] || fail "history.csv or summary.json is missing"
    "$files" json-has "$out/summary.json" outcome running || fail "summary.json of a killed run does not say running"
  fi
done
rows=$(($(wc -l <"$out/history.csv") - 1))
[ "$rows" -ge 2 ] || fail "the run killed after 1 s kept only $rows evaluations"
echo "train: the run killed last kept $rows evaluations"

# lab-disk, its grid's process killed while its first two cells run: each cell stops after its
# current step as if interrupted (it learns of the death through PR_SET_PDEATHSIG), with its
# history whole and saying so, and starts nothing more.
[ -n "$lab" ] || { echo "lab-disk: not built, not checked"; exit 0; }
out=$work/lab-disk
"$lab" --quick --jobs 2 --out "$out" >/dev/null 2>&1 &
pid=$!
cell=$out/cells/A-seed-1
wait_for "$cell/history.csv" || fail "lab-disk wrote no history after 120 s"
sleep 0.1
kill -KILL "$pid"
wait "$pid" 2>/dev/null
wait_for "$cell/cell.json" || fail "a cell of the killed grid did not end"
"$files" check-results "$cell" || fail "lab-disk killed mid-way left a broken file"
"$files" json-has "$cell/cell.json" status interrupted || fail "a cell of the killed grid did not stop as interrupted"
rows=$(($(wc -l <"$cell/history.csv") - 1))
[ "$rows" -ge 1 ] || fail "lab-disk killed mid-way kept no evaluation"
[ ! -e "$out/cells/B-seed-1" ] || fail "a cell started after the grid was killed"
echo "lab-disk: the grid killed mid-way, its cell stopped as interrupted and kept $rows evaluations of network A"
