#pragma once
// The exercises as the grader knows them: for each, the function the student writes, the inputs
// it is graded on, the library op that is its reference solution, and how an answer is judged.
// An answer is any callable from the exercise's arguments to its outputs (a Student): the C++
// harness wraps the function compiled from a student's file, the Python module wraps a NumPy
// function, and each exercise's reference wraps the library's op. All three are graded by the
// same code, on the same inputs, with the same checker (check::check_vjp) and its diagnoses.
//
// The student files, statements and hints are in exercises/<name>/; docs/exercises.md shows a
// session.
#include "gradlab/check/checker.hpp"

#include <armadillo>
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gradlab::exercises {

// How an argument or an output is passed: a matrix (features x samples), a column vector, class
// labels (non-negative integers, stored as doubles here) or a scalar (1 x 1).
enum class Kind { matrix, vector, labels, scalar };

struct Value {
  std::string name;
  Kind kind = Kind::matrix;
  arma::mat value;
};
using Arguments = std::vector<Value>;     // in the order of the student's signature
using Answer = std::vector<arma::mat>;    // the outputs, in the order of the exercise's outputs
using Student = std::function<Answer(const Arguments&)>;

// What an untouched student file throws (exercise::NotImplemented in C++, NotImplementedError
// in Python), as the callables report it to the grader.
struct NotImplemented : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What an answer returned that has the wrong form (not an array, a 3-D array...): "wrong shape".
struct WrongShape : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Status { todo, pass, fail };
const char* to_string(Status status);

// The grade of one answer.
struct Grade {
  std::string exercise;
  Status status = Status::fail;
  // Empty when the check ran to a verdict; otherwise what stopped it: "not implemented",
  // "does not compile", "crashed", "timed out", "threw", "wrong shape", "not finite",
  // "not found" (no function of that name in the file).
  std::string problem;
  std::string message;                   // one line (or a few) for the student
  std::optional<check::CheckResult> check;
  // The failing tensor's diagnosis ("sign", "scale", ...), else the problem, else "".
  std::string diagnosis() const;
  // The largest relative error over the checked tensors; NaN when no check ran.
  double max_rel_error() const;
};

// A grade that no check produced: todo, or what stopped the answer (Grade::problem).
Grade stopped(const std::string& exercise, Status status, std::string problem, std::string message);

nlohmann::json to_json(const Grade& grade);
Grade grade_from_json(const nlohmann::json& j);  // throws std::invalid_argument when malformed

struct Exercise {
  std::string name;        // "tanh": the folder exercises/<name>/ and the command's argument
  std::string function;    // "tanh_backward": the function the student writes
  std::string title;       // "tanh's backward pass"
  std::string source;      // "report 003, eq. (7)": where the reports derive it
  std::string derivation;  // "docs/derivations/tanh.md": the worked solution
  std::vector<std::string> arguments;  // the signature's names, in order
  std::vector<std::string> outputs;    // "dX", or "dX", "dW", "db"
  Student reference;                   // the library's op, called as a student answer
  std::function<Grade(const Student&)> grade;
};

// Every exercise, in the order of the reports' derivations.
const std::vector<Exercise>& all();
// The exercise called `name`, or nullptr.
const Exercise* find(std::string_view name);
// "relu, leaky_relu, ...": the names, for messages.
std::string names();

}  // namespace gradlab::exercises
