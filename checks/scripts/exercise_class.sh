#!/bin/sh
# exercise_class.sh GRADE SOURCE WORK PYTHON
# The teacher's side (the grade program) on a generated class (checks/exercises/make_class.py
# mix): the right answers pass, each wrong answer gets the diagnosis its first line expects
# (with its constant), the untouched files are todo, and files that do not compile, crash, hang,
# return NaN or the wrong shape, or throw, each get their own status, C++ and NumPy alike. A rerun
# grades nothing again.
. "$(dirname "$0")/common.sh"
grade=$1 source=$2 work=$3 python=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
"$python" "$source/checks/exercises/make_class.py" mix "$source/checks/exercises" "$source/exercises" "$work" \
  || fail "the class could not be generated"
"$grade" "$work/class" --out "$work/grades" --time-limit 3 >"$work/first.txt" 2>&1
status=$?
cat "$work/first.txt"
[ "$status" -eq 0 ] || fail "grade exits $status"
"$python" "$source/checks/exercises/make_class.py" compare "$work/expected.csv" "$work/grades/grades.csv" \
  || fail "grades differ from the expected ones (above)"
[ -s "$work/grades/summary.html" ] || fail "no summary.html"
grep -q "most common mistakes" "$work/grades/summary.html" || fail "summary.html lacks the mistakes per exercise"
"$grade" "$work/class" --out "$work/grades" --time-limit 3 >"$work/second.txt" 2>&1 || fail "the rerun failed"
grep -q "^graded 0 files" "$work/second.txt" || { cat "$work/second.txt"; fail "the rerun graded files again"; }
echo "ok"
