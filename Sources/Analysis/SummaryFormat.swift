// Text and JSON renderings of a summary: the torchinfo-like table and the issue's JSON object.
import CNN
import Foundation

extension ModelSummary {
    /// A torchinfo-like table: layer, type, output shape, parameters, MACs, receptive field,
    /// activation and saved bytes; totals and the counting convention below it.
    public func table() -> String {
        let header = ["Layer", "Type", "Output shape", "Params", "MACs", "RF (size/jump/start)", "Act. bytes", "Saved bytes"]
        var cells: [[String]] = [header]
        for r in layers {
            cells.append([r.name.isEmpty ? "(root)" : r.name, r.type, "[" + r.outputShape.map(String.init).joined(separator: ", ") + "]",
                          grouped(r.parameters), grouped(r.macs),
                          "\(r.receptiveField.size)/\(r.receptiveField.jump)/\(formatStart(r.receptiveField.start))",
                          grouped(r.activationBytes), grouped(r.savedBytes)])
        }
        let widths = header.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        let numeric: Set<Int> = [3, 4, 6, 7]
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return numeric.contains(c) ? pad + s : s + pad
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var out = [rule, line(cells[0]), rule] + cells.dropFirst().map(line) + [rule]
        out += [
            "Model: \(model)   input: [\(input.map(String.init).joined(separator: ", "))]",
            "Total parameters:      \(grouped(total.parameters))",
            "Trainable parameters:  \(grouped(total.trainableParameters))",
            "Buffers:               \(grouped(total.buffers))",
            "MACs (conv + linear):  \(grouped(total.macs))  (\(String(format: "%.3f", Double(total.macs) / 1e9)) GMACs)",
            "FLOPs (= 2 x MACs):    \(grouped(total.flops))",
            "Parameter size (MB):   \(String(format: "%.2f", total.parameterMegabytes))",
            "Activations (MB):      \(String(format: "%.2f", total.activationMegabytes))",
            "Saved for backward (MB): \(String(format: "%.2f", Double(total.savedBytes) / 1e6))",
            rule,
            ModelSummary.convention,
        ]
        return out.joined(separator: "\n")
    }

    /// The JSON object of the issue: model, input, layers (name, type, output_shape, parameters, macs,
    /// receptive_field {size, jump, start}, activation_bytes, saved_bytes), total (parameters,
    /// trainable_parameters, buffers, macs, activation_bytes). Integers without separators.
    public func json() throws -> String {
        struct Field: Encodable { let size: Int, jump: Int, start: Double }
        struct Row: Encodable {
            let name: String, type: String, output_shape: [Int], parameters: Int, macs: Int
            let receptive_field: Field, activation_bytes: Int, saved_bytes: Int
        }
        struct Total: Encodable { let parameters: Int, trainable_parameters: Int, buffers: Int, macs: Int, activation_bytes: Int }
        struct Object: Encodable { let model: String, input: [Int], layers: [Row], total: Total }
        let object = Object(
            model: model, input: input,
            layers: layers.map { r in
                Row(name: r.name, type: r.type, output_shape: r.outputShape, parameters: r.parameters, macs: r.macs,
                    receptive_field: Field(size: r.receptiveField.size, jump: r.receptiveField.jump, start: r.receptiveField.start),
                    activation_bytes: r.activationBytes, saved_bytes: r.savedBytes)
            },
            total: Total(parameters: total.parameters, trainable_parameters: total.trainableParameters, buffers: total.buffers,
                         macs: total.macs, activation_bytes: total.activationBytes))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}

