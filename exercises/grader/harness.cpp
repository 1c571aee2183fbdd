// exercise-harness: grades one exercise of one compiled student file, in a process of its own, so
// that a student's crash, hang or runaway allocation ends this process and not the grader (the
// `exercise` and `grade` programs start it with a time limit: grader/session.hpp).
//
//   exercise-harness NAME LIBRARY RESULT     the function of exercise NAME from the shared
//                                            library LIBRARY (a compiled student file)
//   exercise-harness NAME --reference RESULT the library's own op, graded the same way
//
// The grade is written to RESULT as JSON (atomically); exit status 0 when a grade was written.
// The student's functions are declared in exercises/exercise.hpp; here each is called through
// its declared type, found by its (extern "C") name.
#include "exercise.hpp"
#include "exercises.hpp"

#include "gradlab/io/files.hpp"

#include <dlfcn.h>

#include <iostream>
#include <map>
#include <string>

using namespace gradlab;
using exercises::Answer;
using exercises::Arguments;
using exercises::Student;

namespace {

const arma::mat& m(const Arguments& a, std::size_t i) { return a[i].value; }
arma::vec v(const Arguments& a, std::size_t i) { return arma::vectorise(a[i].value); }
arma::uvec labels(const Arguments& a, std::size_t i) {
  return arma::conv_to<arma::uvec>::from(arma::vectorise(a[i].value));
}
double x(const Arguments& a, std::size_t i) { return a[i].value(0); }

// The student's function `symbol`, with the type exercise.hpp declares for exercise `name`,
// as a Student.
template <class F>
F* as(void* symbol) {
  return reinterpret_cast<F*>(symbol);
}

Student adapt(const std::string& name, void* s) {
  if (name == "relu")
    return [f = as<decltype(relu_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "leaky_relu")
    return [f = as<decltype(leaky_relu_backward)>(s)](const Arguments& a) {
      return Answer{f(m(a, 0), m(a, 1), x(a, 2))};
    };
  if (name == "tanh")
    return [f = as<decltype(tanh_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "sigmoid")
    return [f = as<decltype(sigmoid_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "affine")
    return [f = as<decltype(affine_backward)>(s)](const Arguments& a) {
      const exercise::AffineGrads g = f(m(a, 0), m(a, 1), m(a, 2));
      return Answer{g.dX, g.dW, g.db};
    };
  if (name == "softmax")
    return [f = as<decltype(softmax_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "softmax_cross_entropy")
    return [f = as<decltype(softmax_cross_entropy_backward)>(s)](const Arguments& a) {
      return Answer{f(m(a, 0), labels(a, 1))};
    };
  if (name == "cross_entropy")
    return [f = as<decltype(cross_entropy_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "nll")
    return [f = as<decltype(nll_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), labels(a, 1))}; };
  if (name == "mse")
    return [f = as<decltype(mse_backward)>(s)](const Arguments& a) { return Answer{f(m(a, 0), m(a, 1))}; };
  if (name == "batchnorm")
    return [f = as<decltype(batchnorm_backward)>(s)](const Arguments& a) {
      const exercise::BatchNormGrads g = f(m(a, 0), m(a, 1), v(a, 2), v(a, 3));
      return Answer{g.dX, g.dgamma, g.dbeta};
    };
  if (name == "batchnorm_staged")
    return [f = as<decltype(batchnorm_staged_backward)>(s)](const Arguments& a) {
      const exercise::BatchNormGrads g = f(m(a, 0), m(a, 1), v(a, 2), x(a, 3));
      return Answer{g.dX, g.dgamma, g.dbeta};
    };
  if (name == "dropout")
    return [f = as<decltype(dropout_backward)>(s)](const Arguments& a) {
      return Answer{f(m(a, 0), m(a, 1), x(a, 2))};
    };
  if (name == "momentum")
    return [f = as<decltype(momentum_step)>(s)](const Arguments& a) {
      arma::mat W = m(a, 0), V = m(a, 1);
      f(W, V, m(a, 2), x(a, 3), x(a, 4));
      return Answer{W, V};
    };
  if (name == "network")
    return [f = as<decltype(network_backward)>(s)](const Arguments& a) {
      const exercise::NetworkGrads g = f(m(a, 0), labels(a, 1), m(a, 2), m(a, 3), m(a, 4));
      return Answer{g.dWh, g.dbh, g.dWy, g.dby};
    };
  throw std::invalid_argument("exercise-harness: no adapter for exercise '" + name + "'");
}

// An untouched body throws exercise::NotImplemented; the grader's own type says "todo".
Student translated(Student student) {
  return [student = std::move(student)](const Arguments& a) {
    try {
      return student(a);
    } catch (const exercise::NotImplemented& e) {
      throw exercises::NotImplemented(e.what());
    }
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: exercise-harness NAME LIBRARY|--reference RESULT\n";
    return 2;
  }
  const std::string name = argv[1], library = argv[2], result = argv[3];
  try {
    const exercises::Exercise* e = exercises::find(name);
    if (!e) throw std::invalid_argument("no exercise '" + name + "' (" + exercises::names() + ")");
    exercises::Grade grade;
    if (library == "--reference") {
      grade = e->grade(e->reference);
    } else if (void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL); !handle) {
      grade = exercises::stopped(name, exercises::Status::fail, "does not load",
                                 std::string("the compiled file does not load: ") + dlerror());
    } else if (void* symbol = dlsym(handle, e->function.c_str()); !symbol) {
      grade = exercises::stopped(name, exercises::Status::fail, "not found",
                      "the file defines no function " + e->function + " with the signature of "
                      "exercises/exercise.hpp (keep #include \"exercise.hpp\" at the top, and "
                      "the function's name and parameters as given)");
    } else {
      grade = e->grade(translated(adapt(name, symbol)));
    }
    io::write_file_atomically(result, to_json(grade).dump(2) + "\n");
    return 0;
  } catch (const std::exception& ex) {
    std::cerr << "exercise-harness: " << ex.what() << "\n";
    return 1;
  }
}
