// Small helpers of the GoogLeNet lesson: number formatting, two diagrams side by side, and the
// Fashion-MNIST tensors the label-smoothing experiment trains on.
import CNN
import Datasets
import Foundation
import Render

/// 102464 → "102,464" (the lecture's grouping).
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}


/// The first `count` items of a data set as one [count, C, H, W] tensor and their labels.
func tensorOf(_ data: InMemoryDataset, count: Int) -> (images: Tensor, labels: [Int]) {
    let n = min(count, data.count), size = data.imageSize
    let images = Tensor(zeros: [n] + data.imageShape)
    images.withUnsafeMutableBufferPointer { p in
        for i in 0..<n { data.copyImage(i, into: p.baseAddress! + i * size) }
    }
    return (images, (0..<n).map { data.label($0) })
}

/// The largest softmax probability of every row of `logits` [N, K].
func confidences(_ probabilities: Tensor) -> [Double] {
    let k = probabilities.shape[1], p = probabilities.scalars
    return (0..<probabilities.shape[0]).map { r in Double(p[r * k..<(r + 1) * k].max()!) }
}
