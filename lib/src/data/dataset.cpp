#include "gradlab/data/dataset.hpp"

#include "gradlab/shape.hpp"

#include <string>

namespace gradlab::data {

void check_dataset(const Dataset& data, const char* function) {
  const std::string prefix = data.name.empty() ? std::string() : data.name + ": ";
  require(data.labels.n_elem == data.X.n_cols, function,
          prefix + "X is " + shape_of(data.X) + " but there are " +
              std::to_string(data.labels.n_elem) + " labels (one per column)");
  for (arma::uword n = 0; n < data.labels.n_elem; ++n)
    require(data.labels(n) < data.classes, function,
            prefix + "label " + std::to_string(data.labels(n)) + " of sample " +
                std::to_string(n) + " is out of range for " + std::to_string(data.classes) +
                " classes");
  if (!data.X.is_finite()) {
    const arma::uvec bad = arma::find_nonfinite(data.X);
    const arma::uword i = bad(0);
    require(false, function,
            prefix + std::to_string(bad.n_elem) + " features are NaN or infinite (the first: " +
                "feature " + std::to_string(i % data.X.n_rows) + " of sample " +
                std::to_string(i / data.X.n_rows) + ")");
  }
}

Dataset select(const Dataset& data, const arma::uvec& indices, const std::string& name) {
  for (arma::uword k = 0; k < indices.n_elem; ++k)
    require(indices(k) < data.size(), "data::select",
            "index " + std::to_string(indices(k)) + " is out of range for " + data.name +
                " (" + std::to_string(data.size()) + " samples)");
  Dataset out;
  out.X = data.X.cols(indices);
  out.labels = data.labels.elem(indices);
  out.classes = data.classes;
  out.name = name;
  out.image_rows = data.image_rows;
  out.image_cols = data.image_cols;
  return out;
}

Dataset subset(const Dataset& data, arma::uword n) {
  require(n > 0 && n <= data.size(), "data::subset",
          "asked for " + std::to_string(n) + " samples of " + data.name + ", which has " +
              std::to_string(data.size()) + " (need 0 < n <= " + std::to_string(data.size()) +
              ")");
  return select(data, arma::regspace<arma::uvec>(0, n - 1),
                data.name + " (first " + std::to_string(n) + ")");
}

arma::uvec class_counts(const Dataset& data) {
  arma::uvec counts(data.classes, arma::fill::zeros);
  for (const arma::uword label : data.labels) {
    require(label < data.classes, "data::class_counts",
            data.name + ": label " + std::to_string(label) + " is out of range for " +
                std::to_string(data.classes) + " classes");
    ++counts(label);
  }
  return counts;
}

}  // namespace gradlab::data
