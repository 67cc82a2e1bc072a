// Convolution kernels. Legend: n batch, c in-channel, f out-channel, (h, w) input pixel,
// (oh, ow) output pixel, (kh, kw) kernel tap, g group.

/// Forward convolution. Returns [N, F, OH, OW].
package func conv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: ConvGeometry) -> Tensor {
    preconditionFailure("conv2d: forward kernel not implemented yet")
}

/// Gradients of the convolution with respect to input, weight and bias (nil where not needed).
package func conv2dBackward(_ gy: Tensor, x: Tensor, weight: Tensor, hasBias: Bool, _ g: ConvGeometry,
                            needInput: Bool, needWeight: Bool, needBias: Bool) -> (Tensor?, Tensor?, Tensor?) {
    preconditionFailure("conv2d: backward kernel not implemented yet")
}
