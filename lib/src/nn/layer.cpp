#include "gradlab/nn/layer.hpp"

namespace gradlab::nn {

arma::mat Layer::backward_and_update(const arma::mat& dY, ParameterUpdate& update,
                                     bool input_gradient) {
  arma::mat dX;
  if (input_gradient)
    dX = backward(dY);
  else
    backward_parameters(dY);
  for (const Parameter& p : parameters()) update.update_parameter(p);  // each gradient is final
  return dX;
}

}  // namespace gradlab::nn
