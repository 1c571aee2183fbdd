// check-test-labels: every ctest test carries exactly one label, from the suite's set, so that
// `ctest -L LABEL` runs a part of the suite and the parts together run all of it.
//   check-test-labels --allowed LABEL,LABEL,... --json FILE
// FILE is what `ctest --show-only=json-v1` prints. Exit status: 0 when every test has one
// allowed label (with a one-line count per label), 1 with one line per test at fault,
//   TEST: no label | TEST: N labels (a, b) | TEST: label 'x' is not one of a, b, ...
// or when FILE cannot be read or is not ctest's JSON, and 2 on bad usage (one line on stderr).
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* const usage = "usage: check-test-labels --allowed LABEL,LABEL,... --json FILE";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Arguments {
  std::vector<std::string> allowed;
  std::string json;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

Arguments parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg != "--allowed" && arg != "--json") throw UsageError("unknown option " + arg);
    if (i + 1 >= argc) throw UsageError(arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--allowed")
      args.allowed = split(value, ',');
    else
      args.json = value;
  }
  if (args.allowed.empty()) throw UsageError("--allowed is required (a comma-separated list)");
  if (args.json.empty()) throw UsageError("--json is required");
  return args;
}

nlohmann::json read_json(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file + ": cannot be read");
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (!j.contains("tests") || !j["tests"].is_array())
      throw std::runtime_error("no \"tests\" list");
    return j;
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": not the output of ctest --show-only=json-v1 (" + e.what() + ")");
  }
}

// The labels of one test as ctest lists them: the LABELS property, absent when there is none.
std::vector<std::string> labels_of(const nlohmann::json& test) {
  if (test.contains("properties"))
    for (const nlohmann::json& p : test["properties"])
      if (p.value("name", "") == "LABELS") return p.at("value").get<std::vector<std::string>>();
  return {};
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : ", ") + w;
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Arguments args = parse(argc, argv);
    const nlohmann::json j = read_json(args.json);
    std::map<std::string, int> counts;
    for (const std::string& label : args.allowed) counts[label] = 0;
    int faults = 0;
    for (const nlohmann::json& test : j["tests"]) {
      const std::string name = test.value("name", "(a test without a name)");
      const std::vector<std::string> labels = labels_of(test);
      std::string fault;
      if (labels.empty())
        fault = "no label";
      else if (labels.size() > 1)
        fault = std::to_string(labels.size()) + " labels (" + joined(labels) + ")";
      else if (!counts.contains(labels[0]))
        fault = "label '" + labels[0] + "' is not one of " + joined(args.allowed);
      if (fault.empty()) {
        ++counts[labels[0]];
      } else {
        std::cout << name << ": " << fault << '\n';
        ++faults;
      }
    }
    if (faults > 0) {
      std::cout << faults << " of " << j["tests"].size() << " tests without exactly one label of "
                << joined(args.allowed) << '\n';
      return 1;
    }
    std::cout << j["tests"].size() << " tests, each with one label:";
    for (const std::string& label : args.allowed) std::cout << ' ' << label << ' ' << counts[label];
    std::cout << '\n';
    return 0;
  } catch (const UsageError& e) {
    std::cerr << "check-test-labels: " << e.what() << " (" << usage << ")\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "check-test-labels: " << e.what() << '\n';
    return 1;
  }
}
