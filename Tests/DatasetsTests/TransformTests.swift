import Testing
import Datasets
import CNN

private let arange = Image(channels: 1, height: 3, width: 4, pixels: (0..<12).map(Float.init))   // rows 0-3, 4-7, 8-11

@Suite("Transforms")
struct TransformTests {
    @Test func padAndPadTo() {
        let padded = Pad(top: 1, left: 2, bottom: 0, right: 1, value: -1)(arange)
        #expect(padded.shape == [1, 4, 7])
        #expect(Array(padded.pixels[0..<7]) == [Float](repeating: -1, count: 7))
        #expect(Array(padded.pixels[7..<14]) == [-1, -1, 0, 1, 2, 3, -1])
        // Fashion-MNIST 28x28 -> 32x32: two zero rows/columns on every side.
        let digit = Image(channels: 1, height: 28, width: 28, repeating: 1)
        let big = PadTo(height: 32, width: 32)(digit)
        #expect(big.shape == [1, 32, 32])
        #expect(big[0, 1, 1] == 0 && big[0, 2, 2] == 1 && big[0, 29, 29] == 1 && big[0, 30, 30] == 0)
        #expect(big.pixels.reduce(0, +) == 784)
    }

    @Test func centerCropRoundsHalfToEvenLikeTorchvision() {
        // H 3 -> 2: top = round(0.5) = 0; W 4 -> 1: left = round(1.5) = 2.
        #expect(CenterCrop(height: 2, width: 1)(arange).pixels == [2, 6])
        // W 4 -> 2: left = 1 exactly.
        #expect(CenterCrop(height: 1, width: 2)(arange).pixels == [5, 6])
        // Larger than the image: zero padding (left (6-4)/2 = 1, top (5-3)/2 = 1) as torchvision.
        let out = CenterCrop(height: 5, width: 6)(arange)
        #expect(out.shape == [1, 5, 6])
        #expect(out[0, 1, 1] == 0 && out[0, 1, 2] == 1 && out[0, 3, 4] == 11 && out[0, 0, 0] == 0)
    }

    @Test func flipMirrorsEachRow() {
        #expect(horizontalFlip(arange).pixels == [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8])
        #expect(RandomHorizontalFlip(probability: 1)(arange) == horizontalFlip(arange))
        #expect(RandomHorizontalFlip(probability: 0)(arange) == arange)
        // p = 0.5: about half of 400 seeds flip.
        let flips = (0..<400).filter { RandomHorizontalFlip()(arange, seed: UInt64($0)) != arange }.count
        #expect((150...250).contains(flips))
    }

    @Test func randomCropVisitsEveryOffsetAndIsSeeded() {
        // 3x4 padded by 1 -> 5x6; a 3x4 crop has 3 x 3 = 9 possible corners.
        let crop = RandomCrop(height: 3, width: 4, padding: 1)
        var seen = Set<[Float]>()
        for s in 0..<300 { seen.insert(crop(arange, seed: UInt64(s)).pixels) }
        #expect(seen.count == 9)
        #expect(seen.contains(arange.pixels))                                  // the centre offset
        #expect(seen.contains([0, 0, 0, 0, 0, 0, 1, 2, 0, 4, 5, 6]))          // the top-left offset
        #expect(crop(arange, seed: 42) == crop(arange, seed: 42))
    }

    @Test func normalizeIsPerChannel() {
        let two = Image(channels: 2, height: 1, width: 2, pixels: [1, 2, 3, 4])
        #expect(Normalize(mean: [1, 2], std: [2, 0.5])(two).pixels == [0, 0.5, 2, 4])
    }

    @Test func brightnessAndContrastFollowTorchvisionFormulas() {
        let grey = Image(channels: 1, height: 1, width: 4, pixels: [0, 0.2, 0.6, 1])
        #expect(adjustBrightness(grey, factor: 1.5).pixels == [0, 0.3, 0.90000004, 1])
        // mean 0.45; factor 0.5: 0.5·x + 0.225.
        let c = adjustContrast(grey, factor: 0.5).pixels
        #expect(zip(c, [0.225, 0.325, 0.525, 0.725] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        // RGB: the mean uses grey = 0.2989 R + 0.587 G + 0.114 B; one red and one black pixel -> mean 0.14945.
        let rgb = Image(channels: 3, height: 1, width: 2, pixels: [1, 0, 0, 0, 0, 0])
        let out = adjustContrast(rgb, factor: 0)
        #expect(out.pixels.allSatisfy { abs($0 - 0.14945) < 1e-6 })
    }

    @Test func colorJitterStaysInItsRange() {
        let grey = Image(channels: 1, height: 1, width: 2, pixels: [0.25, 0.5])
        let jitter = ColorJitter(brightness: 0.4)
        var factors = [Float]()
        for s in 0..<200 { factors.append(jitter(grey, seed: UInt64(s)).pixels[1] / 0.5) }
        #expect(factors.min()! >= 0.6 - 1e-6 && factors.max()! <= 1.4 + 1e-6)
        #expect(factors.min()! < 0.7 && factors.max()! > 1.3)   // the range is actually used
        let both = ColorJitter(brightness: 0.2, contrast: 0.2)(grey, seed: 5)
        #expect(both.pixels.allSatisfy { (0...1).contains($0) })
        #expect(ColorJitter()(grey, seed: 1) == grey)
    }

    @Test func composeAppliesInOrderAndShareOneGenerator() {
        let pipeline = RandomCrop(height: 3, width: 4, padding: 2).then(RandomHorizontalFlip()).then(Normalize(mean: [1], std: [2]))
        #expect(pipeline.steps.count == 3)
        #expect(pipeline(arange, seed: 9) == pipeline(arange, seed: 9))
        let manual = Normalize(mean: [1], std: [2])(horizontalFlip(arange))
        #expect(Compose(RandomHorizontalFlip(probability: 1), Normalize(mean: [1], std: [2]))(arange) == manual)
    }
}
