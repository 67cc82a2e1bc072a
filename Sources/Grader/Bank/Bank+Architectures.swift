import Foundation
import Zoo
import CNN

// Exercises on the design choices of VGG, GoogLeNet and ResNet.

extension Bank {
    static let stackVersusLargeKernel = Exercise(
        id: "stack-vs-large-kernel",
        title: Localized(zh: "3×3 卷积堆叠与大卷积核", en: "Stacked 3×3 convolutions versus one large kernel"),
        lesson: "l03-vgg",
        generate: { g in Parameters(["c": .integer(g.pick([32, 64, 128, 256, 512])), "n": .integer(g.pick([2, 3]))]) },
        prompt: { p in Localized(
            zh: "VGG 用 \(p.int("n")) 个 3×3 卷积（\(p.int("c")) → \(p.int("c")) 通道，无偏置，步长 1）代替一个 \(2 * p.int("n") + 1)×\(2 * p.int("n") + 1) 卷积。",
            en: "VGG replaces one \(2 * p.int("n") + 1)×\(2 * p.int("n") + 1) convolution by \(p.int("n")) stacked 3×3 convolutions (\(p.int("c")) → \(p.int("c")) channels, no bias, stride 1).") },
        parts: [
            Part(id: "stack_weights", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "3×3 堆叠的权重数", en: "Weights of the 3×3 stack") },
                 answer: { p in .integer(stack(p).parameterCount) }),
            Part(id: "large_weights", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "单个大卷积核的权重数", en: "Weights of the single large kernel") },
                 answer: { p in .integer(large(p).parameterCount) }),
            Part(id: "receptive_field", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "堆叠的感受野边长", en: "Receptive field of the stack (side length)") },
                 answer: { p in .integer(EngineFacts.receptiveField(of: stack(p), channels: p.int("c"))) },
                 mistakes: [Mistake(id: "product-of-kernels", feedback: Localized(zh: "感受野按 l_k = l_{k−1} + (f_k − 1)·∏s_i 累加，不是相乘。", en: "Receptive fields add up as l_k = l_{k−1} + (f_k − 1)·∏s_i; they do not multiply."),
                                    answer: { p in .integer(Int(pow(3.0, Double(p.int("n"))))) })]),
        ])

    static let inceptionBottleneck = Exercise(
        id: "inception-bottleneck",
        title: Localized(zh: "Inception 朴素分支与瓶颈分支", en: "Naive versus bottleneck inception branch"),
        lesson: "l04-googlenet",
        generate: { g in
            let c = g.pick([64, 128, 192, 256])
            return Parameters(["c": .integer(c), "f": .integer(g.pick([32, 64, 96, 128])), "r": .integer(g.pick([16, 24, 32, 48])),
                               "k": .integer(g.pick([3, 5])), "i": .integer(g.pick([7, 14, 28]))])
        },
        prompt: { p in Localized(
            zh: "输入 \(p.int("c")) 通道、\(p.int("i"))×\(p.int("i")) 的特征图。(a) 朴素分支：\(p.int("k"))×\(p.int("k")) 卷积直接输出 \(p.int("f")) 通道；(b) 瓶颈分支：先 1×1 卷积降到 \(p.int("r")) 通道，再 \(p.int("k"))×\(p.int("k")) 卷积到 \(p.int("f")) 通道。所有卷积带偏置、保持尺寸（same padding）。",
            en: "Input: \(p.int("c")) channels of \(p.int("i"))×\(p.int("i")). (a) Naive branch: a \(p.int("k"))×\(p.int("k")) convolution straight to \(p.int("f")) channels; (b) bottleneck: a 1×1 convolution down to \(p.int("r")) channels, then \(p.int("k"))×\(p.int("k")) to \(p.int("f")). All convolutions have biases and keep the size (same padding).") },
        parts: [
            Part(id: "naive_weights", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "(a) 权重数", en: "(a) weights") },
                 answer: { p in .integer(naive(p).parameterCount) },
                 mistakes: [biasForgotten { p in naive(p, bias: false).parameterCount }]),
            Part(id: "naive_macs", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "(a) MACs", en: "(a) MACs") },
                 answer: { p in .integer(EngineFacts.walk(naive(p), input: input(p)).macs) },
                 mistakes: [
                    flopsForMACs { p in EngineFacts.walk(naive(p), input: input(p)).macs },
                    Mistake(id: "slide-typo", feedback: Localized(zh: "幻灯片上的 “10240 i²” 少了一个 0：5×5×64×64 = 102400，应为 102400 i²。", en: "The slide's \"10240 i²\" drops a zero: 5×5×64×64 = 102400, so it should read 102400 i²."),
                            answer: { p in .integer(EngineFacts.walk(naive(p), input: input(p)).macs / 10) }),
                 ]),
            Part(id: "bottleneck_weights", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "(b) 权重数", en: "(b) weights") },
                 answer: { p in .integer(bottleneck(p).parameterCount) },
                 mistakes: [biasForgotten { p in bottleneck(p, bias: false).parameterCount }]),
            Part(id: "bottleneck_macs", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "(b) MACs", en: "(b) MACs") },
                 answer: { p in .integer(EngineFacts.walk(bottleneck(p), input: input(p)).macs) },
                 mistakes: [flopsForMACs { p in EngineFacts.walk(bottleneck(p), input: input(p)).macs }]),
        ])

    static let resnetProjection = Exercise(
        id: "resnet-projection",
        title: Localized(zh: "ResNet 的 1×1 投影捷径", en: "ResNet's 1×1 projection shortcut"),
        lesson: "l05-summary",
        generate: { g in
            let c = g.pick([64, 128, 256]), f = c * g.pick([2, 4])
            return Parameters(["c": .integer(c), "f": .integer(f), "h": .integer(g.pick([56, 28, 14]))])
        },
        prompt: { p in Localized(
            zh: "残差块把 \(p.int("c")) 通道、\(p.int("h"))×\(p.int("h")) 的输入变成 \(p.int("f")) 通道、\(p.int("h") / 2)×\(p.int("h") / 2) 的输出。捷径用 1×1、步长 2、无偏置的卷积 W_s 使 Y = F(x) + W_s x 的尺寸匹配。",
            en: "A residual block maps \(p.int("c")) channels of \(p.int("h"))×\(p.int("h")) to \(p.int("f")) channels of \(p.int("h") / 2)×\(p.int("h") / 2). The shortcut W_s is a 1×1 convolution, stride 2, no bias, so that Y = F(x) + W_s x matches in shape.") },
        parts: [
            Part(id: "weights", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "W_s 的权重数", en: "Weights of W_s") },
                 answer: { p in .integer(projection(p).parameterCount) }),
            Part(id: "macs", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "W_s 的 MACs（批量 1）", en: "MACs of W_s (batch 1)") },
                 answer: { p in .integer(EngineFacts.walk(projection(p), input: [1, p.int("c"), p.int("h"), p.int("h")]).macs) },
                 mistakes: [
                    flopsForMACs { p in EngineFacts.walk(projection(p), input: [1, p.int("c"), p.int("h"), p.int("h")]).macs },
                    Mistake(id: "stride-ignored", feedback: Localized(zh: "步长 2 使输出只有 (H/2)×(W/2) 个位置。", en: "Stride 2 leaves only (H/2)×(W/2) output positions."),
                            answer: { p in .integer(4 * EngineFacts.walk(projection(p), input: [1, p.int("c"), p.int("h"), p.int("h")]).macs) }),
                 ]),
        ])

    // MARK: - The layers the answers are read from

    static func stack(_ p: Parameters) -> Module {
        Sequential((0..<p.int("n")).map { _ in Conv2D(inputChannels: p.int("c"), outputChannels: p.int("c"), kernelSize: 3, padding: 1, bias: false) })
    }

    static func large(_ p: Parameters) -> Module {
        let k = 2 * p.int("n") + 1
        return Conv2D(inputChannels: p.int("c"), outputChannels: p.int("c"), kernelSize: k, padding: k / 2, bias: false)
    }

    static func naive(_ p: Parameters, bias: Bool = true) -> Module {
        Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k"), padding: p.int("k") / 2, bias: bias)
    }

    static func bottleneck(_ p: Parameters, bias: Bool = true) -> Module {
        Sequential(Conv2D(inputChannels: p.int("c"), outputChannels: p.int("r"), kernelSize: 1, bias: bias),
                   Conv2D(inputChannels: p.int("r"), outputChannels: p.int("f"), kernelSize: p.int("k"), padding: p.int("k") / 2, bias: bias))
    }

    static func projection(_ p: Parameters) -> Module {
        Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: 1, stride: 2, bias: false)
    }

    static func input(_ p: Parameters) -> [Int] { [1, p.int("c"), p.int("i"), p.int("i")] }
}

// MARK: - DenseNet and the zoo

extension Bank {
    static let denseNetChannels = Exercise(
        id: "densenet-channels",
        title: Localized(zh: "DenseNet 的通道数", en: "Channels in a DenseNet"),
        lesson: "l05-summary",
        generate: { g in
            Parameters(["c0": .integer(g.pick([16, 24, 64])), "k": .integer(g.pick([12, 24, 32])), "layers": .integer(g.pick([4, 6, 12, 16]))])
        },
        prompt: { p in Localized(
            zh: "一个 dense block 的输入有 \(p.int("c0")) 个通道，增长率 k = \(p.int("k"))，共 \(p.int("layers")) 层（每层输出 k 个通道并与之前所有特征图拼接）。之后的过渡层把通道数压缩一半（θ = 0.5，向下取整）。",
            en: "A dense block takes \(p.int("c0")) channels, growth rate k = \(p.int("k")), \(p.int("layers")) layers (each adds k channels, concatenated with all earlier maps). The transition after it halves the channels (θ = 0.5, rounded down).") },
        parts: [
            Part(id: "after_block", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "dense block 输出的通道数", en: "Channels out of the dense block") },
                 answer: { p in .integer(EngineFacts.walk(block(p), input: [1, p.int("c0"), 8, 8]).shape[1]) },
                 mistakes: [Mistake(id: "no-concatenation", feedback: Localized(zh: "DenseNet 拼接而不是相加：输入通道也要算上。", en: "DenseNet concatenates, it does not add: the input channels count too."),
                                    answer: { p in .integer(p.int("layers") * p.int("k")) })]),
            Part(id: "after_transition", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "过渡层输出的通道数", en: "Channels out of the transition") },
                 answer: { p in
                     let c = EngineFacts.walk(block(p), input: [1, p.int("c0"), 8, 8]).shape[1]
                     return .integer(EngineFacts.walk(Transition(inputChannels: c, outputChannels: c / 2), input: [1, c, 8, 8]).shape[1])
                 }),
        ])

    static func block(_ p: Parameters) -> Module {
        DenseBlock(layers: p.int("layers"), inputChannels: p.int("c0"), growthRate: p.int("k"))
    }

    static let zooParameters = Exercise(
        id: "zoo-parameters",
        title: Localized(zh: "经典网络的参数量", en: "Parameters of a classic network"),
        lesson: "l05-summary",
        generate: { g in Parameters(["model": .text(g.pick(["alexnet", "vgg11", "vgg16", "resnet18", "resnet34", "resnet50", "densenet121", "googlenet"]))]) },
        prompt: { p in Localized(
            zh: "torchvision 的 `\(p.text("model"))`（1000 类，224×224 输入，不含辅助分类器）。",
            en: "torchvision's `\(p.text("model"))` (1000 classes, 224×224 input, no auxiliary classifiers).") },
        parts: [
            Part(id: "parameters", points: 1, tolerance: .relative(rtol: 0.02, atol: 0), kind: .integer,
                 prompt: { _ in Localized(zh: "可训练参数个数（误差 2% 以内）", en: "Trainable parameters (within 2%)") },
                 answer: { p in .integer((try? Zoo.model(named: p.text("model")))?.parameterCount ?? 0) },
                 mistakes: [Mistake(id: "bytes-for-parameters", feedback: Localized(zh: "你给的是以 MB 计的大小（参数 × 4 字节）；题目问参数个数。", en: "That is the size in bytes (parameters × 4); the question asks for the number of parameters."),
                                    answer: { p in .integer(4 * ((try? Zoo.model(named: p.text("model")))?.parameterCount ?? 0)) })]),
        ])
}
