#!/bin/sh
# blas_core.sh GRADCHECK TRAIN LAB WORK [BENCH_TRAINING]   (LAB: a lab that runs in a moment,
# lab-errata, or empty when the labs are not built)
# The BLAS's kernels at start-up (programs/blas.hpp), end to end:
#  1. generic kernels forced (GRADLAB_TEST_GENERIC_BLAS=Prescott: the program runs itself with
#     OpenBLAS on its Prescott kernels first) are replaced, on a processor with AVX2 or AVX-512,
#     by the best core for it: one line on stderr says so, OpenBLAS reports loading Prescott and
#     then that core (OPENBLAS_VERBOSE=2), and gradcheck --json records the core, who chose it
#     and what OpenBLAS had picked. On a processor without AVX2, Prescott stays, silently.
#  2. the user's OPENBLAS_CORETYPE stands: Prescott stays, no line.
#  3. a chosen core that did not take is said once and not chased (no second run).
#  4. train's and a lab's summary.json, and a benchmark's context, name the BLAS and its core
#     (the lab and the benchmark when given).
. "$(dirname "$0")/common.sh"
gradcheck=$1 train=$2 lab=$3 work=$4 bench=$5
rm -rf "$work"
mkdir -p "$work" || exit 1

# value FILE KEY: the first string value of KEY in a JSON file written with indentation
value() { sed -n "s/.*\"$2\": \"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1; }
show() { echo "--- stderr:"; cat "$work/$1.stderr"; }

# 1. forced generic kernels
GRADLAB_TEST_GENERIC_BLAS=Prescott OPENBLAS_VERBOSE=2 \
  "$gradcheck" --op relu --json "$work/forced.json" >"$work/forced.stdout" 2>"$work/forced.stderr" \
  || { show forced; fail "gradcheck with Prescott forced exited $?"; }
if [ "$(value "$work/forced.json" library)" != OpenBLAS ]; then
  echo "not checked: the BLAS is not OpenBLAS"
  exit 0
fi
cpu=$(value "$work/forced.json" cpu)
core=$(value "$work/forced.json" core)
case $cpu in
  avx512|avx2)
    case $cpu in avx512) want=SkylakeX ;; *) grep -q AuthenticAMD /proc/cpuinfo && want=Zen || want=Haswell ;; esac
    [ "$core" = "$want" ] || { show forced; fail "core '$core' after the correction on a processor with $cpu, expected $want"; }
    [ "$(value "$work/forced.json" core_chosen_by)" = gradlab ] || fail "core_chosen_by is not gradlab"
    [ "$(value "$work/forced.json" core_picked_by_openblas)" = Prescott ] || fail "core_picked_by_openblas is not Prescott"
    lines=$(grep -c "OPENBLAS_CORETYPE=$want" "$work/forced.stderr")
    [ "$lines" -eq 1 ] || { show forced; fail "$lines lines name OPENBLAS_CORETYPE=$want, expected one"; }
    grep -q "generic Prescott kernels" "$work/forced.stderr" || { show forced; fail "the line does not name the generic core"; }
    # OpenBLAS's own report: the Prescott kernels were loaded, then the chosen ones
    grep -q "Core: Prescott" "$work/forced.stderr" || { show forced; fail "OpenBLAS never ran Prescott: nothing was forced"; }
    grep -q "Core: $want" "$work/forced.stderr" || { show forced; fail "OpenBLAS did not report $want"; }
    ;;
  none)
    [ "$core" = Prescott ] || fail "core '$core' on a processor without AVX2, expected Prescott kept"
    if grep -v "^Core:" "$work/forced.stderr" | grep -q .; then show forced; fail "a line on stderr without AVX2"; fi
    ;;
  *) fail "gradcheck --json gives no cpu in its blas report (got '$cpu')" ;;
esac

# 2. the user's OPENBLAS_CORETYPE
OPENBLAS_CORETYPE=Prescott GRADLAB_TEST_GENERIC_BLAS=Prescott \
  "$gradcheck" --op relu --json "$work/user.json" >/dev/null 2>"$work/user.stderr" || fail "gradcheck with the user's core failed"
[ "$(value "$work/user.json" core)" = Prescott ] || fail "the user's OPENBLAS_CORETYPE=Prescott did not stand"
[ "$(value "$work/user.json" core_chosen_by)" = OPENBLAS_CORETYPE ] || fail "core_chosen_by is not OPENBLAS_CORETYPE"
[ ! -s "$work/user.stderr" ] || { show user; fail "a line on stderr although the user chose the core"; }

# 3. a chosen core that did not take (as if gradlab had chosen Prescott): one line, no new run
OPENBLAS_CORETYPE=Prescott GRADLAB_CORETYPE_CHOSEN=Prescott \
  "$gradcheck" --op relu --json "$work/stuck.json" >/dev/null 2>"$work/stuck.stderr" || fail "gradcheck with a stuck core failed"
if [ "$cpu" != none ]; then
  [ "$(wc -l <"$work/stuck.stderr")" -eq 1 ] || { show stuck; fail "expected one line for a core that did not take"; }
  grep -q "although OPENBLAS_CORETYPE=" "$work/stuck.stderr" || { show stuck; fail "the line does not say the core did not take"; }
fi

# 4. the reports of train, a lab and a benchmark
"$train" --dataset disk --arch 2-8-2 --samples 100 --out "$work/train" >/dev/null || fail "train failed"
set -- "$work/train/summary.json"
if [ -n "$lab" ]; then
  "$lab" --quick --out "$work/lab" >/dev/null || fail "the lab failed"
  set -- "$@" "$work/lab/summary.json"
fi
for summary in "$@"; do
  [ "$(value "$summary" library)" = "$(value "$work/user.json" library)" ] || fail "$summary does not name the BLAS"
  [ -n "$(value "$summary" core)" ] || fail "$summary does not name the BLAS's core"
  [ -n "$(value "$summary" config)" ] || fail "$summary does not give the BLAS's build"
  grep -q '"cores": [1-9]' "$summary" || fail "$summary does not give the BLAS's cores"
done
if [ -n "$bench" ]; then
  "$bench" --benchmark_filter='^train/784-100-100-10/batch:1/threads:1/' --benchmark_min_time=0.01 \
    --benchmark_format=json >"$work/bench.json" 2>/dev/null || fail "the benchmark failed"
  [ -n "$(value "$work/bench.json" blas_core)" ] || fail "the benchmark's context does not name the BLAS's core"
  [ -n "$(value "$work/bench.json" blas_version)" ] || fail "the benchmark's context does not give the BLAS's version"
fi
echo "ok: cpu $cpu, Prescott forced -> $core"
