"""Grades the NumPy twin of one exercise, in a process of its own (started by the grader with a
time limit, see exercises/grader/session.hpp):

    python3 runner.py NAME FILE RESULT

imports FILE, takes the exercise's function from it, grades it with gradlab.exercises.grade (the
same inputs, checker and diagnoses as the C++ file's) and writes the grade to RESULT as JSON. A
file that does not import is graded "does not compile", with the error and its line.
"""
import importlib.util
import json
import os
import resource
import sys
import traceback


def write(result, grade):
    temporary = result + ".partial"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(grade, out, indent=2)
        out.write("\n")
    os.replace(temporary, result)


def stopped(name, problem, message):
    return {"exercise": name, "status": "fail", "problem": problem, "diagnosis": problem,
            "message": message, "max_rel_error": None, "check": None}


def main():
    name, path, result = sys.argv[1:4]
    # A runaway allocation ends this process, not the machine: 4 GiB of address space.
    limit = 4 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import gradlab.exercises as exercises  # the module built beside the C++ grader

    function = exercises.function_of(name)
    try:
        spec = importlib.util.spec_from_file_location("student_" + name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except SyntaxError as e:
        write(result, stopped(name, "does not compile", "%s, line %s: SyntaxError: %s"
                              % (os.path.basename(path), e.lineno, e.msg)))
        return
    except Exception as e:  # an import that fails, or code at the top of the file that throws
        line = traceback.extract_tb(e.__traceback__)[-1].lineno
        write(result, stopped(name, "does not compile", "%s, line %s: %s: %s"
                              % (os.path.basename(path), line, type(e).__name__, e)))
        return
    student = getattr(module, function, None)
    if not callable(student):
        write(result, stopped(name, "not found", "the file defines no function %s (keep its name "
                              "and parameters as given)" % function))
        return
    write(result, json.loads(exercises.grade(name, student)))


if __name__ == "__main__":
    main()
