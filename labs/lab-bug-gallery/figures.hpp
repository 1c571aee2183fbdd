#pragma once
// lab-bug-gallery's figures: the heatmap of where the error sits in one network (every heatmap
// on one fixed colour scale), and the kill matrix's figure.
#include "checks.hpp"

#include "gradlab/output/figure.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace lab_bug_gallery {

// heatmap-<key>.csv and its figure: the relative error of every entry of map's tensor.
void write_heatmap(const BugInfo& info, const ErrorMap& map, const gradlab::check::Tolerance& tol,
                   const std::filesystem::path& out);

// The kill matrix (data: kill-matrix.csv, columns setting, row, value, mark): one row per
// network (row_titles), one column per checker setting and a last one for the diagnosis.
gradlab::output::Figure kill_matrix_figure(const std::vector<std::string>& row_titles,
                                           const std::vector<std::string>& column_labels);

}  // namespace lab_bug_gallery
