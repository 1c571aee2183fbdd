// The labs' "report | ours" table (programs/lab.hpp): a number of the report against ours over
// seeds, judged by one standard deviation, and the quick-run mark on rows and figures.
#include "support.hpp"

#include "gradlab/programs/lab.hpp"
#include "gradlab/output/figure.hpp"

#include <catch2/catch.hpp>

using namespace gradlab;
using namespace gradlab::checks;

namespace {

// Leaves the process's quick mark as it found it.
struct QuickRun {
  bool before = lab::quick_run();
  explicit QuickRun(bool quick) { lab::set_quick_run(quick); }
  ~QuickRun() { lab::set_quick_run(before); }
};

}  // namespace

TEST_CASE("comparison: ours - report beyond one sd is marked, within is not, one seed is not judged",
          "[lab][comparison]") {
  QuickRun full(false);
  TempFolder folder;
  lab::Comparison table("Table I");
  // mean 0.90, sd 0.01: the report's 0.80 is 10 sd away, 0.895 half an sd.
  table.add_measured("far", 0.80, {0.89, 0.90, 0.91}, true);
  table.add_measured("near", 0.895, {0.89, 0.90, 0.91}, true);
  table.add_measured("one seed", 0.80, {0.90}, true);
  table.add_measured("no spread", 2.0, {2.5, 2.5}, false, 1);
  table.add("a claim", "faster", "slower");
  table.write(folder.path);
  CHECK(read_bytes(folder / "comparison.csv") ==
        "quantity,report,ours,ours - report,note\n"
        "far,80%,90.00 +- 1.00%,beyond 1 sd: +10.00 points (10.0 sd),\n"
        "near,89.5%,90.00 +- 1.00%,within 1 sd: +0.50 points (0.5 sd),\n"
        "one seed,80%,90.00%,\"+10.00 points; one seed, no sd: not judged\",\n"
        "no spread,2,2.5 +- 0.0,beyond 1 sd: +0.5 (sd 0),\n"
        "a claim,faster,slower,,\n");
  const nlohmann::json j = table.json();
  CHECK(j["rows"][0]["ours_minus_report"] == "beyond 1 sd: +10.00 points (10.0 sd)");
  CHECK(j["rows"][4]["ours_minus_report"] == "");
}

TEST_CASE("comparison: a table without a measured row keeps its four columns", "[lab][comparison]") {
  QuickRun full(false);
  TempFolder folder;
  lab::Comparison table("claims");
  table.add("a claim", "faster", "slower", "a note");
  table.write(folder.path);
  CHECK(read_bytes(folder / "comparison.csv") == "quantity,report,ours,note\na claim,faster,slower,a note\n");
}

TEST_CASE("comparison: in a quick run every row that sets the report against ours says it is not comparable",
          "[lab][comparison]") {
  QuickRun quick(true);
  TempFolder folder;
  lab::Comparison table("claims");
  table.add("a claim", "faster", "slower");
  table.add("a claim with a note", "faster", "slower", "lr 0.1");
  table.add("a note that said quick", "90%", "80%", "quick mode: subsets");
  table.add("ours alone", "-", "80%", "no number in the report");
  table.add_measured("a number", 0.80, {0.89, 0.91}, true);
  table.write(folder.path);
  CHECK(read_bytes(folder / "comparison.csv") ==
        "quantity,report,ours,ours - report,note\n"
        "a claim,faster,slower,,quick mode: not comparable with the report\n"
        "a claim with a note,faster,slower,,quick mode: not comparable with the report; lr 0.1\n"
        "a note that said quick,90%,80%,,quick mode: not comparable with the report; subsets\n"
        "ours alone,-,80%,,no number in the report\n"
        "a number,80%,90.00 +- 1.41%,beyond 1 sd: +10.00 points (7.1 sd),quick mode: not comparable with the report\n");
}

TEST_CASE("figure: a note is a second title line, quoted for gnuplot", "[lab][figure]") {
  output::Figure f;
  f.name = "curves";
  f.title = "Loss \"vs\" epochs (it's 1\\2)";
  CHECK(output::gnuplot_script(f, "a.png", "a.svg").find("set title 'Loss \"vs\" epochs (it''s 1\\2)' noenhanced\n") !=
        std::string::npos);
  f.note = lab::quick_mark;
  CHECK(output::gnuplot_script(f, "a.png", "a.svg")
            .find("set title \"Loss \\\"vs\\\" epochs (it's 1\\\\2)\\nquick mode: not comparable with the report\" "
                  "noenhanced\n") != std::string::npos);
}
