#pragma once
// Report 004's last part: "we have trained a Support Vector Machine (SVM) on the Circle dataset".
// A soft-margin linear SVM on features phi(x) of each point, trained by full-batch subgradient
// descent on
//   J(w, b) = (1/B) sum_b max(0, 1 - y_b (w phi(x_b) + b)) + (lambda / 2) ||w||^2
// with y_b = 2 label_b - 1 in {-1, +1}: ops::binary_hinge plus ops::l2_penalty (b is not
// penalised), through ops::affine for the scores. The class is 1 where the score is > 0.
// Three feature maps show the lesson: a linear boundary in (x1, x2) cannot separate a disk from
// a ring around it, a linear boundary in a richer space can.
#include "gradlab/check/checker.hpp"
#include "gradlab/data/dataset.hpp"
#include "gradlab/random.hpp"
#include "gradlab/train/history.hpp"

#include <armadillo>

#include <cstdint>
#include <string>

namespace lab_circle {

// phi: what the SVM sees of each point x = (x1, x2). X: 2 x B -> phi(X): D x B.
//   raw:       (x1, x2)                                    D = 2
//   radius:    (x1, x2, x1^2 + x2^2)                      D = 3: the disk and the ring are
//              r^2 <= 0.64 and r^2 >= 1.44, one plane apart
//   fourier:   sqrt(2 / D) cos(Omega x + phase)           D random features of the RBF kernel
//              exp(-||x - x'||^2 / (2 sigma^2)): Omega's rows ~ N(0, I / sigma^2), phase ~
//              U[0, 2 pi), drawn from a seeded generator (Rahimi and Recht, 2007)
struct Features {
  enum class Map { raw, radius, fourier };
  Map map = Map::raw;
  std::string key;    // file stems: "raw", "radius", "fourier"
  std::string label;  // in words, for tables and legends
  arma::mat Omega;    // fourier: D x 2
  arma::vec phase;    // fourier: D
  arma::mat operator()(const arma::mat& X) const;
  arma::uword dimension() const;
};

Features raw_features();
Features radius_features();
Features fourier_features(arma::uword D, double sigma, gradlab::Rng& rng);

// The lab's feature map named key ("raw", "radius", "fourier") for one seed: the random Fourier
// features, fourier_count of them at sigma fourier_sigma, are drawn from seed + 2000, so the
// run of a seed and the merge that checks its SVM see the same map.
inline constexpr arma::uword fourier_count = 100;
inline constexpr double fourier_sigma = 0.5;
Features feature_map(const std::string& key, std::uint64_t seed);

struct Svm {
  Features phi;
  arma::mat w;  // 1 x D
  arma::vec b;  // 1
};

// scores = w phi(X) + b: 1 x B.  The predicted class: 1 where the score is > 0, else 0.
arma::mat svm_scores(const Svm& svm, const arma::mat& X);
arma::uvec svm_predict(const Svm& svm, const arma::mat& X);

// J(w, b) on a set given by its features phi_X (D x n) and labels (the hinge's mean over its
// points plus the penalty), and the accuracy.
gradlab::train::Metrics svm_measure(const Svm& svm, const arma::mat& phi_X, const arma::uvec& labels,
                                    double lambda);

// The gradient of J: dw = (dscores phi^T) + lambda w, db = sum of dscores,
// dscores = ops::binary_hinge_backward (the subgradient with 0 at a margin of exactly 0).
struct SvmGradients {
  arma::mat dw;
  arma::vec db;
};
SvmGradients svm_gradients(const Svm& svm, const arma::mat& phi_X, const arma::uvec& labels,
                           double lambda);

struct SvmRun {
  gradlab::train::History history;  // J and accuracy on both sets, epoch 0 = before training
  Svm svm;
  int loss_rises = 0;  // epochs after which J on the training set was higher than before
};

// Starts from w = 0, b = 0 and takes `epochs` full-batch steps theta <- theta - eta dJ/dtheta.
SvmRun train_svm(Features phi, const gradlab::data::Dataset& train_set,
                 const gradlab::data::Dataset& test_set, double lambda, double eta, int epochs);

// J(w, b) on a batch as a function the checker perturbs (inputs w and b), for the lab's
// gradient check of the SVM's subgradient.
gradlab::check::Differentiable svm_differentiable(const Svm& svm, const gradlab::data::Dataset& batch,
                                                  double lambda);

}  // namespace lab_circle
