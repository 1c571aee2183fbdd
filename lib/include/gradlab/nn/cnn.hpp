#pragma once
// The convolutional network builder used by lab-cnn and the checks: a VGG-style stack (3x3
// convolutions that keep the image size, each followed by ReLU; 2x2 max pooling that halves
// it; then dense layers), written as a short string.
#include "gradlab/nn/sequential.hpp"
#include "gradlab/ops/image.hpp"
#include "gradlab/random.hpp"

#include <string>

namespace gradlab::nn {

// `stack` is a list of tokens joined by '-', read left to right from images of shape `in`:
//   cK   Conv2d with K kernels, 3x3, stride 1, padding 1 (H and W kept), then ReLU
//   p    MaxPool2d 2x2, stride 2 (H and W halved, rounded down)
//   a    AvgPool2d 2x2, stride 2
//   N    (a number) Linear to N units, then ReLU; the first one comes after a Flatten
// and a last Linear to `classes` logits closes the network (after a Flatten when the stack ends
// on an image layer). E.g. in = 1x28x28, "c8-p-c16-p-100", 10 classes:
//   Conv2d(1x28x28 -> 8x28x28), ReLU, MaxPool2d(-> 8x14x14), Conv2d(-> 16x14x14), ReLU,
//   MaxPool2d(-> 16x7x7), Flatten(-> 784), Linear(784, 100), ReLU, Linear(100, 10).
// Every Conv2d and Linear weight is drawn by `init` (nn/init.hpp) in layer order; biases are 0.
// Throws std::invalid_argument naming the token at fault (unknown, a convolution after a dense
// layer, a pool on an image too small), before drawing anything.
Sequential make_cnn(const ops::ImageShape& in, const std::string& stack, arma::uword classes,
                    const std::string& init, Rng& rng);

}  // namespace gradlab::nn
