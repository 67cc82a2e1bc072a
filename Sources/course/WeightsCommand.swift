import ArgumentParser
import Checkpoint
import CNN
import Foundation

/// `course weights inspect|convert|load`: look into, convert and load checkpoint files.
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Inspect, convert and load checkpoints (PyTorch .pth and safetensors).",
        subcommands: [Inspect.self, Convert.self, Load.self]
    )

    /// The model registry `weights load` uses.
    ///
    /// MODEL REGISTRY HOOK: the only place to wire in the zoo. Replace the body with the zoo's
    /// name → model lookup (e.g. `Zoo.model(named: name)`) once it exists; nothing else changes.
    static func makeModel(named name: String) -> Module? {
        nil
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a checkpoint's keys, dtypes, shapes and sizes.")

        @Argument(help: "A .pth/.pt (torch.save zip) or .safetensors file.") var file: String

        func run() throws {
            let (sd, format) = try readCheckpointWithFormat(URL(fileURLWithPath: file))
            print("\(file): \(format.rawValue), \(sd.tensors.count) tensors, \(sd.tensors.reduce(0) { $0 + $1.count }) elements, \(byteString(sd.byteCount))")
            for (k, v) in sd.metadata.sorted(by: { $0.key < $1.key }) { print("  metadata \(k) = \(v)") }
            for note in sd.notes { print("  note: \(note)") }
            let width = sd.keys.map(\.count).max() ?? 0
            for t in sd.tensors {
                let name = t.name.padding(toLength: max(width, 4), withPad: " ", startingAt: 0)
                let dtype = t.dtype.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
                print("  \(name)  \(dtype) \(shape.padding(toLength: 20, withPad: " ", startingAt: 0)) \(byteString(t.byteCount))")
            }
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a checkpoint; the output's extension (.safetensors, .pth) picks the format. Dtypes are kept.")

        @Argument(help: "The checkpoint to read.") var input: String
        @Argument(help: "The file to write (written atomically).") var output: String

        func run() throws {
            let sd = try readCheckpoint(URL(fileURLWithPath: input))
            try writeCheckpoint(sd, to: URL(fileURLWithPath: output))
            print("\(input) -> \(output): \(sd.tensors.count) tensors, \(byteString(sd.byteCount))")
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a checkpoint into a named model and report as load_state_dict does.")

        @Argument(help: "The model's name in the zoo.") var model: String
        @Argument(help: "The checkpoint to load.") var file: String
        @Flag(name: .customLong("non-strict"), help: "Report missing and unexpected keys instead of failing.") var nonStrict = false

        func run() throws {
            guard let module = WeightsCommand.makeModel(named: model) else {
                throw ValidationError("no model named '\(model)' in the registry (WeightsCommand.makeModel is not wired to the zoo yet)")
            }
            let sd = try readCheckpoint(URL(fileURLWithPath: file))
            let report = try module.loadStateDict(sd, strict: !nonStrict)
            print("\(model) <- \(file): \(report.loadedKeys.count) tensors loaded")
            print(report)
            if !report.keptKeys.isEmpty { print("kept (absent from the file): \(report.keptKeys.joined(separator: ", "))") }
        }
    }
}

/// "1.2 MB"-style sizes (powers of 1000, as `ls -h --si`).
private func byteString(_ n: Int) -> String {
    if n < 1000 { return "\(n) B" }
    let units = ["kB", "MB", "GB", "TB"]
    var value = Double(n) / 1000, i = 0
    while value >= 1000 && i < units.count - 1 { value /= 1000; i += 1 }
    return "\(String(format: "%.1f", value)) \(units[i])"
}
