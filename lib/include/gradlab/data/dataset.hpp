#pragma once
// A labelled data set as the rest of gradlab reads it. Columns are samples: X is features x N,
// so a batch is X.cols(indices) and a network computes W * X + b on it directly.
#include <armadillo>

#include <string>

namespace gradlab::data {

struct Dataset {
  arma::mat X;              // features x N, one sample per column
  arma::uvec labels;        // N class indices, each in [0, classes)
  arma::uword classes = 0;  // 10 for MNIST, 2 for the disk and the circles
  std::string name;         // for messages and reports: "mnist train", "disk", ...
  // For image data (MNIST: 28 x 28), feature r * image_cols + c is pixel (row r, column c);
  // both are 0 when the features are not an image.
  arma::uword image_rows = 0;
  arma::uword image_cols = 0;

  arma::uword size() const { return X.n_cols; }
  arma::uword features() const { return X.n_rows; }
};

// Throws std::invalid_argument("<function>: <name>: ...") unless labels has one entry per column
// of X, every label is below classes, and every feature is finite (no NaN, no Inf).
void check_dataset(const Dataset& data, const char* function);

// The samples at the given column indices, in that order (a copy), under a new name.
// Throws std::invalid_argument for an index out of range.
Dataset select(const Dataset& data, const arma::uvec& indices, const std::string& name);

// The first n samples, for quick modes. Take it after a shuffled split (split.hpp) when the
// order of the source is not random. Throws std::invalid_argument unless 0 < n <= size.
Dataset subset(const Dataset& data, arma::uword n);

// How many samples each class has: `classes` entries.
arma::uvec class_counts(const Dataset& data);

}  // namespace gradlab::data
