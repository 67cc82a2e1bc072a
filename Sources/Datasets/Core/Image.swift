import CNN

/// One image as a value: channel-major (CHW) Float pixels, normally in [0, 1].
///
/// Transforms, codecs and datasets pass `Image` values around (cheap to copy, `Sendable`,
/// invisible to the memory meter); the batcher turns many of them into one `[N, C, H, W]` tensor.
///
///     let im = Image(channels: 1, height: 2, width: 2, pixels: [0, 0.25, 0.5, 1])
///     im[0, 1, 0]        // 0.5
///     im.tensor().shape  // [1, 2, 2]
public struct Image: Sendable, Equatable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `channels * height * width` values, index `(c * height + y) * width + x`.
    public var pixels: [Float]

    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(channels > 0 && height >= 0 && width >= 0,
                     "Image: bad dimensions \(channels)x\(height)x\(width)")
        precondition(pixels.count == channels * height * width,
                     "Image: \(pixels.count) pixels do not fill \(channels)x\(height)x\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// An image filled with `value`.
    public init(channels: Int, height: Int, width: Int, repeating value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: value, count: channels * height * width))
    }

    /// `[C, H, W]`.
    public var shape: [Int] { [channels, height, width] }

    /// The pixel at channel `c`, row `y`, column `x`.
    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// A `[C, H, W]` tensor with these pixels.
    public func tensor() -> Tensor { Tensor(shape: shape, values: pixels) }

    /// The image held by a `[C, H, W]` tensor (or `[H, W]`, read as one channel).
    public init(tensor: Tensor) {
        precondition(tensor.rank == 3 || tensor.rank == 2,
                     "Image(tensor:): expected shape [C, H, W] or [H, W], got \(tensor.shape)")
        let s = tensor.rank == 3 ? tensor.shape : [1] + tensor.shape
        self.init(channels: s[0], height: s[1], width: s[2], pixels: tensor.scalars)
    }

    /// Pixels from 8-bit interleaved (HWC) samples, scaled by 1/255 as torchvision's `ToTensor`.
    public init(interleaved bytes: UnsafeBufferPointer<UInt8>, channels: Int, height: Int, width: Int) {
        precondition(bytes.count == channels * height * width,
                     "Image(interleaved:): \(bytes.count) bytes for \(channels)x\(height)x\(width)")
        let plane = height * width
        let pixels = [Float](unsafeUninitializedCapacity: bytes.count) { out, n in
            for p in 0..<plane {
                for c in 0..<channels { out[c * plane + p] = Float(bytes[p * channels + c]) / 255 }
            }
            n = bytes.count
        }
        self.init(channels: channels, height: height, width: width, pixels: pixels)
    }

    /// 8-bit interleaved (HWC) samples: each value clamped to [0, 1], times 255, rounded.
    public func interleavedBytes() -> [UInt8] {
        let plane = height * width
        return [UInt8](unsafeUninitializedCapacity: pixels.count) { out, n in
            for p in 0..<plane {
                for c in 0..<channels {
                    let v = min(max(pixels[c * plane + p], 0), 1)
                    out[p * channels + c] = UInt8((v * 255).rounded())
                }
            }
            n = pixels.count
        }
    }
}

/// One item of a dataset: an image and its class index.
public struct Example: Sendable, Equatable {
    public var image: Image
    public var label: Int

    public init(image: Image, label: Int) {
        self.image = image
        self.label = label
    }
}
