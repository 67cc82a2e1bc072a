// The zoo's catalogue: every network by the name the command line, the grader, the lessons and
// the checkpoint loader use. torchvision's own function names for its variants, plain names for
// the rest; options (classes, depth, growth rate, shortcut, stride placement, auxiliary heads) as data.
import CNN

/// Options for building a zoo model. `nil` means the entry's default.
public struct ZooOptions: Sendable, Equatable {
    /// Output classes (default 1000 for ImageNet models, 10 for LeNet and the CIFAR models).
    public var classes: Int?
    /// Depth for `densenet_bc` (6n + 4, default 100) and the generic `cifar_resnet` / `cifar_plain` (6n + 2).
    public var depth: Int?
    /// Growth rate k for `densenet_bc` (default 12).
    public var growthRate: Int?
    /// Auxiliary classifiers for googlenet, googlenet_original and inception_v3 (default off).
    public var auxiliaryHeads: Bool
    /// Shortcut for the CIFAR ResNets (default option A; `plainN` names force `.none`).
    public var shortcut: CIFARShortcut?
    /// Stride placement for ImageNet bottleneck ResNets (default torchvision's v1.5).
    public var stride: ResNetStride?
    /// DenseNets only: checkpoint each layer's concatenation + BN + ReLU + 1x1 conv (torchvision's
    /// `memory_efficient=True`): the same function and weights, less memory in training.
    public var memoryEfficient: Bool

    public init(classes: Int? = nil, depth: Int? = nil, growthRate: Int? = nil, auxiliaryHeads: Bool = false,
                shortcut: CIFARShortcut? = nil, stride: ResNetStride? = nil, memoryEfficient: Bool = false) {
        self.classes = classes; self.depth = depth; self.growthRate = growthRate
        self.auxiliaryHeads = auxiliaryHeads; self.shortcut = shortcut; self.stride = stride
        self.memoryEfficient = memoryEfficient
    }
}

/// A model the zoo can build.
public struct ZooEntry: Sendable {
    /// The name on the command line (`resnet50`, `alexnet_original`).
    public let name: String
    /// One line: what it is and where it comes from.
    public let summary: String
    /// The input the model was designed for, [C, H, W] (batch not included).
    public let inputShape: [Int]
    /// Whether the state_dict keys are torchvision's (its checkpoints load).
    public let isTorchvision: Bool
    let make: @Sendable (ZooOptions) throws -> Module

    /// Builds a fresh model with PyTorch-default initial weights.
    public func build(_ options: ZooOptions = ZooOptions()) throws -> Module { try make(options) }
}

/// Errors of the zoo registry.
public enum ZooError: Error, CustomStringConvertible, Equatable {
    case unknownModel(String, valid: [String])
    case invalidOption(model: String, message: String)

    public var description: String {
        switch self {
        case .unknownModel(let name, let valid):
            "unknown model '\(name)'; valid models: \(valid.joined(separator: ", "))"
        case .invalidOption(let model, let message): "\(model): \(message)"
        }
    }
}

/// The catalogue of networks.
///
///     let net = try Zoo.model(named: "resnet50")       // torchvision keys, 25,557,032 parameters
///     Zoo.entry(named: "resnet50")!.inputShape          // [3, 224, 224]
public enum Zoo {
    /// Every entry, in the order `course summary --list` prints them.
    public static let entries: [ZooEntry] = {
        var list: [ZooEntry] = []
        func add(_ name: String, _ summary: String, _ shape: [Int], torchvision: Bool = false,
                 _ make: @escaping @Sendable (ZooOptions) throws -> Module) {
            list.append(ZooEntry(name: name, summary: summary, inputShape: shape, isTorchvision: torchvision, make: make))
        }
        let imagenet = [3, 224, 224], cifar = [3, 32, 32]
        add("lenet5", "LeNet-5 (LeCun et al. 1998), tanh + average pooling, 28x28 input with padded C1", [1, 28, 28]) {
            LeNet5(variant: .classic, classes: $0.classes ?? 10)
        }
        add("lenet5_relu", "LeNet-5 with ReLU and max pooling", [1, 28, 28]) { LeNet5(variant: .modern, classes: $0.classes ?? 10) }
        add("alexnet", "AlexNet, torchvision's one-tower variant (64-192-384-256-256, no LRN)", imagenet, torchvision: true) {
            TorchvisionAlexNet(classes: $0.classes ?? 1000)
        }
        add("alexnet_original", "AlexNet (Krizhevsky et al. 2012): two towers as groups = 2, LRN, 227x227", [3, 227, 227]) {
            AlexNet(classes: $0.classes ?? 1000)
        }
        for c in VGGConfiguration.allCases {
            for bn in [false, true] {
                let name = "vgg\(c.rawValue)" + (bn ? "_bn" : "")
                add(name, "VGG-\(c.rawValue) (Simonyan & Zisserman 2015)\(bn ? " with batch norm" : ""), torchvision layout",
                    imagenet, torchvision: true) { VGG(c, batchNorm: bn, classes: $0.classes ?? 1000) }
            }
        }
        add("googlenet", "GoogLeNet, torchvision's batch-norm variant (3x3 third branch), aux heads optional", imagenet,
            torchvision: true) { GoogLeNet(style: .torchvision, classes: $0.classes ?? 1000, auxiliaryHeads: $0.auxiliaryHeads) }
        add("googlenet_original", "GoogLeNet (Szegedy et al. 2015) with LRN and 5x5 branches, aux heads optional", imagenet) {
            GoogLeNet(style: .original, classes: $0.classes ?? 1000, auxiliaryHeads: $0.auxiliaryHeads)
        }
        add("inception_v3", "Inception-v3 (Szegedy et al. 2016), torchvision layout, aux head optional", [3, 299, 299],
            torchvision: true) { InceptionV3(classes: $0.classes ?? 1000, auxiliaryHead: $0.auxiliaryHeads) }
        for d in [18, 34, 50, 101, 152] {
            add("resnet\(d)", "ResNet-\(d) (He et al. 2016), torchvision layout, stride v1.5 (option: v1)", imagenet,
                torchvision: true) { ResNet(depth: d, classes: $0.classes ?? 1000, stride: $0.stride ?? .v1_5) }
        }
        for d in [20, 32, 44, 56, 110] {
            add("resnet\(d)", "CIFAR ResNet-\(d) (He et al. 2016, Sec. 4.2), option-A shortcuts (option: B)", cifar) {
                CIFARResNet(depth: d, shortcut: try cifarShortcut($0, "resnet\(d)"), classes: $0.classes ?? 10)
            }
        }
        for d in [20, 32, 44, 56, 110] {
            add("plain\(d)", "CIFAR plain-\(d): ResNet-\(d) without shortcuts (the degradation experiment)", cifar) {
                CIFARResNet(depth: d, shortcut: .none, classes: $0.classes ?? 10)
            }
        }
        for d in [121, 169, 201, 264] {
            add("densenet\(d)", "DenseNet-\(d) (Huang et al. 2017), k = 32\(d == 264 ? ", torchvision's layout" : ", torchvision layout")",
                imagenet, torchvision: d != 264) { DenseNet(depth: d, classes: $0.classes ?? 1000, memoryEfficient: $0.memoryEfficient) }
        }
        add("densenet_bc", "DenseNet-BC for 32x32 (options depth = 6n + 4, default 100, growth k, default 12)", cifar) { o in
            let depth = o.depth ?? 100, k = o.growthRate ?? 12
            guard depth >= 10, (depth - 4) % 6 == 0 else {
                throw ZooError.invalidOption(model: "densenet_bc", message: "depth must be 6n + 4 (40, 100, 190, …), got \(depth)")
            }
            guard k >= 1 else { throw ZooError.invalidOption(model: "densenet_bc", message: "growth rate must be positive, got \(k)") }
            return DenseNet(bcDepth: depth, growthRate: k, classes: o.classes ?? 10, memoryEfficient: o.memoryEfficient)
        }
        return list
    }()

    /// The model names, in catalogue order.
    public static var names: [String] { entries.map(\.name) }

    /// The entry for `name`, if the zoo has it.
    public static func entry(named name: String) -> ZooEntry? { entries.first { $0.name == name } }

    /// Builds the model called `name`.
    /// - Throws: `ZooError.unknownModel` (with the valid names) or `ZooError.invalidOption`.
    public static func model(named name: String, options: ZooOptions = ZooOptions()) throws -> Module {
        guard let entry = entry(named: name) else { throw ZooError.unknownModel(name, valid: names) }
        if let c = options.classes, c < 1 {
            throw ZooError.invalidOption(model: name, message: "classes must be positive, got \(c)")
        }
        if options.depth != nil && name != "densenet_bc" {
            throw ZooError.invalidOption(model: name, message: "--depth applies to densenet_bc only (other depths are separate names)")
        }
        if options.growthRate != nil && name != "densenet_bc" {
            throw ZooError.invalidOption(model: name, message: "--growth applies to densenet_bc only")
        }
        if options.memoryEfficient && !name.hasPrefix("densenet") {
            throw ZooError.invalidOption(model: name, message: "--memory-efficient applies to the DenseNets only")
        }
        return try entry.build(options)
    }

    static func cifarShortcut(_ o: ZooOptions, _ name: String) throws -> CIFARShortcut {
        let s = o.shortcut ?? .optionA
        if s == .none { throw ZooError.invalidOption(model: name, message: "for the network without shortcuts use plain\(name.dropFirst(6))") }
        return s
    }
}
