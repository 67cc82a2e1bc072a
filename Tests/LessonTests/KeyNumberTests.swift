import Foundation
import Testing

/// The key numbers of issue 9, pinned against the lecture and the papers rather than the engine.
/// The snapshot test (`LessonRunTests`) checks that a quick run prints exactly the recorded `//>`
/// lines; this suite checks that those recorded lines hold the published values, so together they
/// fail when the engine computes anything else.
@Suite("Lessons record the lecture's key numbers")
struct KeyNumberTests {
    @Test("L02: AlexNet conv1 MACs 11·11·3·55·55·96 = 105,415,200 (the slide's 105.4M)")
    func alexNetConv1() throws {
        let lines = try recorded("L02-LeNet-AlexNet")
        #expect(lines.contains("11·11·3·55·55·96: 105415200"))
        #expect(lines.contains("engine: features.0 MACs: 105415200"))
        #expect(lines.contains("equal: true"))
        // LeNet-5 with a 10-way linear output: 156 + 2,416 + 48,120 + 10,164 + 850.
        #expect(lines.contains("total parameters: 61706"))
        // The slide's LRN example, (k, α, β, n) = (0, 1, 1, 2) on four ones.
        #expect(lines.contains("slide's example, b[0]: 0.5000"))
        // Grouping conv2 (96 → 256, 5x5) in two halves its weights: 5·5·96·256 → 5·5·48·256.
        #expect(lines.contains { $0.contains("614400") && $0.contains("614656") })
        #expect(lines.contains { $0.contains("307200") && $0.contains("307456") })
    }

    @Test("L03: VGG-16 receptive field 196 at conv5_3 and 212 at pool5; 138,357,544 parameters")
    func vgg16() throws {
        let lines = try recorded("L03-VGG")
        #expect(lines.contains("conv5_3: 196"))
        #expect(lines.contains("pool5: 212"))
        #expect(lines.contains("VGG-16 total parameters: 138357544"))
        #expect(lines.contains("formula == engine: true"))
        // 18C², 25C², 27C², 49C² for C = 64: 73,728, 102,400, 110,592, 200,704 weights.
        for weights in ["73728", "102400", "110592", "200704"] { #expect(lines.contains { $0.contains(weights) }) }
    }
}

@Suite("Lessons record the lecture's key numbers, GoogLeNet and the summary tables")
struct KeyNumberTestsII {

    @Test("L04: the slide's exercise, (a) 5·5·64·64 + 64 = 102,464 and (b) 1·1·64·32 + 32 + 5·5·32·64 + 64 = 53,344 weights")
    func inceptionExercise() throws {
        let lines = try recorded("L04-GoogLeNet")
        #expect(lines.contains("(a) weights = 5·5·64·64 + 64: 102,464"))
        #expect(lines.contains("(b) weights = 1·1·64·32 + 32 + 5·5·32·64 + 64: 53,344"))
        #expect(lines.contains("engine agrees with the formulas: true"))
        // 102,400 i² and 53,248 i² MACs; at i = 28: 80,281,600 and 41,746,432.
        #expect(lines.contains { $0.hasPrefix("(a) 5×5") && $0.contains("102,464") && $0.contains("102,400 i²") })
        #expect(lines.contains { $0.hasPrefix("28") && $0.contains("80,281,600") && $0.contains("41,746,432") })
    }

    @Test("L05: ResNet-50 25,557,032 and VGG-16 138,357,544 parameters (torchvision)")
    func summaryTotals() throws {
        let lines = try recorded("L05-Summary")
        #expect(lines.contains("ResNet-50 parameters: 25,557,032"))
        #expect(lines.contains("VGG-16 parameters: 138,357,544"))
        // torchvision's model card: ResNet-50 (v1.5) 4.09 GFLOPS (its "FLOPS" count multiply-adds).
        #expect(lines.contains { $0.hasPrefix("v1.5 (torchvision)") && $0.contains("25,557,032") && $0.contains("4.089G") })
    }
}
