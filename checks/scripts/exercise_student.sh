#!/bin/sh
# exercise_student.sh EXERCISE SOURCE WORK
# The student's side (the exercise program), without touching the repository's files:
#  - every shipped student file (C++ and NumPy) is listed as todo, and the progress page is written;
#  - tanh's untouched file (a copy, in a folder with a space and a quote in its name) grades todo
#    (exit 3) and says to read the statement; with a sign mistake copied in it grades FAIL (exit 1)
#    with the diagnosis sign and hint 1 next; hint 1 is printed and counted in the progress file;
#  - an unreadable progress file is set aside, never overwritten.
. "$(dirname "$0")/common.sh"
exercise=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work" || exit 1
out="$work/out"

"$exercise" --out "$out" >"$work/list.txt" 2>&1 || { cat "$work/list.txt"; fail "the list exits non-zero"; }
cat "$work/list.txt"
for name in relu leaky_relu tanh sigmoid affine softmax softmax_cross_entropy cross_entropy nll mse \
            batchnorm batchnorm_staged dropout momentum network; do
  grep -q "^$name  *todo " "$work/list.txt" || fail "$name is not listed as todo"
done
grep -q "0 of 15 passing" "$work/list.txt" || fail "the count of passing exercises is missing"
[ -f "$out/exercises/table-progress.csv" ] || fail "no progress table for the index page"
"$exercise" --python --out "$out" >"$work/list-py.txt" 2>&1 || { cat "$work/list-py.txt"; fail "the NumPy list exits non-zero"; }
[ "$(grep -c ' todo ' "$work/list-py.txt")" -eq 15 ] || { cat "$work/list-py.txt"; fail "not every NumPy twin is todo"; }

student="$work/a student's \"folder\""
mkdir -p "$student"
cp "$source/exercises/tanh/tanh.cpp" "$student/tanh.cpp"
"$exercise" tanh --file "$student/tanh.cpp" --out "$out" >"$work/todo.txt" 2>&1
status=$?
cat "$work/todo.txt"
[ "$status" -eq 3 ] || fail "the untouched file exits $status, not 3 (todo)"
grep -q "not implemented yet" "$work/todo.txt" || fail "todo is not said"
grep -q "exercises/tanh/README.md" "$work/todo.txt" || fail "the statement is not pointed to"

cp "$source/checks/exercises/tanh/wrong-sign.cpp" "$student/tanh.cpp"
"$exercise" tanh --file "$student/tanh.cpp" --out "$out" >"$work/sign.txt" 2>&1
status=$?
cat "$work/sign.txt"
[ "$status" -eq 1 ] || fail "a wrong answer exits $status, not 1"
grep -q "Diagnosis: sign" "$work/sign.txt" || fail "the sign mistake is not diagnosed"
grep -q "Worst entry dX" "$work/sign.txt" || fail "the worst entry is not shown"
grep -q "exercise tanh --hint 1" "$work/sign.txt" || fail "hint 1 is not suggested"

"$exercise" tanh --hint 1 --out "$out" >"$work/hint.txt" 2>&1 || fail "--hint 1 exits non-zero"
grep -q "hint 1 of 3" "$work/hint.txt" || fail "hint 1 is not printed"
"$exercise" tanh --file "$student/tanh.cpp" --out "$out" >"$work/sign2.txt" 2>&1
grep -q "exercise tanh --hint 2" "$work/sign2.txt" || fail "after hint 1, hint 2 is not suggested"
grep -q '"hints": 1' "$out/exercises/progress.json" || fail "the hint read is not in progress.json"
grep -q '"attempts": 3' "$out/exercises/progress.json" || fail "the attempts are not counted"

echo "not json" >"$out/exercises/progress.json"
"$exercise" tanh --hint 2 --out "$out" >"$work/hint2.txt" 2>&1 || fail "an unreadable progress file stops the program"
ls "$out/exercises/" | grep -q "progress.json.unreadable-" || fail "the unreadable progress file was not kept"
grep -q '"hints": 2' "$out/exercises/progress.json" || fail "progress did not start afresh"
echo "ok"
