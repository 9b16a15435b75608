// Autograd: requires_grad, stored gradients, backward and autograd.grad (with create_graph).
#include "shim.h"
#include <torch/csrc/autograd/autograd.h>

using tl::T;

extern "C" {

int tl_set_requires_grad(tl_tensor t, int requires) { TL_RETURN_STATUS(T(t).set_requires_grad(requires != 0)) }

int tl_grad(tl_tensor t, tl_tensor* out) {
  TL_RETURN_STATUS({
    const at::Tensor& g = T(t).grad();
    *out = g.defined() ? tl::wrap(g) : nullptr;
  })
}

int tl_set_grad(tl_tensor t, tl_tensor g) {
  TL_RETURN_STATUS(T(t).mutable_grad() = g ? T(g) : at::Tensor())
}

int tl_retain_grad(tl_tensor t) { TL_RETURN_STATUS(T(t).retain_grad()) }

tl_tensor tl_grad_norms(const tl_tensor* params, int n) {
  TL_RETURN_TENSOR(([&] {
    std::vector<at::Tensor> grads;
    std::vector<int> positions;
    for (int i = 0; i < n; ++i) {
      const at::Tensor& g = T(params[i]).grad();
      if (g.defined()) {
        grads.push_back(g);
        positions.push_back(i);
      }
    }
    if (grads.empty()) return at::zeros({n}, T(params[0]).options());
    // One multi-tensor kernel for all gradients instead of one norm per parameter.
    auto norms = at::_foreach_norm(grads, 2);
    std::vector<at::Tensor> all(static_cast<size_t>(n), at::zeros({}, grads[0].options()));
    for (size_t k = 0; k < norms.size(); ++k) all[static_cast<size_t>(positions[k])] = norms[k];
    return at::stack(all);
  }()))
}

int tl_backward(tl_tensor t, tl_tensor gradient, int retain_graph, int create_graph) {
  TL_RETURN_STATUS(T(t).backward(gradient ? T(gradient) : at::Tensor(),
                                 retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0))
}

int tl_autograd_grad(const tl_tensor* outputs, const tl_tensor* grad_outputs, int n_outputs,
                     const tl_tensor* inputs, int n_inputs, int retain_graph, int create_graph,
                     int allow_unused, tl_tensor* results) {
  TL_RETURN_STATUS({
    torch::autograd::variable_list outs, grads, ins;
    for (int i = 0; i < n_outputs; ++i) {
      outs.push_back(T(outputs[i]));
      grads.push_back(grad_outputs && grad_outputs[i] ? T(grad_outputs[i]) : at::Tensor());
    }
    for (int j = 0; j < n_inputs; ++j) ins.push_back(T(inputs[j]));
    auto result = torch::autograd::grad(outs, ins, grads,
                                        retain_graph ? c10::optional<bool>(true) : c10::nullopt,
                                        create_graph != 0, allow_unused != 0);
    for (int j = 0; j < n_inputs; ++j) results[j] = result[j].defined() ? tl::wrap(result[j]) : nullptr;
  })
}

}  // extern "C"
