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

    @OptionGroup var target: ZooModelArguments

    @Flag(help: "List the models and their native input shapes.")
    var list = false

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
        let (entry, shape, options) = try target.resolve()
        let (model, batch, memoryEfficient) = (entry.name, target.batch, target.memoryEfficient)
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
