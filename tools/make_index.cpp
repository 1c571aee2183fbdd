// make-index: gathers every figure and table under an output folder (out/ by default) into one
// page, out/index.html, readable offline: the gradient-check table, then each lab's and
// benchmark's "report | ours" tables and figures.
#include "gradlab/programs/cli.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/output/csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string escape(const std::string& text) {
  std::string s;
  for (char c : text) {
    switch (c) {
      case '&': s += "&amp;"; break;
      case '<': s += "&lt;"; break;
      case '>': s += "&gt;"; break;
      case '"': s += "&quot;"; break;
      default: s += c;
    }
  }
  return s;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string csv_table(const fs::path& path) {
  std::ifstream in(path);
  std::string line, html = "<table>\n";
  bool header = true;
  while (std::getline(in, line)) {
    html += "<tr>";
    for (const std::string& cell : gradlab::output::parse_csv_line(line))
      html += (header ? "<th>" : "<td>") + escape(cell) + (header ? "</th>" : "</td>");
    html += "</tr>\n";
    header = false;
  }
  return html + "</table>\n";
}

std::string gradcheck_table(const fs::path& path) {
  const nlohmann::json j = nlohmann::json::parse(read(path), nullptr, false);
  if (j.is_discarded()) return "<p>unreadable report: " + escape(path.string()) + "</p>\n";
  std::string html = "<p>scheme " + escape(j.value("scheme", "")) + ", step " +
                     escape(j["step"].dump()) + ", tolerance |a - n| &le; " +
                     escape(j["tolerance"]["atol"].dump()) + " + " +
                     escape(j["tolerance"]["rtol"].dump()) + " |n|</p>\n<table>\n<tr><th>check</th>"
                     "<th>shapes</th><th>method</th><th>tensor</th><th>checked</th><th>max rel err</th>"
                     "<th>max abs err</th><th>kinks</th><th>failed</th><th>verdict</th></tr>\n";
  for (const auto& check : j["checks"]) {
    for (const auto& t : check["tensors"]) {
      char rel[32], abs[32];
      std::snprintf(rel, sizeof rel, "%.1e", t["max_rel_error"].is_number() ? t["max_rel_error"].get<double>() : 0.0);
      std::snprintf(abs, sizeof abs, "%.1e", t["max_abs_error"].is_number() ? t["max_abs_error"].get<double>() : 0.0);
      const std::string verdict = t["verdict"].get<std::string>();
      html += "<tr><td>" + escape(check["check"].get<std::string>()) + "</td><td>" +
              escape(check["shapes"].get<std::string>()) + "</td><td>" +
              escape(check["method"].get<std::string>()) + "</td><td>" +
              escape(t["tensor"].get<std::string>()) + "</td><td>" + t["checked"].dump() +
              "</td><td>" + rel + "</td><td>" + abs + "</td><td>" + t["kinks"].dump() + "</td><td>" +
              t["failed"].dump() + "</td><td class=\"" + verdict + "\">" + verdict + "</td></tr>\n";
    }
  }
  return html + "</table>\n";
}

std::vector<fs::path> files_with(const fs::path& folder, const std::string& extension) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == extension) found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gather every figure and table of a run into OUT/index.html.", "make-index"};
  std::string out = "out";
  app.add_option("out", out, "the results folder");
  return gradlab::run_main(app, argc, argv, [&] {
    if (!fs::is_directory(out)) throw std::runtime_error(out + " is not a folder of results");
    std::vector<fs::path> sections;
    for (const auto& entry : fs::directory_iterator(out))
      if (entry.is_directory()) sections.push_back(entry.path());
    // The gradient-check tour first, then labs, then benchmarks, each alphabetically.
    auto rank = [](const fs::path& p) {
      const std::string n = p.filename().string();
      return n == "gradcheck" ? 0 : n.rfind("lab-", 0) == 0 ? 1 : 2;
    };
    std::sort(sections.begin(), sections.end(), [&](const fs::path& a, const fs::path& b) {
      return rank(a) != rank(b) ? rank(a) < rank(b) : a.filename() < b.filename();
    });

    std::string body, contents;
    std::size_t figures = 0;
    for (const fs::path& section : sections) {
      const std::string name = section.filename().string();
      contents += "<li><a href=\"#" + escape(name) + "\">" + escape(name) + "</a></li>\n";
      body += "<section id=\"" + escape(name) + "\">\n<h2>" + escape(name) + "</h2>\n";
      if (fs::exists(section / "README.txt")) body += "<p>" + escape(read(section / "README.txt")) + "</p>\n";
      if (fs::exists(section / "report.json")) body += gradcheck_table(section / "report.json");
      for (const fs::path& csv : files_with(section, ".csv")) {
        const std::string file = csv.filename().string();
        if (file.rfind("comparison", 0) != 0 && file.rfind("table", 0) != 0) continue;
        const fs::path title = section / (file + ".title");
        body += "<h3>" + escape(fs::exists(title) ? read(title) : file) + "</h3>\n" + csv_table(csv);
      }
      for (const fs::path& png : files_with(section, ".png")) {
        const std::string stem = png.stem().string();
        const fs::path svg = section / (stem + ".svg");
        const std::string rel = name + "/" + png.filename().string();
        body += "<figure><a href=\"" + escape(fs::exists(svg) ? name + "/" + stem + ".svg" : rel) +
                "\"><img src=\"" + escape(rel) + "\" alt=\"" + escape(stem) + "\"></a><figcaption>" +
                escape(stem) + " (<a href=\"" + escape(name + "/" + stem + ".gp") +
                "\">gnuplot script</a>)</figcaption></figure>\n";
        ++figures;
      }
      for (const char* file : {"summary.json", "history.csv"})
        if (fs::exists(section / file))
          body += "<p><a href=\"" + escape(name + "/" + file) + "\">" + file + "</a></p>\n";
      body += "</section>\n";
    }
    const std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>gradlab results</title>\n"
        "<style>body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;"
        "font-size:90%;text-align:left}th{background:#f0f0f0}figure{display:inline-block;margin:0.5em}"
        "img{max-width:560px;border:1px solid #ddd}.PASS{color:#080}.FAIL{color:#c00;font-weight:bold}"
        ".KINK{color:#a60}</style></head><body>\n<h1>gradlab results</h1>\n<ul>\n" +
        contents + "</ul>\n" + body + "</body></html>\n";
    gradlab::io::write_file_atomically(fs::path(out) / "index.html", html);
    std::cout << "wrote " << (fs::path(out) / "index.html").string() << ": " << sections.size()
              << " sections, " << figures << " figures\n";
    return 0;
  });
}
