import Foundation
import Testing

/// Key numbers of lesson L10 (DenseNet memory), read from the quick run's recorded `//>` lines
/// (which `LessonRunTests` checks against a fresh run) and pinned against torchvision's parameter
/// counts and hand arithmetic, not against the engine.
@Suite("L10 records DenseNet's memory figures")
struct L10KeyNumberTests {

    /// The whitespace-separated fields of the first recorded line that starts with `prefix`.
    func row(_ prefix: String) throws -> [String] {
        let line = try #require(try recorded("L10-DenseNet-Memory").first { $0.hasPrefix(prefix) }, "no recorded line starts with '\(prefix)'")
        return line.split(separator: " ").map(String.init)
    }

    @Test("channels alive after a dense block (k = 12, c0 = 24): the meter equals the hand count, 1368 naive and 744 memory-efficient at L = 6")
    func keptChannels() throws {
        // Naive (BN → ReLU as one op: 2·C_l + 9k per layer): 2·L·c0 + k·L(L−1) + 10·k·L = 288 + 360 + 720 = 1368 for L = 6.
        // Memory-efficient: 9·k·L + c0 + L·k = 648 + 24 + 72 = 744. Ratio 1368 / 744 = 1.84.
        #expect(try row("6 ") == ["6", "1368", "1368", "744", "744", "1.84"])
        // L = 48: 2304 + 27072 + 5760 = 35136; 5184 + 24 + 576 = 5784; 35136 / 5784 = 6.07.
        #expect(try row("48 ") == ["48", "35136", "35136", "5784", "5784", "6.07"])
    }

    @Test("DenseNet-121 has torchvision's 7,978,856 parameters, ResNet-18 11,689,512; the memory-efficient step needs less")
    func imageNetSize() throws {
        let naive = try row("DenseNet-121 naive"), efficient = try row("DenseNet-121 memory-efficient"), resnet = try row("ResNet-18")
        #expect(naive[2] == "7978856" && efficient[2] == "7978856")
        #expect(resnet[1] == "11689512")
        // Fields after the parameter count: meter MiB, PyTorch MiB.
        let (naiveMeter, efficientMeter) = (try #require(Double(naive[3])), try #require(Double(efficient[3])))
        #expect(efficientMeter < naiveMeter * 0.75, "memory-efficient \(efficientMeter) MiB against naive \(naiveMeter) MiB")
    }

    @Test("peak memory against depth: the naive curve bends (quadratic share), the memory-efficient one hardly")
    func depthFit() throws {
        let naive = try row("naive "), efficient = try row("memory-efficient ")
        // Columns: label, a, b, c, c·n² share, R² of a linear fit.
        let naiveShare = try #require(Double(naive[4].dropLast())), efficientShare = try #require(Double(efficient[4].dropLast()))
        #expect(naiveShare > 3 * efficientShare, "quadratic shares \(naiveShare)% and \(efficientShare)%")
        #expect(try #require(Double(efficient[5])) > 0.99)
    }
}
