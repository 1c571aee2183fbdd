#!/bin/sh
# determinism.sh LAB_DISK ROBUST_FILES WORK
# The same seed gives the same results: lab-disk in quick mode, run twice with --seed 5 into two
# folders, writes byte-identical CSVs (the "seconds" column aside), gnuplot scripts and titles,
# and the same summary.json (its timing fields aside).
lab=$1 files=$2 work=$3
rm -rf "$work"
mkdir -p "$work" || exit 1
"$lab" --quick --seed 5 --out "$work/first" >/dev/null || { echo "FAIL: the first run failed"; exit 1; }
"$lab" --quick --seed 5 --out "$work/second" >/dev/null || { echo "FAIL: the second run failed"; exit 1; }
"$files" compare-results "$work/first" "$work/second"
