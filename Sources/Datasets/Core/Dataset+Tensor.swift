// Whole datasets (or their first n items) as one tensor, the form the lessons train on when the
// data fits in memory: Fashion-MNIST's 60,000 images are 188 MB as floats.
import CNN

extension Dataset {
    /// The first `count` items (all when `count` is nil or larger) as one tensor
    /// `[n, C·replicate, H + 2·padding, W + 2·padding]` and their labels.
    ///
    /// - `padding`: zero border on every side (Fashion-MNIST's 28x28 padded by 2 gives the 32x32
    ///   input of the CIFAR-style networks).
    /// - `replicate`: copies of the channels side by side (1 grey channel x 3 for a network built
    ///   for RGB input).
    ///
    /// Fashion-MNIST and CIFAR files are stored in shuffled order, so a prefix is a fair subset.
    ///
    ///     let (x, y) = try FashionMNIST.load(.train).tensors(count: 1000, padding: 2, replicate: 3)
    ///     x.shape   // [1000, 3, 32, 32]
    public func tensors(count: Int? = nil, padding: Int = 0, replicate: Int = 1) -> (images: Tensor, labels: [Int]) {
        precondition(padding >= 0, "Dataset.tensors: padding \(padding) must be >= 0")
        precondition(replicate >= 1, "Dataset.tensors: replicate \(replicate) must be >= 1")
        precondition(imageShape.count == 3, "Dataset.tensors: image shape \(imageShape) is not [C, H, W]")
        let n = Swift.min(count ?? self.count, self.count)
        let (c, h, w) = (imageShape[0], imageShape[1], imageShape[2])
        let (ph, pw) = (h + 2 * padding, w + 2 * padding)
        let x = Tensor(zeros: [n, c * replicate, ph, pw])
        var plain = [Float](repeating: 0, count: c * h * w)
        x.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                plain.withUnsafeMutableBufferPointer { copyImage(i, into: $0.baseAddress!) }
                let image = out.baseAddress! + i * c * replicate * ph * pw
                for r in 0..<replicate {
                    for ch in 0..<c {
                        let plane = image + (r * c + ch) * ph * pw
                        for y in 0..<h {
                            let row = plane + (y + padding) * pw + padding
                            for xx in 0..<w { row[xx] = plain[(ch * h + y) * w + xx] }
                        }
                    }
                }
            }
        }
        return (x, (0..<n).map { label($0) })
    }
}
