import CNN

/// A synthetic image-classification set for tests and quick lesson modes: one bright shape per
/// image on a noisy dark background, the class being the shape.
///
/// Item `i` has label `i % classCount` (so every class is equally frequent) and is drawn with
/// `SeededGenerator(seed: mixSeed(seed, i))`: the same seed gives the same images, and growing
/// `count` keeps the earlier items. The shape's centre moves by up to ±size/6, its half-length is
/// 25–35 % of the size, its brightness 0.7–1; the background is 0.1 plus Gaussian noise of
/// standard deviation `noise`, clamped to [0, 1]. Colour images tint each item randomly, so only
/// the shape carries the class.
///
/// Classes, in label order: horizontal bar, vertical bar, filled square, ring, diagonal `\`,
/// diagonal `/`, plus sign, X.
///
///     let data = SyntheticShapes.make(count: 512, classCount: 4, size: 16, seed: 7)
///     data.imageShape    // [1, 16, 16]
///     data.classNames    // ["horizontal bar", "vertical bar", "square", "ring"]
public enum SyntheticShapes {
    /// Names of the shapes, index = label.
    public static let shapeNames = ["horizontal bar", "vertical bar", "square", "ring",
                                    "diagonal \\", "diagonal /", "plus", "X"]

    /// Generates `count` images of `channels` x `size` x `size` in `classCount` (2...8) classes.
    public static func make(count: Int, classCount: Int = 4, size: Int = 16, channels: Int = 1,
                            noise: Float = 0.1, seed: UInt64) -> InMemoryDataset {
        precondition(count > 0, "SyntheticShapes.make: count \(count) must be positive")
        precondition((2...shapeNames.count).contains(classCount),
                     "SyntheticShapes.make: classCount \(classCount) outside 2...\(shapeNames.count)")
        precondition(size >= 8, "SyntheticShapes.make: size \(size) too small for the shapes (need >= 8)")
        precondition(channels == 1 || channels == 3, "SyntheticShapes.make: \(channels) channels, expected 1 or 3")
        let n = channels * size * size
        var pixels = [Float](repeating: 0, count: count * n)
        pixels.withUnsafeMutableBufferPointer { buffer in
            let base = SendablePointer(buffer.baseAddress!)
            parallelRanges(count, minimumPerTask: 64) { range in
                for i in range {
                    draw(label: i % classCount, size: size, channels: channels, noise: noise,
                         seed: mixSeed(seed, UInt64(i)), into: base.p + i * n)
                }
            }
        }
        return InMemoryDataset(imageShape: [channels, size, size], pixels: .floats(pixels),
                               labels: (0..<count).map { $0 % classCount },
                               classNames: Array(shapeNames[..<classCount]))
    }

    /// Whether offset (dx, dy) from the centre lies on shape `label` of half-length `l` and
    /// half-thickness `t`.
    static func covers(_ label: Int, dx: Float, dy: Float, l: Float, t: Float) -> Bool {
        let hbar = abs(dy) <= t && abs(dx) <= l, vbar = abs(dx) <= t && abs(dy) <= l
        let diag = abs(dx - dy) <= t * 1.4 && abs(dx) <= l * 0.8
        let anti = abs(dx + dy) <= t * 1.4 && abs(dx) <= l * 0.8
        switch label {
        case 0: return hbar
        case 1: return vbar
        case 2: return abs(dx) <= l * 0.7 && abs(dy) <= l * 0.7
        case 3: return abs((dx * dx + dy * dy).squareRoot() - l * 0.8) <= t
        case 4: return diag
        case 5: return anti
        case 6: return hbar || vbar
        default: return diag || anti
        }
    }

    private static func draw(label: Int, size: Int, channels: Int, noise: Float, seed: UInt64,
                             into out: UnsafeMutablePointer<Float>) {
        var g = SeededGenerator(seed: seed)
        let s = Float(size)
        let cx = s / 2 + (g.nextUniform() * 2 - 1) * s / 6
        let cy = s / 2 + (g.nextUniform() * 2 - 1) * s / 6
        let l = s * (0.25 + 0.1 * g.nextUniform())
        let t = max(0.75, s / 16)
        let brightness = 0.7 + 0.3 * g.nextUniform()
        let tint = (0..<channels).map { _ in channels == 1 ? 1 : 0.5 + 0.5 * g.nextUniform() }
        for y in 0..<size {
            for x in 0..<size {
                let on = covers(label, dx: Float(x) + 0.5 - cx, dy: Float(y) + 0.5 - cy, l: l, t: t)
                for c in 0..<channels {
                    let value = on ? brightness * tint[c] : 0.1
                    out[(c * size + y) * size + x] = min(max(value + noise * g.nextNormal(), 0), 1)
                }
            }
        }
    }
}
