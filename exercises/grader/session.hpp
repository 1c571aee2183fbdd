#pragma once
// Grading files: compile a student's C++ file into a shared library and grade it in the harness
// (exercise-harness), or grade a NumPy file with Python (runner.py), each in a process of its
// own with a time limit (process.hpp). What a file does (compile errors, crashes, hangs,
// exceptions, NaN) becomes a grade with its own message; nothing a file does ends the grader.
// Used by the `exercise` program (one student: exercises/<name>/) and `grade` (a class).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::exercises {

namespace fs = std::filesystem;

// Where the parts of the grader are, from the build (grader_config.hpp) and the options.
struct Toolkit {
  fs::path exercises;   // the exercises folder: exercise.hpp, <name>/README.md, hints.md
  fs::path header;      // the copy of exercise.hpp beside its precompiled header
  fs::path harness;     // exercise-harness
  fs::path runner;      // runner.py
  fs::path python_module;  // the folder holding the Python module gradlab
  std::string python;      // the Python interpreter
  std::string compiler;    // the C++ compiler
  std::vector<std::string> flags;  // for a student's file (those the header was compiled with)
  double time_limit = 10.0;        // seconds for grading one exercise
  double compile_limit = 120.0;    // seconds for one compilation
};
// The build's toolkit; `program` is argv[0] of the running program (the harness lies beside it).
Toolkit toolkit(const char* program);

// One file to grade: exercise `name`'s answer in `file` (.cpp, or .py for the NumPy twin).
struct Submission {
  std::string exercise;
  fs::path file;
  bool python() const { return file.extension() == ".py"; }
};

// The grade (exercises.hpp's to_json) of one submission; `work` is a folder for its compiled
// code and scratch files (made if missing).
nlohmann::json grade_one(const Toolkit& kit, const Submission& s, const fs::path& work);

// The grade of the library's own op for exercise `name` (exercise-harness --reference).
nlohmann::json grade_reference(const Toolkit& kit, const std::string& name, const fs::path& work);

// The grades of one student's submissions, in their order: the C++ files compiled together in
// one translation unit (one load of the precompiled header) when that compiles, else one by one
// so that each compile error is its own file's. Grades whose key (file, exercise, grader) is in
// `cache` (a folder; empty: none) are reused, and new ones stored there; `reused` (when given)
// is increased by the number of grades taken from the cache.
std::vector<nlohmann::json> grade_student(const Toolkit& kit, const std::vector<Submission>& files,
                                          const fs::path& work, const fs::path& cache,
                                          std::size_t* reused = nullptr);

// SHA-256 of the submission's bytes, its exercise and the grader's own files: equal keys give
// equal grades.
std::string grade_key(const Toolkit& kit, const Submission& s);

// The hints of exercise `name` (exercises/<name>/hints.md: "## Hint 1" ... "## Hint 3").
std::vector<std::string> hints_of(const Toolkit& kit, const std::string& name);

}  // namespace gradlab::exercises
