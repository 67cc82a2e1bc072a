// Small helpers of the GoogLeNet lesson (numbers are formatted with the engine's `grouped`).
import CNN
import Datasets
import Foundation
import Render

/// The largest softmax probability of every row of `logits` [N, K].
func confidences(_ probabilities: Tensor) -> [Double] {
    let k = probabilities.shape[1], p = probabilities.scalars
    return (0..<probabilities.shape[0]).map { r in Double(p[r * k..<(r + 1) * k].max()!) }
}
