"""Generated classes for the exercises' grader, and the grades they must get.

    make_class.py mix ANSWERS EXERCISES OUT
        OUT/class/: one student with every right answer (C++ and NumPy), one per wrong answer
        rank (wrong-1 holds each exercise's first wrong answer, wrong-2 its second, ...), one
        with the untouched student files, and one whose files do not compile, crash, hang,
        return NaN, the wrong shape or throw. OUT/expected.csv: each file's status and diagnosis.
    make_class.py large ANSWERS EXERCISES OUT --students N --seed S
        N students, each with a C++ file per exercise drawn from the right, wrong and untouched
        answers (seeded), each file made unique by a comment so that no grade is shared.
    make_class.py compare EXPECTED GRADES
        Exit 1, listing each difference, unless every file of EXPECTED has its status and
        diagnosis in GRADES (grade's grades.csv), and its scale constant where one is expected.

ANSWERS is checks/exercises/ (NAME/right.cpp, NAME/wrong-SLUG.cpp and their .py twins; a wrong
answer's first line says what it must be diagnosed as: "// expect: PATTERN [CONSTANT]  why");
EXERCISES is exercises/ (the untouched files NAME/NAME.cpp and NAME/NAME.py).
"""
import csv
import os
import random
import re
import shutil
import sys

# Files that break in their own ways: (exercise, language) -> (source, status, diagnosis).
BROKEN = {
    ("tanh", "cpp"): ('#include "exercise.hpp"\n'
                      'arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {\n'
                      '  return dY % (1 - Y2);\n}\n', "fail", "does not compile"),
    ("relu", "cpp"): ('#include "exercise.hpp"\n'
                      'arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {\n'
                      '  volatile int* nowhere = nullptr;\n  *nowhere = 1;\n  return dY;\n}\n',
                      "fail", "crashed"),
    ("sigmoid", "cpp"): ('#include "exercise.hpp"\n'
                         'arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {\n'
                         '  for (volatile int spin = 0;; spin = spin + 1) {\n  }\n  return dY;\n}\n',
                         "fail", "timed out"),
    ("mse", "cpp"): ('#include "exercise.hpp"\n'
                     'arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {\n'
                     '  return (Y - targets) * arma::datum::nan;\n}\n', "fail", "not finite"),
    ("softmax", "cpp"): ('#include "exercise.hpp"\n'
                         'arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y) {\n'
                         '  return dY.t();\n}\n', "fail", "wrong shape"),
    ("nll", "cpp"): ('#include "exercise.hpp"\n#include <stdexcept>\n'
                     'arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels) {\n'
                     '  throw std::runtime_error("lost");\n}\n', "fail", "threw"),
    ("affine", "cpp"): ('#include "exercise.hpp"\n'
                        'exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W,\n'
                        '                                      const arma::mat& X) {\n'
                        '  return {W.t() * dY, dY * X.t() + X(10, 10), arma::sum(dY, 1)};\n}\n',
                        "fail", "threw"),
    ("tanh", "py"): ("def tanh_backward(dY, Y)\n    return dY\n", "fail", "does not compile"),
    ("relu", "py"): ("import os, signal\n\ndef relu_backward(dY, X):\n"
                     "    os.kill(os.getpid(), signal.SIGSEGV)\n", "fail", "crashed"),
    ("sigmoid", "py"): ("def sigmoid_backward(dY, Y):\n    while True:\n        pass\n",
                        "fail", "timed out"),
    ("mse", "py"): ("import numpy as np\n\ndef mse_backward(Y, targets):\n"
                    "    return (Y - targets) * np.nan\n", "fail", "not finite"),
    ("softmax", "py"): ("def softmax_backward(dY, Y):\n    return dY.T\n", "fail", "wrong shape"),
    ("nll", "py"): ("def nll_backward(logprobs, labels):\n    return {}[labels[0]]\n",
                    "fail", "threw"),
}

EXPECT = re.compile(r"^\s*(?://|#)\s*expect:\s*([a-z_]+)(?:\s+(-?[0-9.]+(?:e-?[0-9]+)?))?")


def exercises_in(answers):
    return sorted(d for d in os.listdir(answers) if os.path.isfile(os.path.join(answers, d, "right.cpp")))


def wrong_answers(answers, name, language):
    folder = os.path.join(answers, name)
    return sorted(f for f in os.listdir(folder) if f.startswith("wrong-") and f.endswith("." + language))


def expectation(path):
    with open(path, encoding="utf-8") as f:
        m = EXPECT.match(f.readline())
    if not m:
        sys.exit("make_class.py: %s does not start with an 'expect: PATTERN' line" % path)
    return m.group(1), m.group(2) or ""


def put(out, student, name, language, source_path=None, text=None, suffix=""):
    folder = os.path.join(out, "class", student)
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, name + "." + language)
    if source_path:
        with open(source_path, encoding="utf-8") as f:
            text = f.read()
    with open(target, "w", encoding="utf-8") as f:
        f.write(text + suffix)


def mix(answers, exercises, out):
    rows = []
    names = exercises_in(answers)
    for name in names:
        for language in ("cpp", "py"):
            lang = "c++" if language == "cpp" else "python"
            right = os.path.join(answers, name, "right." + language)
            if os.path.exists(right):
                put(out, "right", name, language, right)
                rows.append(("right", name, lang, "pass", "", ""))
            for rank, wrong in enumerate(wrong_answers(answers, name, language), 1):
                pattern, constant = expectation(os.path.join(answers, name, wrong))
                student = "wrong-%d" % rank
                put(out, student, name, language, os.path.join(answers, name, wrong))
                rows.append((student, name, lang, "fail", pattern, constant))
            untouched = os.path.join(exercises, name, name + "." + language)
            if os.path.exists(untouched):
                put(out, "untouched", name, language, untouched)
                rows.append(("untouched", name, lang, "todo", "not implemented", ""))
    for (name, language), (text, status, diagnosis) in BROKEN.items():
        put(out, "broken \"files\"", name, language, text=text)
        rows.append(("broken \"files\"", name, "c++" if language == "cpp" else "python", status,
                     diagnosis, ""))
    write_expected(out, rows)


def large(answers, exercises, out, students, seed):
    rng = random.Random(seed)
    rows = []
    names = exercises_in(answers)
    for s in range(students):
        student = "student-%03d" % s
        for name in names:
            choices = ["right"] + wrong_answers(answers, name, "cpp") + ["untouched"]
            pick = rng.choice(choices)
            if pick == "right":
                path, status, pattern, constant = os.path.join(answers, name, "right.cpp"), "pass", "", ""
            elif pick == "untouched":
                path, status, pattern, constant = (os.path.join(exercises, name, name + ".cpp"), "todo",
                                                   "not implemented", "")
            else:
                path = os.path.join(answers, name, pick)
                pattern, constant = expectation(path)
                status = "fail"
            put(out, student, name, "cpp", path, suffix="\n// %s\n" % student)
            rows.append((student, name, "c++", status, pattern, constant))
    write_expected(out, rows)


def write_expected(out, rows):
    with open(os.path.join(out, "expected.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "exercise", "language", "status", "diagnosis", "constant"])
        w.writerows(rows)


def words(pattern):
    """An expected PATTERN as the grades name it: missing_term -> "missing term"."""
    return {"unknown": "no known pattern", "kinks_only": "only at kinks"}.get(
        pattern, pattern.replace("_", " "))


def compare(expected_path, grades_path):
    with open(grades_path, newline="", encoding="utf-8") as f:
        grades = {(r["student"], r["exercise"], r["language"]): r for r in csv.DictReader(f)}
    problems = []
    checked = 0
    with open(expected_path, newline="", encoding="utf-8") as f:
        for e in csv.DictReader(f):
            key = (e["student"], e["exercise"], e["language"])
            g = grades.get(key)
            checked += 1
            if g is None:
                problems.append("%s: not graded" % (key,))
                continue
            if g["status"] != e["status"] or g["diagnosis"] != words(e["diagnosis"]):
                problems.append("%s: expected %s/%s, graded %s/%s: %s" % (
                    key, e["status"], e["diagnosis"] or "-", g["status"], g["diagnosis"] or "-",
                    g["message"][:300]))
                continue
            if e["constant"]:
                m = re.search(r"c = (-?[0-9.]+(?:e-?[0-9]+)?)", g["message"])
                want = float(e["constant"])
                if not m or abs(float(m.group(1)) - want) > 1e-3 * max(1.0, abs(want)):
                    problems.append("%s: expected the constant %s in: %s" % (key, want, g["message"][:300]))
    for p in problems:
        print(p)
    print("%d files compared, %d differ" % (checked, len(problems)))
    return 1 if problems else 0


def main(argv):
    if len(argv) >= 4 and argv[0] == "mix":
        shutil.rmtree(os.path.join(argv[3], "class"), ignore_errors=True)
        mix(argv[1], argv[2], argv[3])
        return 0
    if len(argv) >= 4 and argv[0] == "large":
        students = int(argv[argv.index("--students") + 1]) if "--students" in argv else 200
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
        shutil.rmtree(os.path.join(argv[3], "class"), ignore_errors=True)
        large(argv[1], argv[2], argv[3], students, seed)
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
