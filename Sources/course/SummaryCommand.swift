import ArgumentParser
import CNN
import Zoo
import Analysis
import Foundation

/// `course summary MODEL`: the architecture card of a zoo model (torchinfo-like table or JSON).
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per-layer shapes, parameters, MACs, receptive fields and memory of a zoo model.",
        discussion: ModelSummary.convention)

    @Argument(help: "Model name (see --list).")
    var model: String?

    @Flag(help: "List the models and their native input shapes.")
    var list = false

    @Option(help: "Input shape C,H,W (default: the model's native input).")
    var input: String?

    @Option(help: "Batch size.")
    var batch = 1

    @Option(help: "Depth for densenet_bc (6n + 4).")
    var depth: Int?

    @Option(help: "Growth rate for densenet_bc.")
    var growth: Int?

    @Option(help: "Shortcut for CIFAR ResNets: A or B.")
    var shortcut: String?

    @Option(help: "Bottleneck stride placement for ImageNet ResNets: v1 or v1.5.")
    var stride: String?

    @Flag(help: "Include the auxiliary classifiers (googlenet, googlenet_original, inception_v3).")
    var aux = false

    @Flag(help: "DenseNets: checkpointed concatenation + BN + ReLU + 1x1 conv (torchvision's memory_efficient); shows in --measure.")
    var memoryEfficient = false

    @Flag(help: "Also run one real training step and report the memory meter's peak.")
    var measure = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(help: .hidden) var measureChild = false

    mutating func run() throws {
        if list {
            let width = Zoo.names.map(\.count).max() ?? 0
            for e in Zoo.entries {
                let shape = e.inputShape.map(String.init).joined(separator: "x")
                print(e.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + shape.padding(toLength: 11, withPad: " ", startingAt: 0)
                      + "  " + e.summary)
            }
            return
        }
        guard let model else { throw ValidationError("name a model (course summary --list shows them)") }
        guard let entry = Zoo.entry(named: model) else { throw ValidationError(ZooError.unknownModel(model, valid: Zoo.names).description) }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
        let shape = try input.map(Self.parseInput) ?? entry.inputShape
        var options = ZooOptions(depth: depth, growthRate: growth, auxiliaryHeads: aux, memoryEfficient: memoryEfficient)
        if let shortcut {
            guard let s = CIFARShortcut(rawValue: shortcut.uppercased()), s != .none else {
                throw ValidationError("--shortcut must be A or B, got '\(shortcut)'")
            }
            options.shortcut = s
        }
        if let stride {
            guard let s = ResNetStride(rawValue: stride) else { throw ValidationError("--stride must be v1 or v1.5, got '\(stride)'") }
            options.stride = s
        }
        let full = [batch] + shape
        if measureChild {   // the child process of --measure: real weights, one training step
            let net = try Zoo.model(named: model, options: options)
            let (peak, baseline) = Analysis.measureTrainingStepPeak(net, input: full)
            print("\(peak) \(baseline)")
            return
        }
        let net = try withMetaParameters { try Zoo.model(named: model, options: options) }
        let summary: ModelSummary
        do {
            summary = try Analysis.summarize(net, input: full, name: model, reference: entry.inputShape)
        } catch let error as AnalysisError {
            throw ValidationError("\(model): \(error.description)")
        }
        let measured = measure ? Self.measureInChild(arguments: CommandLine.arguments.dropFirst().filter { $0 != "--json" && $0 != "--measure" }) : nil
        if json {
            var text = try summary.json()
            if let measured {
                text.removeLast()
                text += ",\"measured\":" + (measured.peak.map { "{\"peak_bytes\":\($0),\"baseline_bytes\":\(measured.baseline ?? 0)}" }
                                            ?? "{\"error\":\(Self.quoted(measured.message))}") + "}"
            }
            print(text)
        } else {
            print(summary.table())
            if memoryEfficient {
                print("Memory-efficient: the activation and saved figures count every layer output as a plain forward pass keeps it; "
                      + "the checkpointed layers free theirs and recompute them in backward (--measure shows the step's real peak).")
            }
            if let measured {
                if let peak = measured.peak, let base = measured.baseline {
                    print(String(format: "Measured peak over one training step at batch %d: %.1f MB (engine memory meter; %.1f MB live before the step)",
                                 batch, Double(peak) / 1e6, Double(base) / 1e6))
                } else {
                    print("Measurement not available: \(measured.message)")
                }
            }
        }
    }

    /// "3,224,224" → [3, 224, 224]; anything else is a usage error naming the text.
    static func parseInput(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--input must be three positive integers C,H,W (e.g. 3,224,224), got '\(text)'")
        }
        return parts.map { $0! }
    }

    /// Runs the training step in a child process, so a missing kernel (which stops the program)
    /// becomes a clear message instead of ending this one.
    static func measureInChild(arguments: [String]) -> (peak: Int?, baseline: Int?, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments + ["--measure-child"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (nil, nil, "could not start the measuring process: \(error)") }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if process.terminationStatus == 0, numbers.count == 2 { return (numbers[0], numbers[1], "") }
        // Release builds drop precondition messages, so the trap usually says nothing more.
        let reason = errors.split(separator: "\n").last { $0.contains("Fatal error") }.map(String.init)
            ?? "an op stopped the program (status \(process.terminationStatus)), most likely a numeric kernel the step needs"
        return (nil, nil, "the training step could not run in this build: \(reason)")
    }

    static func quoted(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
