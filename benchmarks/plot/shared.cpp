// bench-plot's shared pieces (shared.hpp): reading the JSON, formatting, tables and figures.
#include "shared.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace gradlab::bench::plot {

// ---------------------------------------------------------------------------------------------
// Reading

json read_json(const fs::path& path) {
  std::ifstream in(path);
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(path.string() + " is not valid JSON");
  return j;
}

std::vector<fs::path> files(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> found;
  if (!fs::is_directory(dir)) return found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind(prefix, 0) == 0 && e.path().extension() == ".json")
      found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

double seconds(const json& b, const char* field) {
  const std::string unit = b.value("time_unit", "ns");
  const double scale = unit == "s" ? 1.0 : unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : 1e-9;
  return b.value(field, 0.0) * scale;
}

// "complexity/depth/backprop/depth:8/min_time:0.100/real_time" -> "complexity/depth/backprop/depth:8"
std::string clean(const std::string& name) {
  std::string out;
  std::stringstream in(name);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.rfind("min_time:", 0) == 0 || part == "real_time" || part.rfind("iterations:", 0) == 0 ||
        part.rfind("repeats:", 0) == 0 || part == "manual_time")
      continue;
    out += (out.empty() ? "" : "/") + part;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

Results load(const fs::path& dir, const std::string& prefix) {
  Results r;
  for (const fs::path& path : files(dir, prefix)) {
    const json j = read_json(path);
    if (r.files++ == 0 && j.contains("context")) r.context = j["context"];
    for (const json& b : j.value("benchmarks", json::array())) {
      const std::string key = clean(b.value("run_name", b.value("name", "")));
      if (b.value("run_type", "iteration") == "aggregate") {
        r.aggregates[key + "|" + b.value("aggregate_name", "")] = b;
        continue;
      }
      if (b.contains("error_occurred") && b["error_occurred"].get<bool>()) continue;
      Run run{seconds(b, "real_time"), seconds(b, "cpu_time"), b};
      auto it = r.runs.find(key);
      if (it == r.runs.end() || run.real < it->second.real) r.runs[key] = run;
    }
  }
  return r;
}

Reference load_reference(const fs::path& dir) {
  Reference ref;
  for (const fs::path& path : files(dir, "reference-")) {
    const json j = read_json(path);
    ref.present = true;
    ref.version = j.value("torch", "");
    for (const json& row : j.value("training", json::array())) {
      auto key = std::make_tuple(row.value("arch", ""), row.value("batch", 0),
                                 row.value("threads", 0), row.value("dtype", ""));
      auto it = ref.training.find(key);
      if (it == ref.training.end() || row.value("time_s", 1e300) < it->second.value("time_s", 1e300))
        ref.training[key] = row;
    }
    for (const json& row : j.value("conv", json::array())) {
      auto key = std::make_tuple(row.value("layer", ""), row.value("threads", 0));
      auto it = ref.conv.find(key);
      if (it == ref.conv.end() || row.value("time_s", 1e300) < it->second.value("time_s", 1e300))
        ref.conv[key] = row;
    }
    for (const json& row : j.value("gradcheck", json::array())) {
      const std::string name = row.value("name", "");
      auto it = ref.gradcheck.find(name);
      if (it == ref.gradcheck.end() || row.value("time_s", 1e300) < it->second.value("time_s", 1e300))
        ref.gradcheck[name] = row;
    }
  }
  return ref;
}

double disturbed_scaling(const Results& dgemm, const std::string& one_thread_key) {
  auto one = dgemm.runs.find(one_thread_key);
  if (one == dgemm.runs.end()) return std::nan("");
  const Run& r = one->second;
  if (!(r.counter("M") * r.counter("N") * r.counter("K") >= 1e7)) return std::nan("");
  auto two = dgemm.runs.find(one_thread_key.substr(0, one_thread_key.size() - 1) + "2");
  if (two == dgemm.runs.end()) return std::nan("");
  const double ratio = two->second.real / r.real;
  return ratio > 0.8 ? ratio : std::nan("");
}

// ---------------------------------------------------------------------------------------------
// Formatting and the targets

std::string num(double v, int digits) {
  if (!std::isfinite(v)) return "nan";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

std::string duration(double s) {
  if (!std::isfinite(s)) return "nan";
  if (s >= 1.0) return num(s) + " s";
  if (s >= 1e-3) return num(s * 1e3) + " ms";
  return num(s * 1e6) + " us";
}

std::string joined(const std::vector<std::string>& items) {
  std::string all;
  for (const std::string& item : items) all += (all.empty() ? "" : ", ") + item;
  return all;
}

std::string verdict(bool met) { return met ? "met" : "MISSED"; }

// ---------------------------------------------------------------------------------------------
// Tables and figures

std::vector<std::string> cells(std::vector<std::string> c) {
  for (std::string& cell : c) std::replace(cell.begin(), cell.end(), ',', ';');
  return c;
}

Series series(std::string data, std::string x, std::string y, std::string title,
              std::string style, std::string extra) {
  Series s;
  s.data = std::move(data);
  s.x = std::move(x);
  s.y = std::move(y);
  s.title = std::move(title);
  s.style = std::move(style);
  s.extra = std::move(extra);
  return s;
}

Figure figure(std::string name, std::string title, std::string xlabel, std::string ylabel,
              bool logx, bool logy, std::vector<std::string> commands) {
  Figure f;
  f.name = std::move(name);
  f.title = std::move(title);
  f.xlabel = std::move(xlabel);
  f.ylabel = std::move(ylabel);
  f.logx = logx;
  f.logy = logy;
  f.commands = std::move(commands);
  return f;
}

void write_table(const fs::path& dir, const std::string& name, const std::string& title,
                 const Csv& csv) {
  csv.write(dir / (name + ".csv"));
  io::write_file_atomically(dir / (name + ".csv.title"), title);
}

void print_section(const std::string& title, const Csv& csv) {
  std::cout << '\n' << title << '\n';
  text::Table t(csv.columns());
  std::stringstream text(csv.text());
  std::string line;
  std::getline(text, line);  // header
  while (std::getline(text, line)) {
    std::vector<std::string> cells = split(line, ',');
    cells.resize(csv.columns().size());
    t.add_row(cells);
  }
  t.print(std::cout);
}

void render(const Figure& f, const fs::path& dir, std::vector<std::string>& warnings) {
  if (f.series.empty()) return;  // nothing measured for it (a filtered run)
  try {
    output::render(f, dir);
  } catch (const std::exception& e) {
    warnings.push_back(e.what());
  }
}

}  // namespace gradlab::bench::plot
