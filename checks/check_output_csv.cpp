// CSV cells with commas and quotes stay one cell: written quoted (RFC 4180) by output::Csv and
// read back whole by parse_csv_line, which make-index uses for the tables of out/index.html.
#include "gradlab/output/csv.hpp"

#include <catch2/catch.hpp>

using namespace gradlab;

TEST_CASE("csv: cells with commas and quotes are quoted and read back whole", "[output][csv]") {
  output::Csv csv({"quantity", "report", "ours"});
  csv.add_row({"errata", "max(-x, 0.01 x)", "say \"hi\""});
  csv.add_row({"split", "40,000 / 10,000 / 10,000", "plain"});
  const std::string text = csv.text();
  CHECK(text == "quantity,report,ours\n"
                "errata,\"max(-x, 0.01 x)\",\"say \"\"hi\"\"\"\n"
                "split,\"40,000 / 10,000 / 10,000\",plain\n");
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  REQUIRE(lines.size() == 3);
  CHECK(output::parse_csv_line(lines[1]) == std::vector<std::string>{"errata", "max(-x, 0.01 x)", "say \"hi\""});
  CHECK(output::parse_csv_line(lines[2]) == std::vector<std::string>{"split", "40,000 / 10,000 / 10,000", "plain"});
  CHECK(output::parse_csv_line("1,2.5e-09,") == std::vector<std::string>{"1", "2.5e-09", ""});
  CHECK(output::csv_cell("plain") == "plain");
}
