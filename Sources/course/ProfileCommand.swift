import ArgumentParser
import Analysis
import CNN
import Foundation
import Zoo

/// `course profile MODEL`: where the time of a forward pass goes, layer by layer.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Per-layer wall time of a zoo model's forward pass (median over repetitions), next to its MACs.",
        discussion: """
            Random weights and input; eval mode (inference) unless --train. Rows are the summary's: \
            leaf modules and the functional ops (add, concat) of composite modules, whose time is counted \
            from the previous event. GFLOP/s = 2 x MACs / time. Timing adds a few microseconds per row, so \
            the sum of the rows is close to, not equal to, the untraced pass (`course bench`).
            """)

    @OptionGroup var target: ZooModelArguments

    @Flag(help: "Profile the forward pass of a training step (batch statistics, dropout, autograd graph).")
    var train = false

    @Option(help: "Timed repetitions (the median is reported).")
    var repetitions = 10

    @Option(help: "Untimed warm-up passes.")
    var warmup = 2

    @Option(help: "Show only the N slowest rows (0: every row, in forward order).")
    var top = 0

    @Flag(help: "Print one JSON object instead of the tables.")
    var json = false

    @Flag(help: "Fold each batch norm that follows a convolution into it first (eval mode only; as `course bench` does for inference).")
    var foldBatchNorm = false

    @Option(help: "3x3 stride-1 convolutions: auto, always (the direct kernel where it applies) or never.")
    var direct: DirectConvolution = .automatic

    @Option(help: "3x3 stride-1 convolutions that do not take the direct kernel: auto (Winograd F(2x2, 3x3) where it pays), always (wherever it applies) or never.")
    var winograd: WinogradConvolution = .automatic

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, got \(repetitions)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more, got \(warmup)") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, got \(top)") }
        guard !(foldBatchNorm && train) else { throw ValidationError("--fold-batch-norm is for inference; it cannot be combined with --train") }
    }

    func run() throws {
        ConvSettings.direct = direct
        ConvSettings.winograd = winograd
        let (entry, shape, options) = try target.resolve()
        let full = [target.batch] + shape
        // Check the shape on a meta walk first: a too-small input is an error naming the layer.
        let meta = try withMetaParameters { try Zoo.model(named: entry.name, options: options) }
        do {
            _ = try Analysis.summarize(meta, input: full, name: entry.name, reference: entry.inputShape, training: train)
        } catch let error as AnalysisError {
            throw ValidationError("\(entry.name): \(error.description)")
        }
        let net = try Zoo.model(named: entry.name, options: options)
        if foldBatchNorm { net.eval(); net.foldBatchNorms(input: full) }
        let profile = try Analysis.profileForward(net, input: full, name: entry.name, training: train,
                                                  repetitions: repetitions, warmup: warmup)
        print(json ? try profile.json() : profile.table(top: top, threads: Engine.threadCount))
    }
}
