import CNN

/// Bilinear resize with antialiasing, as torchvision's `Resize` (antialias=True) and PIL's
/// `Image.resize(..., BILINEAR)`.
///
/// Sizes: `Resize(shorterSide: 256)` scales the shorter side to 256 and the longer side to
/// `Int(256 · long / short)` (truncated, as torchvision computes it), keeping the aspect ratio;
/// `Resize(height:width:)` gives exactly that size.
///
/// Kernel (PIL's `precompute_coeffs`, which ATen's `_upsample_bilinear2d_aa` also follows),
/// per axis with input length `n`, output length `m`, `scale = n / m`, `s = max(scale, 1)`:
/// output index `i` has centre `c = (i + 0.5) · scale` in input coordinates and reads the input
/// pixels `j` in `[max(Int(c - s + 0.5), 0), min(Int(c + s + 0.5), n))` with weights
/// `tri((j + 0.5 - c) / s)`, `tri(t) = max(0, 1 - |t|)`, normalised to sum 1. Downscaling thus
/// averages over a triangle `s` input pixels wide (the antialiasing); upscaling (`s = 1`) is plain
/// bilinear interpolation with half-pixel centres (`align_corners=False`). The image is resized
/// horizontally first, then vertically, accumulating in Double and storing Float after each pass,
/// as PIL does for 32-bit float images. (PIL on 8-bit images also rounds to integers after each
/// pass, so it can differ from this by 1/255.)
///
/// Example (hand-checked in the tests): halving the row [0, 1, 2, 3] gives output 0 with
/// c = 1, s = 2, taps j = 0, 1, 2 weighted 0.75, 0.75, 0.25: (0 + 0.75 + 0.5) / 1.75 = 0.7142857.
/// - Shape: [C, H, W] → [C, OH, OW]
/// - Complexity: O(C · (H · OW · s + OH · OW · s)) multiply-adds.
public struct Resize: ImageTransform {
    /// The two ways to give the output size.
    public enum Size: Sendable, Equatable {
        case shorterSide(Int)
        case exact(height: Int, width: Int)
    }

    public var size: Size

    public init(shorterSide: Int) {
        precondition(shorterSide > 0, "Resize: shorter side \(shorterSide) must be positive")
        size = .shorterSide(shorterSide)
    }

    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "Resize: size \(height)x\(width) must be positive")
        size = .exact(height: height, width: width)
    }

    /// `(height, width)` of the output for an input of `height` x `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        switch size {
        case .exact(let h, let w): return (h, w)
        case .shorterSide(let s):
            if width <= height { return (Int(Double(s) * Double(height) / Double(width)), s) }
            return (s, Int(Double(s) * Double(width) / Double(height)))
        }
    }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        let (oh, ow) = outputSize(height: image.height, width: image.width)
        return resizeBilinear(image, height: oh, width: ow)
    }
}

/// Antialiased bilinear resize to `height` x `width`; see `Resize` for the kernel.
public func resizeBilinear(_ image: Image, height oh: Int, width ow: Int) -> Image {
    precondition(image.height > 0 && image.width > 0, "resizeBilinear: empty \(image.height)x\(image.width) input")
    let (c, h, w) = (image.channels, image.height, image.width)
    var current = image
    if ow != w {
        let taps = ResampleTaps(input: w, output: ow)
        var out = Image(channels: c, height: h, width: ow)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            current.pixels.withUnsafeBufferPointer { src in
                for row in 0..<(c * h) {
                    let s = src.baseAddress! + row * w, d = dst.baseAddress! + row * ow
                    for i in 0..<ow { d[i] = taps.apply(i) { s[$0] } }
                }
            }
        }
        current = out
    }
    if oh != h {
        let taps = ResampleTaps(input: h, output: oh)
        var out = Image(channels: c, height: oh, width: ow)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            current.pixels.withUnsafeBufferPointer { src in
                for ch in 0..<c {
                    let s = src.baseAddress! + ch * h * ow, d = dst.baseAddress! + ch * oh * ow
                    for i in 0..<oh {
                        for x in 0..<ow { d[i * ow + x] = taps.apply(i) { s[$0 * ow + x] } }
                    }
                }
            }
        }
        current = out
    }
    return current
}

/// Per output index: the first input index and the normalised triangle weights.
struct ResampleTaps {
    let starts: [Int]
    let weights: [[Double]]

    init(input n: Int, output m: Int) {
        let scale = Double(n) / Double(m)
        let support = max(scale, 1)            // the triangle's half-width in input pixels
        var starts = [Int](), weights = [[Double]]()
        for i in 0..<m {
            let centre = (Double(i) + 0.5) * scale
            let lo = max(Int(centre - support + 0.5), 0)   // Int() truncates toward zero, as C's (int)
            let hi = min(Int(centre + support + 0.5), n)
            var k = (lo..<hi).map { j in max(0, 1 - abs((Double(j) + 0.5 - centre) / support)) }
            let total = k.reduce(0, +)
            if total != 0 { k = k.map { $0 / total } }
            starts.append(lo)
            weights.append(k)
        }
        self.starts = starts
        self.weights = weights
    }

    @inline(__always) func apply(_ i: Int, _ read: (Int) -> Float) -> Float {
        var sum: Double = 0
        let lo = starts[i]
        for (t, weight) in weights[i].enumerated() { sum += Double(read(lo + t)) * weight }
        return Float(sum)
    }
}
