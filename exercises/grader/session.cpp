#include "session.hpp"

#include "exercises.hpp"
#include "grader_config.hpp"
#include "process.hpp"

#include "gradlab/io/files.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

namespace gradlab::exercises {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// A grade that no check produced, as the harness writes grades.
nlohmann::json stopped(const std::string& exercise, std::string problem, std::string message) {
  return to_json(exercises::stopped(exercise, Status::fail, std::move(problem), std::move(message)));
}

// The compiler's first error, its file named without the folder: "tanh.cpp:9:10: error: ...".
std::string first_error(const std::string& output) {
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("error:") == std::string::npos) continue;
    const std::size_t colon = line.find(':');
    const std::size_t slash = line.rfind('/', colon);
    return slash == std::string::npos ? line : line.substr(slash + 1);
  }
  std::istringstream again(output);
  std::getline(again, line);
  return line.empty() ? "(the compiler printed nothing)" : line;
}

// Compiles `sources` into the shared library `library`; empty on success, else the problem's
// grade message.
std::optional<std::string> compile(const Toolkit& kit, const std::vector<fs::path>& sources,
                                   const fs::path& library, const fs::path& work) {
  std::vector<std::string> argv{kit.compiler};
  argv.insert(argv.end(), kit.flags.begin(), kit.flags.end());
  argv.insert(argv.end(), {"-shared", "-include", kit.header.string(), "-I", kit.exercises.string()});
  for (const fs::path& s : sources) argv.push_back(s.string());
  argv.insert(argv.end(), {"-o", library.string()});
  const Finished f = run_limited(argv, kit.compile_limit, work);
  if (f.ok()) return std::nullopt;
  if (f.timed_out)
    return "the compiler was still running after " + std::to_string(int(kit.compile_limit)) + " s";
  return first_error(f.output);
}

nlohmann::json read_grade(const fs::path& result, const std::string& exercise) {
  try {
    nlohmann::json j = nlohmann::json::parse(io::read_file(result));
    (void)grade_from_json(j);  // has the fields
    return j;
  } catch (const std::exception& e) {
    return stopped(exercise, "crashed", std::string("the grade it wrote is unreadable: ") + e.what());
  }
}

// Runs `argv` (the harness or Python), which writes its grade to `result`.
nlohmann::json run_grader(const Toolkit& kit, const std::vector<std::string>& argv,
                          const std::string& exercise, const std::string& function,
                          const fs::path& result, const fs::path& work,
                          const std::vector<std::string>& environment = {}) {
  std::error_code ignored;
  fs::remove(result, ignored);
  const Finished f = run_limited(argv, kit.time_limit, work, environment);
  if (f.timed_out)
    return stopped(exercise, "timed out",
                   function + " was still running after " + std::to_string(int(kit.time_limit)) +
                       " s (an endless loop?); the limit is --time-limit");
  if (f.signal != 0)
    return stopped(exercise, "crashed", function + " crashed with " + describe_signal(f.signal));
  if (fs::exists(result)) return read_grade(result, exercise);
  std::string last;
  for (const std::string& line : split(f.output, '\n')) last = line;
  return stopped(exercise, "crashed",
                 "grading " + function + " stopped (exit status " + std::to_string(f.exit_code) +
                     ") before a grade" + (last.empty() ? "" : ": " + last));
}

const Exercise& exercise_named(const std::string& name) {
  const Exercise* e = find(name);
  if (!e) throw std::invalid_argument("no exercise '" + name + "' (the exercises: " + names() + ")");
  return *e;
}

nlohmann::json grade_compiled(const Toolkit& kit, const Submission& s, const fs::path& library,
                              const fs::path& work) {
  const Exercise& e = exercise_named(s.exercise);
  return run_grader(kit, {kit.harness.string(), s.exercise, library.string(),
                          (work / (s.exercise + ".grade.json")).string()},
                    s.exercise, e.function, work / (s.exercise + ".grade.json"), work);
}

nlohmann::json grade_python(const Toolkit& kit, const Submission& s, const fs::path& work) {
  const Exercise& e = exercise_named(s.exercise);
  const fs::path result = work / (s.exercise + ".py.grade.json");
  return run_grader(kit, {kit.python, kit.runner.string(), s.exercise, s.file.string(), result.string()},
                    s.exercise, e.function, result, work,
                    {"PYTHONPATH=" + kit.python_module.string(), "PYTHONDONTWRITEBYTECODE=1"});
}

}  // namespace

Toolkit toolkit(const char* program) {
  Toolkit kit;
  kit.exercises = GRADLAB_EXERCISES_DIR;
  kit.header = fs::path(GRADLAB_EXERCISES_PCH_DIR) / "exercise.hpp";
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) self = fs::absolute(program);
  kit.harness = self.parent_path() / "exercise-harness";
  kit.runner = fs::path(GRADLAB_EXERCISES_DIR) / "grader" / "runner.py";
  kit.python_module = GRADLAB_PYTHON_MODULE_DIR;
  kit.python = GRADLAB_PYTHON;
  kit.compiler = GRADLAB_STUDENT_COMPILER;
  kit.flags = split(GRADLAB_STUDENT_FLAGS, ';');
  return kit;
}

nlohmann::json grade_one(const Toolkit& kit, const Submission& s, const fs::path& work) {
  fs::create_directories(work);
  const Exercise& e = exercise_named(s.exercise);
  if (!fs::is_regular_file(s.file))
    return stopped(s.exercise, "not found", "no file " + s.file.string());
  if (s.python()) return grade_python(kit, s, work);
  const fs::path library = work / (s.exercise + ".so");
  if (const auto problem = compile(kit, {s.file}, library, work))
    return stopped(s.exercise, "does not compile", "does not compile: " + *problem);
  (void)e;
  return grade_compiled(kit, s, library, work);
}

nlohmann::json grade_reference(const Toolkit& kit, const std::string& name, const fs::path& work) {
  fs::create_directories(work);
  return grade_compiled(kit, {name, {}}, "--reference", work);
}

std::string grade_key(const Toolkit& kit, const Submission& s) {
  std::string material = io::read_file(s.file);
  material += '\0' + s.exercise + '\0' + io::read_file(kit.exercises / "exercise.hpp");
  std::error_code error;  // a rebuilt harness or runner grades afresh
  for (const fs::path& p : {kit.harness, kit.runner}) {
    const auto size = fs::file_size(p, error);
    const auto time = fs::last_write_time(p, error);
    material += '\0' + std::to_string(error ? 0 : size) + ':' +
                std::to_string(error ? 0 : time.time_since_epoch().count());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static const char* hex = "0123456789abcdef";
  std::string key;
  for (unsigned int i = 0; i < length; ++i) {
    key += hex[digest[i] >> 4];
    key += hex[digest[i] & 15];
  }
  return key;
}

std::vector<nlohmann::json> grade_student(const Toolkit& kit, const std::vector<Submission>& files,
                                          const fs::path& work, const fs::path& cache,
                                          std::size_t* reused) {
  fs::create_directories(work);
  std::vector<nlohmann::json> grades(files.size());
  std::vector<std::string> keys(files.size());
  std::vector<std::size_t> cpp;  // the C++ files still to grade
  auto cache_file = [&](std::size_t i) {
    return cache / (files[i].exercise + (files[i].python() ? ".py" : ".cpp") + ".json");
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!fs::is_regular_file(files[i].file)) {
      grades[i] = stopped(files[i].exercise, "not found", "no file " + files[i].file.string());
      continue;
    }
    keys[i] = grade_key(kit, files[i]);
    if (!cache.empty() && fs::exists(cache_file(i))) {
      try {
        const nlohmann::json stored = nlohmann::json::parse(io::read_file(cache_file(i)));
        if (stored.at("key") == keys[i]) {
          grades[i] = stored.at("grade");
          if (reused) ++*reused;
          continue;
        }
      } catch (const std::exception&) {  // an unreadable entry is graded afresh
      }
    }
    if (files[i].python())
      grades[i] = grade_python(kit, files[i], work);
    else
      cpp.push_back(i);
  }
  // The C++ files together: copies named after their exercises, #included by one file.
  bool together = false;
  const fs::path unity = work / "together";
  if (cpp.size() > 1) {
    fs::create_directories(unity);
    std::string all;
    for (std::size_t i : cpp) {
      fs::copy_file(files[i].file, unity / (files[i].exercise + ".cpp"),
                    fs::copy_options::overwrite_existing);
      all += "#include \"" + files[i].exercise + ".cpp\"\n";
    }
    io::write_file_atomically(unity / "all.cpp", all);
    together = !compile(kit, {unity / "all.cpp"}, unity / "all.so", work).has_value();
  }
  for (std::size_t i : cpp)
    grades[i] = together ? grade_compiled(kit, files[i], unity / "all.so", work)
                         : grade_one(kit, files[i], work);
  if (!cache.empty()) {
    fs::create_directories(cache);
    for (std::size_t i = 0; i < files.size(); ++i)
      if (!keys[i].empty())
        io::write_file_atomically(cache_file(i),
                                  nlohmann::json{{"key", keys[i]}, {"grade", grades[i]}}.dump() + "\n");
  }
  return grades;
}

std::vector<std::string> hints_of(const Toolkit& kit, const std::string& name) {
  const fs::path file = kit.exercises / name / "hints.md";
  std::vector<std::string> hints;
  std::istringstream in(io::read_file(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("## Hint", 0) == 0) {
      hints.emplace_back();
      continue;
    }
    if (!hints.empty()) hints.back() += line + "\n";
  }
  for (std::string& h : hints) {
    while (!h.empty() && (h.back() == '\n' || h.back() == ' ')) h.pop_back();
    while (!h.empty() && h.front() == '\n') h.erase(0, 1);
  }
  return hints;
}

}  // namespace gradlab::exercises
