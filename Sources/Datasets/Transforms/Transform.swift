import CNN

/// A step of data preprocessing or augmentation: `Image` in, `Image` out.
///
/// Random transforms draw from the generator they are given. The batcher hands each item its
/// own generator seeded by (seed, epoch, item), so augmentations are reproducible and do not
/// depend on thread scheduling or prefetching. Deterministic transforms ignore it.
///
///     let train = Compose(RandomCrop(size: 32, padding: 4), RandomHorizontalFlip(),
///                         Normalize(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616]))
///     var g = SeededGenerator(seed: 1)
///     train(image, using: &g).shape   // [3, 32, 32]
public protocol ImageTransform: Sendable {
    func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image
}

extension ImageTransform {
    /// Applies the transform with a generator seeded by `seed` (for one-off calls and examples).
    public func callAsFunction(_ image: Image, seed: UInt64 = 0) -> Image {
        var g = SeededGenerator(seed: seed)
        return self(image, using: &g)
    }

    /// This transform, then `next`.
    public func then(_ next: any ImageTransform) -> Compose { Compose([self, next]) }
}

/// Transforms applied in order, like `torchvision.transforms.Compose`.
public struct Compose: ImageTransform {
    public var steps: [any ImageTransform]

    public init(_ steps: [any ImageTransform]) { self.steps = steps }
    public init(_ steps: any ImageTransform...) { self.steps = steps }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        steps.reduce(image) { $1($0, using: &generator) }
    }

    public func then(_ next: any ImageTransform) -> Compose { Compose(steps + [next]) }
}

/// Per-channel standardisation: `out[c] = (in[c] - mean[c]) / std[c]` (torchvision `Normalize`).
public struct Normalize: ImageTransform {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count && !mean.isEmpty, "Normalize: \(mean.count) means and \(std.count) stds")
        precondition(std.allSatisfy { $0 > 0 }, "Normalize: std \(std) must be positive")
        self.mean = mean
        self.std = std
    }

    /// ImageNet statistics, as torchvision's pretrained models expect.
    public static let imageNet = Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        precondition(mean.count == image.channels, "Normalize: \(mean.count) means for an image with \(image.channels) channels")
        var out = image
        let plane = image.height * image.width
        out.pixels.withUnsafeMutableBufferPointer { p in
            for c in 0..<image.channels {
                let (m, s) = (mean[c], std[c])
                for k in (c * plane)..<((c + 1) * plane) { p[k] = (p[k] - m) / s }
            }
        }
        return out
    }
}

/// Constant padding: `top`, `left`, `bottom`, `right` rows/columns of `value` (torchvision `Pad`
/// with `padding_mode="constant"`).
/// - Shape: [C, H, W] → [C, H + top + bottom, W + left + right]
public struct Pad: ImageTransform {
    public var top: Int, left: Int, bottom: Int, right: Int
    public var value: Float

    public init(top: Int, left: Int, bottom: Int, right: Int, value: Float = 0) {
        precondition([top, left, bottom, right].allSatisfy { $0 >= 0 }, "Pad: negative padding \([top, left, bottom, right])")
        (self.top, self.left, self.bottom, self.right, self.value) = (top, left, bottom, right, value)
    }

    /// The same padding on all four sides.
    public init(_ all: Int, value: Float = 0) { self.init(top: all, left: all, bottom: all, right: all, value: value) }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        let (h, w) = (image.height + top + bottom, image.width + left + right)
        var out = Image(channels: image.channels, height: h, width: w, repeating: value)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for c in 0..<image.channels {
                    for y in 0..<image.height {
                        let from = (c * image.height + y) * image.width
                        let to = (c * h + y + top) * w + left
                        (dst.baseAddress! + to).update(from: src.baseAddress! + from, count: image.width)
                    }
                }
            }
        }
        return out
    }
}

/// Centred zero padding up to `height` x `width` (e.g. Fashion-MNIST's 28x28 to 32x32 for
/// CIFAR-style networks: 2 pixels on each side). An odd excess puts the extra row/column at the
/// bottom/right. Images already at least that large pass through unchanged.
public struct PadTo: ImageTransform {
    public var height: Int, width: Int, value: Float

    public init(height: Int, width: Int, value: Float = 0) { (self.height, self.width, self.value) = (height, width, value) }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        let dh = max(0, height - image.height), dw = max(0, width - image.width)
        if dh == 0 && dw == 0 { return image }
        return Pad(top: dh / 2, left: dw / 2, bottom: dh - dh / 2, right: dw - dw / 2, value: value)(image, using: &generator)
    }
}

/// Cuts the window with top-left corner (`top`, `left`) and size `height` x `width`.
public func crop(_ image: Image, top: Int, left: Int, height: Int, width: Int) -> Image {
    precondition(top >= 0 && left >= 0 && top + height <= image.height && left + width <= image.width,
                 "crop: window \(height)x\(width) at (\(top), \(left)) outside a \(image.height)x\(image.width) image")
    var out = Image(channels: image.channels, height: height, width: width)
    out.pixels.withUnsafeMutableBufferPointer { dst in
        image.pixels.withUnsafeBufferPointer { src in
            for c in 0..<image.channels {
                for y in 0..<height {
                    let from = (c * image.height + top + y) * image.width + left
                    (dst.baseAddress! + (c * height + y) * width).update(from: src.baseAddress! + from, count: width)
                }
            }
        }
    }
    return out
}

/// Zero padding on every side, then a crop of `size` x `size` at a uniformly random position
/// (torchvision `RandomCrop(size, padding=padding)`: the corner is uniform over all
/// `(H + 2p - size + 1) x (W + 2p - size + 1)` positions). The CIFAR augmentation of ResNet.
public struct RandomCrop: ImageTransform {
    public var height: Int, width: Int, padding: Int

    public init(size: Int, padding: Int = 0) { self.init(height: size, width: size, padding: padding) }
    public init(height: Int, width: Int, padding: Int = 0) { (self.height, self.width, self.padding) = (height, width, padding) }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        let padded = padding > 0 ? Pad(padding)(image, using: &generator) : image
        precondition(padded.height >= height && padded.width >= width,
                     "RandomCrop: \(height)x\(width) crop from a \(padded.height)x\(padded.width) (padded) image")
        let top = Int(generator.next() % UInt64(padded.height - height + 1))
        let left = Int(generator.next() % UInt64(padded.width - width + 1))
        return crop(padded, top: top, left: left, height: height, width: width)
    }
}

/// The central `height` x `width` window (torchvision `CenterCrop`): top = round((H - h) / 2)
/// with Python's round-half-to-even, likewise left. A crop larger than the image is zero-padded
/// first, as torchvision does.
public struct CenterCrop: ImageTransform {
    public var height: Int, width: Int

    public init(size: Int) { (height, width) = (size, size) }
    public init(height: Int, width: Int) { (self.height, self.width) = (height, width) }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        var image = image
        if height > image.height || width > image.width {
            let dh = max(0, height - image.height), dw = max(0, width - image.width)
            image = Pad(top: dh / 2, left: dw / 2, bottom: (dh + 1) / 2, right: (dw + 1) / 2)(image, using: &generator)
        }
        let top = Int((Double(image.height - height) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(image.width - width) / 2).rounded(.toNearestOrEven))
        return crop(image, top: top, left: left, height: height, width: width)
    }
}

/// Mirrors left–right with probability `probability` (torchvision `RandomHorizontalFlip`).
public struct RandomHorizontalFlip: ImageTransform {
    public var probability: Float

    public init(probability: Float = 0.5) { self.probability = probability }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        generator.nextUniform() < probability ? horizontalFlip(image) : image
    }
}

/// The image mirrored left–right: `out[c, y, x] = in[c, y, W - 1 - x]`.
public func horizontalFlip(_ image: Image) -> Image {
    var out = image
    let w = image.width
    out.pixels.withUnsafeMutableBufferPointer { p in
        for row in 0..<(image.channels * image.height) { p[(row * w)..<(row * w + w)].reverse() }
    }
    return out
}
