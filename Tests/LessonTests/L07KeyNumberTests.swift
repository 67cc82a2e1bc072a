import Foundation
import Testing

/// The key numbers of L07 (training recipes), pinned against hand computation and the papers:
/// the quick run's recorded `//>` lines must hold them (`LessonRunTests` checks that a run prints
/// exactly those lines).
@Suite("L07 records the training recipes' key numbers")
struct L07KeyNumberTests {

    /// 4 significant digits, the notebook's format for recorded floats (e.g. 0.009600, 0.1000).
    func four(_ x: Double) -> String {
        let digits = max(0, 3 - Int(floor(log10(abs(x)))))
        return String(format: "%.\(digits)f", x)
    }

    @Test("the small CNN: 160 + 4,640 + 200,832 + 1,290 parameters, BN adds 2·(16 + 32)")
    func parameters() throws {
        let lines = try recorded("L07-Recipes")
        let plain = (1 * 16 * 9 + 16) + (16 * 32 * 9 + 32) + (32 * 7 * 7 * 128 + 128) + (128 * 10 + 10)
        #expect(lines.contains("parameters: \(plain)"))
        #expect(lines.contains("parameters with BN: \(plain + 2 * (16 + 32))"))
        #expect(lines.contains("parameters with LRN: \(plain)"))
    }

    @Test("schedules: step x0.1/30, GoogLeNet x0.96 every 8 epochs, ResNet-110's 0.01 warm-up then 0.1")
    func schedules() throws {
        let lines = try recorded("L07-Recipes")
        #expect(lines.contains("step, epochs 0, 29, 30, 60: [0.01000, 0.01000, 0.001000, 1.000e-04]"))
        let googLeNet = [0, 0, 1, 2, 10].map { four(0.01 * pow(0.96, Double($0))) }   // epochs 0, 7, 8, 16, 80
        #expect(googLeNet == ["0.01000", "0.01000", "0.009600", "0.009216", "0.006648"])
        #expect(lines.contains("GoogLeNet, epochs 0, 7, 8, 16, 80: [\(googLeNet.joined(separator: ", "))]"))
        // He et al. 2016 §4.2: 0.01 until ~400 iterations, then 0.1, ÷10 at 32k and 48k iterations
        // (391 iterations per epoch at batch 128 on 50k images: epochs 82 and 123).
        #expect(Int((32_000.0 / 391).rounded(.up)) == 82 && Int((48_000.0 / 391).rounded(.up)) == 123)
        #expect(lines.contains("ResNet-110, epochs 0, 1, 81, 82, 123: [0.01000, 0.1000, 0.1000, 0.01000, 0.001000]"))
        #expect(lines.contains("linear warm-up, epochs 0 to 5: [0.01000, 0.02800, 0.04600, 0.06400, 0.08200, 0.1000]"))
    }

    @Test("weight decay: (1 − lr·λ)^steps over AlexNet's 90 epochs of 1.2M images at batch 128")
    func weightDecayShrink() throws {
        let lines = try recorded("L07-Recipes")
        #expect(lines.contains("AlexNet: 90 epochs × 1.2M images / 128: 843750"))
        #expect(lines.contains("(1 − 0.01·5e-4)^AlexNet steps: \(four(pow(1 - 0.01 * 5e-4, 843_750)))"))
    }

    @Test("label smoothing, K = 10, ε = 0.1: PyTorch 0.91 / 0.01, the slide 0.9 / 0.1/9")
    func labelSmoothing() throws {
        let lines = try recorded("L07-Recipes")
        let pytorch = (0..<10).map { $0 == 2 ? four(0.91) : four(0.01) }.joined(separator: ", ")
        let lecture = (0..<10).map { $0 == 2 ? four(0.9) : four(0.1 / 9) }.joined(separator: ", ")
        #expect(lines.contains("PyTorch, label 2: [\(pytorch)]"))
        #expect(lines.contains("lecture, label 2: [\(lecture)]"))
    }

    @Test("the training-configuration table holds the papers' figures")
    func configurationTable() throws {
        let lines = try recorded("L07-Recipes")
        func row(_ network: String, _ facts: [String]) {
            let hit = lines.contains { line in line.hasPrefix(network + " ") && facts.allSatisfy { line.contains($0) } }
            #expect(hit, "no recorded row for \(network) holding \(facts)")
        }
        row("AlexNet", ["128", "0.01", "SGD, momentum 0.9"])          // Krizhevsky et al. 2012 §5
        row("AlexNet", ["5e-4", "0.5", "LRN"])
        row("VGG", ["256", "0.01", "SGD, momentum 0.9"])              // Simonyan & Zisserman §3.1
        row("GoogLeNet", ["×0.96 every 8 epochs"])                    // Szegedy et al. 2015 §6
        row("GoogLeNet", ["0.4"])
        row("Inception-v3", ["0.045", "×0.94 every 2 epochs", "RMSProp, decay 0.9, ε = 1.0"])   // Szegedy et al. 2016 §8
        row("Inception-v3", ["label smoothing 0.1"])
        row("ResNet", ["1e-4", "BN"])                                 // He et al. 2016 §3.4
        row("DenseNet", ["Nesterov 0.9"])                             // Huang et al. 2017 §4.2
        row("DenseNet", ["1e-4"])
    }
}
