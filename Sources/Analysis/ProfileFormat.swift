// Text and JSON renderings of a forward-pass profile.
import CNN
import Foundation

extension ForwardProfile {
    /// The per-row table (forward order, or the `top` slowest), the time per layer type, totals.
    public func table(top: Int = 0, threads: Int) -> String {
        let rows = top > 0 ? Array(layers.enumerated().sorted { $0.element.milliseconds > $1.element.milliseconds }.prefix(top))
                           : Array(layers.enumerated())
        let sum = layers.reduce(0) { $0 + $1.milliseconds }
        func share(_ ms: Double) -> String { sum > 0 ? String(format: "%.1f%%", 100 * ms / sum) : "-" }
        func rate(_ macs: Int, _ ms: Double) -> String { macs > 0 && ms > 0 ? String(format: "%.1f", 2 * Double(macs) / (ms * 1e6)) : "" }
        var out = [String]()
        out.append("\(model.isEmpty ? "model" : model), input [\(input.map(String.init).joined(separator: ", "))], "
                   + "\(training ? "training-mode" : "eval-mode") forward, \(threads) threads, median of \(repetitions)")
        out += aligned([["#", "Layer", "Type", "Output shape", "MACs", "ms", "share", "GFLOP/s"]] + rows.map { i, r in
            [String(i + 1), r.name.isEmpty ? "(root)" : r.name, r.type, "[" + r.outputShape.map(String.init).joined(separator: ", ") + "]",
             grouped(r.macs), String(format: "%.3f", r.milliseconds), share(r.milliseconds), rate(r.macs, r.milliseconds)]
        }, numeric: [0, 4, 5, 6, 7])
        if top > 0 && top < layers.count { out.append("(\(top) slowest of \(layers.count) rows)") }
        out.append("")
        out += aligned([["Type", "rows", "ms", "share", "GMACs", "GFLOP/s"]] + byType.map { t in
            [t.type, String(t.count), String(format: "%.3f", t.milliseconds), share(t.milliseconds),
             t.macs > 0 ? String(format: "%.3f", Double(t.macs) / 1e9) : "", rate(t.macs, t.milliseconds)]
        }, numeric: [1, 2, 3, 4, 5])
        out.append("")
        out.append(String(format: "Forward pass: %.3f ms (median of whole passes); rows sum to %.3f ms; %.3f GMACs, %.1f GFLOP/s overall",
                          totalMilliseconds, sum, Double(macs) / 1e9, totalMilliseconds > 0 ? 2 * Double(macs) / (totalMilliseconds * 1e6) : 0))
        return out.joined(separator: "\n")
    }

    /// {"model", "input", "training", "repetitions", "total_ms", "layers": [{"name", "type",
    /// "output_shape", "macs", "ms"}], "by_type": [{"type", "rows", "ms", "macs"}]}.
    public func json() throws -> String {
        struct Row: Encodable { let name: String, type: String, output_shape: [Int], macs: Int, ms: Double }
        struct TypeRow: Encodable { let type: String, rows: Int, ms: Double, macs: Int }
        struct Object: Encodable {
            let model: String, input: [Int], training: Bool, repetitions: Int, total_ms: Double, layers: [Row], by_type: [TypeRow]
        }
        let object = Object(model: model, input: input, training: training, repetitions: repetitions, total_ms: totalMilliseconds,
                            layers: layers.map { Row(name: $0.name, type: $0.type, output_shape: $0.outputShape, macs: $0.macs, ms: $0.milliseconds) },
                            by_type: byType.map { TypeRow(type: $0.type, rows: $0.count, ms: $0.milliseconds, macs: $0.macs) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }

    private func aligned(_ cells: [[String]], numeric: Set<Int>) -> [String] {
        let widths = cells[0].indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return numeric.contains(c) ? pad + s : s + pad
            }.joined(separator: "  ")
        }
    }
}
