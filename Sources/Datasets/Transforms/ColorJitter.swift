import CNN

/// Random brightness and contrast changes with torchvision's `ColorJitter` semantics.
///
/// Each factor is uniform in `[max(0, 1 - strength), 1 + strength]`; the two adjustments are
/// applied in a random order (torchvision permutes its four adjustments):
/// - brightness: `out = clamp(f · x, 0, 1)` (a blend with black);
/// - contrast: `out = clamp(f · x + (1 - f) · m, 0, 1)`, where `m` is the mean grey level of the
///   whole image: for RGB the mean of `0.2989 R + 0.587 G + 0.114 B` (torchvision's
///   `rgb_to_grayscale` weights), for one channel the plain mean.
public struct ColorJitter: ImageTransform {
    public var brightness: Float
    public var contrast: Float

    public init(brightness: Float = 0, contrast: Float = 0) {
        precondition(brightness >= 0 && contrast >= 0, "ColorJitter: strengths \(brightness), \(contrast) must be >= 0")
        (self.brightness, self.contrast) = (brightness, contrast)
    }

    public func callAsFunction(_ image: Image, using generator: inout SeededGenerator) -> Image {
        let contrastFirst = generator.nextUniform() < 0.5
        func factor(_ s: Float) -> Float? {
            guard s > 0 else { return nil }
            let lo = max(0, 1 - s), hi = 1 + s
            return lo + (hi - lo) * generator.nextUniform()
        }
        let b = factor(brightness), c = factor(contrast)
        var out = image
        for step in contrastFirst ? [1, 0] : [0, 1] {
            if step == 0, let b { out = adjustBrightness(out, factor: b) }
            if step == 1, let c { out = adjustContrast(out, factor: c) }
        }
        return out
    }
}

/// `clamp(factor · x, 0, 1)` (torchvision `adjust_brightness`).
public func adjustBrightness(_ image: Image, factor: Float) -> Image {
    var out = image
    out.pixels.withUnsafeMutableBufferPointer { p in
        for k in p.indices { p[k] = min(max(factor * p[k], 0), 1) }
    }
    return out
}

/// `clamp(factor · x + (1 - factor) · mean(grey(x)), 0, 1)` (torchvision `adjust_contrast`).
public func adjustContrast(_ image: Image, factor: Float) -> Image {
    precondition(image.channels == 1 || image.channels == 3, "adjustContrast: \(image.channels) channels, expected 1 or 3")
    let plane = image.height * image.width
    var sum: Double = 0
    image.pixels.withUnsafeBufferPointer { p in
        if image.channels == 1 {
            for k in 0..<plane { sum += Double(p[k]) }
        } else {
            for k in 0..<plane { sum += Double(0.2989 * p[k] + 0.587 * p[plane + k] + 0.114 * p[2 * plane + k]) }
        }
    }
    let mean = Float(sum / Double(max(plane, 1)))
    var out = image
    out.pixels.withUnsafeMutableBufferPointer { p in
        for k in p.indices { p[k] = min(max(factor * p[k] + (1 - factor) * mean, 0), 1) }
    }
    return out
}
