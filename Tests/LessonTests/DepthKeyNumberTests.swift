import Foundation
import Testing

/// The key numbers of L08 (depth) and L09 (loss landscapes), pinned against the paper and hand
/// computation; `LessonRunTests` checks that a quick run prints exactly these recorded lines.
@Suite("L08/L09 record the key numbers")
struct DepthKeyNumberTests {

    /// The words of the recorded table row that starts with `first`.
    func row(_ lines: [String], _ first: String) -> [String]? {
        lines.map { $0.split(separator: " ").map(String.init) }.first { $0.first == first }
    }

    @Test("L08: CIFAR ResNet parameters = 144c + 97216n − 22358 (Table 6: 0.27M … 1.7M); option B adds 2752")
    func cifarResNetCounts() throws {
        let lines = try recorded("L08-Depth")
        for (depth, n) in [(20, 3), (32, 5), (44, 7), (56, 9), (110, 18)] {
            let a = 144 * 3 + 97_216 * n - 22_358
            // Two 1x1 projections with BN: 16·32 + 2·32 + 32·64 + 2·64.
            let b = a + 2_752
            #expect(row(lines, "\(depth)") == ["\(depth)", "\(n)", "\(a)", "\(a)", "\(b)", "2752"], "depth \(depth)")
        }
        // One grey input channel removes 2·9·16 = 288 weights from conv1.
        #expect(lines.contains("ResNet-20 with 1 input channel: \(269_722 - 288)"))
    }

    @Test("L09: filter normalisation of the worked example (norms 5 and 1; whole layer √(26/5))")
    func filterNormalisation() throws {
        let lines = try recorded("L09-Landscapes")
        #expect(lines.contains("filter-normalised: [5.000, 0, 0, 0, 0, 1.000, 0, 0]"))
        // √5.2 = 2.2804, 2√5.2 = 4.5607, at 4 significant digits.
        #expect(lines.contains { $0.hasPrefix("whole-layer normalised: [2.280,") && $0.contains("4.561") })
    }
}
