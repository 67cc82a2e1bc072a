import ArgumentParser
import Zoo

/// The zoo model a command works on and its build options (`course summary`, `course profile`).
struct ZooModelArguments: ParsableArguments {
    @Argument(help: "Model name (see course summary --list).")
    var model: String?

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

    @Flag(help: "DenseNets: checkpointed concatenation + BN + ReLU + 1x1 conv (torchvision's memory_efficient).")
    var memoryEfficient = false

    /// The zoo entry, the [C, H, W] input and the build options; usage errors name the bad value.
    func resolve() throws -> (entry: ZooEntry, shape: [Int], options: ZooOptions) {
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
        return (entry, shape, options)
    }

    /// "3,224,224" → [3, 224, 224]; anything else is a usage error naming the text.
    static func parseInput(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--input must be three positive integers C,H,W (e.g. 3,224,224), got '\(text)'")
        }
        return parts.map { $0! }
    }
}
