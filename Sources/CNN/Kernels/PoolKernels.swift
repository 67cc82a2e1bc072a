// Pooling kernels. Legend: n batch, c channel, (h, w) input pixel, (oh, ow) output pixel.

/// Max pooling forward: the output and, per output element, the flat input index of its maximum.
package func maxPool2dForward(_ x: Tensor, _ window: Window, outputShape: [Int]) -> (Tensor, [Int32]) {
    preconditionFailure("max_pool2d: kernel not implemented yet")
}

package func maxPool2dBackward(_ g: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    preconditionFailure("max_pool2d: backward kernel not implemented yet")
}

package func avgPool2dForward(_ x: Tensor, _ window: Window, outputShape: [Int], countIncludePad: Bool) -> Tensor {
    preconditionFailure("avg_pool2d: kernel not implemented yet")
}

package func avgPool2dBackward(_ g: Tensor, _ window: Window, inputShape: [Int], countIncludePad: Bool) -> Tensor {
    preconditionFailure("avg_pool2d: backward kernel not implemented yet")
}

package func adaptiveAvgPool2dForward(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
    preconditionFailure("adaptive_avg_pool2d: kernel not implemented yet")
}

package func adaptiveAvgPool2dBackward(_ g: Tensor, inputShape: [Int]) -> Tensor {
    preconditionFailure("adaptive_avg_pool2d: backward kernel not implemented yet")
}
