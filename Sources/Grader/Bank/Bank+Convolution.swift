import CNN

// Exercises on convolution and pooling arithmetic (lesson l01: LeNet-5 and AlexNet).

extension Bank {
    static let convOutputShape = Exercise(
        id: "conv-output-shape",
        title: Localized(zh: "卷积输出尺寸", en: "Convolution output size"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            let k = g.pick([3, 5, 7, 11]), s = g.pick([1, 2, 4]), p = g.int(in: 0...(k / 2))
            return Parameters(["h": .integer(g.int(in: 24...230)), "k": .integer(k), "s": .integer(s), "p": .integer(p),
                               "c": .integer(g.pick([3, 16, 64])), "f": .integer(g.pick([32, 64, 96]))])
        },
        prompt: { p in Localized(
            zh: "输入特征图为 \(p.int("c"))×\(p.int("h"))×\(p.int("h"))，用 \(p.int("f")) 个 \(p.int("k"))×\(p.int("k")) 卷积核，步长 \(p.int("s"))，填充 \(p.int("p"))。",
            en: "An input of \(p.int("c"))×\(p.int("h"))×\(p.int("h")) is convolved with \(p.int("f")) kernels of \(p.int("k"))×\(p.int("k")), stride \(p.int("s")), padding \(p.int("p")).") },
        parts: [
            Part(id: "shape", points: 2, kind: .integers,
                 prompt: { _ in Localized(zh: "输出形状 [C, H, W]", en: "Output shape [C, H, W]") },
                 answer: { p in .integers(Array(convLayer(p).shape.dropFirst())) },
                 mistakes: [
                    Mistake(id: "padding-ignored", feedback: Localized(zh: "你没有计入填充：输出尺寸是 ⌊(H + 2P − K)/S⌋ + 1。", en: "You left out the padding: the output size is ⌊(H + 2P − K)/S⌋ + 1."),
                            answer: { p in .integers(Array(convLayer(p, padding: 0).shape.dropFirst())) }),
                    Mistake(id: "stride-ignored", feedback: Localized(zh: "你没有除以步长 S。", en: "You did not divide by the stride S."),
                            answer: { p in .integers(Array(convLayer(p, stride: 1).shape.dropFirst())) }),
                 ]),
        ])

    static let convWeights = Exercise(
        id: "conv-weights",
        title: Localized(zh: "卷积层参数量", en: "Parameters of a convolution layer"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            Parameters(["c": .integer(g.pick([3, 16, 32, 64, 128])), "f": .integer(g.pick([16, 32, 64, 96, 256])),
                        "k": .integer(g.pick([1, 3, 5, 7, 11]))])
        },
        prompt: { p in Localized(
            zh: "一个卷积层有 \(p.int("c")) 个输入通道、\(p.int("f")) 个 \(p.int("k"))×\(p.int("k")) 卷积核，每个卷积核带一个偏置。",
            en: "A convolution layer has \(p.int("c")) input channels and \(p.int("f")) kernels of \(p.int("k"))×\(p.int("k")), each with a bias.") },
        parts: [
            Part(id: "weights", points: 2, kind: .integer,
                 prompt: { _ in Localized(zh: "权重数（含偏置）", en: "Number of weights (biases included)") },
                 answer: { p in .integer(Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k")).parameterCount) },
                 mistakes: [biasForgotten { p in Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k"), bias: false).parameterCount }]),
        ])

    static let convMACs = Exercise(
        id: "conv-macs",
        title: Localized(zh: "卷积层的乘加次数 (MACs)", en: "Multiply-accumulates of a convolution"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            let k = g.pick([3, 5, 7, 11]), s = g.pick([1, 2, 4])
            return Parameters(["h": .integer(g.int(in: 28...227)), "k": .integer(k), "s": .integer(s), "p": .integer(g.int(in: 0...(k / 2))),
                               "c": .integer(g.pick([3, 16, 64])), "f": .integer(g.pick([32, 64, 96]))])
        },
        prompt: { p in Localized(
            zh: "输入 \(p.int("c"))×\(p.int("h"))×\(p.int("h"))，\(p.int("f")) 个 \(p.int("k"))×\(p.int("k")) 卷积核，步长 \(p.int("s"))，填充 \(p.int("p"))（同 AlexNet 第一层的算法：11×11×3×55×55×96 = 105.4M）。",
            en: "Input \(p.int("c"))×\(p.int("h"))×\(p.int("h")), \(p.int("f")) kernels of \(p.int("k"))×\(p.int("k")), stride \(p.int("s")), padding \(p.int("p")) (count as for AlexNet's conv1: 11×11×3×55×55×96 = 105.4M).") },
        parts: [
            Part(id: "macs", points: 3, kind: .integer,
                 prompt: { _ in Localized(zh: "乘加次数 MACs（批量 1）", en: "MACs (batch 1)") },
                 answer: { p in .integer(convLayer(p).macs) },
                 mistakes: [
                    flopsForMACs { p in convLayer(p).macs },
                    Mistake(id: "padding-ignored", feedback: Localized(zh: "输出尺寸要算上填充。", en: "The output size must include the padding."),
                            answer: { p in .integer(convLayer(p, padding: 0).macs) }),
                 ]),
        ])

    static let groupedConvWeights = Exercise(
        id: "grouped-conv-weights",
        title: Localized(zh: "分组卷积（AlexNet 双 GPU）的参数量", en: "Weights of a grouped convolution (AlexNet's two GPUs)"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            Parameters(["c": .integer(g.pick([96, 128, 256, 384])), "f": .integer(g.pick([128, 256, 384])),
                        "k": .integer(g.pick([3, 5])), "groups": .integer(g.pick([2, 4]))])
        },
        prompt: { p in Localized(
            zh: "卷积层 \(p.int("c")) → \(p.int("f")) 通道，\(p.int("k"))×\(p.int("k")) 卷积核，分成 \(p.int("groups")) 组（每组只看自己那部分输入通道），带偏置。",
            en: "A convolution \(p.int("c")) → \(p.int("f")) channels, \(p.int("k"))×\(p.int("k")) kernels, split into \(p.int("groups")) groups (each sees only its share of the input channels), with biases.") },
        parts: [
            Part(id: "weights", points: 2, kind: .integer,
                 prompt: { _ in Localized(zh: "权重数（含偏置）", en: "Number of weights (biases included)") },
                 answer: { p in .integer(Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k"), groups: p.int("groups")).parameterCount) },
                 mistakes: [
                    Mistake(id: "groups-ignored", feedback: Localized(zh: "分组后每个卷积核只连接 C/groups 个输入通道。", en: "With groups, each kernel connects to only C/groups input channels."),
                            answer: { p in .integer(Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k")).parameterCount) }),
                    biasForgotten { p in Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k"), groups: p.int("groups"), bias: false).parameterCount },
                 ]),
        ])

    static let poolOutputSize = Exercise(
        id: "pool-output-size",
        title: Localized(zh: "重叠池化的输出尺寸", en: "Output size of overlapping pooling"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            let k = g.pick([3, 5]), s = g.pick([2, k - 1])
            return Parameters(["h": .integer(g.int(in: 13...112)), "k": .integer(k), "s": .integer(s)])
        },
        prompt: { p in Localized(
            zh: "对 \(p.int("h"))×\(p.int("h")) 的特征图做 \(p.int("k"))×\(p.int("k")) 最大池化，步长 \(p.int("s"))，无填充（floor 模式）。",
            en: "Max pooling \(p.int("k"))×\(p.int("k")) with stride \(p.int("s")), no padding (floor mode), on a \(p.int("h"))×\(p.int("h")) map.") },
        parts: [
            Part(id: "size", points: 1, kind: .integer,
                 prompt: { _ in Localized(zh: "输出边长", en: "Output side length") },
                 answer: { p in .integer(maxPool2d(Tensor(meta: [1, 1, p.int("h"), p.int("h")]), kernelSize: (p.int("k"), p.int("k")), stride: (p.int("s"), p.int("s"))).shape[2]) },
                 mistakes: [
                    Mistake(id: "ceil-mode", feedback: Localized(zh: "默认是向下取整（floor），不是 ceil。", en: "The default rounds down (floor), not up (ceil)."),
                            answer: { p in .integer(maxPool2d(Tensor(meta: [1, 1, p.int("h"), p.int("h")]), kernelSize: (p.int("k"), p.int("k")), stride: (p.int("s"), p.int("s")), ceilMode: true).shape[2]) }),
                 ]),
        ])

    /// The convolution of a conv exercise's variant, walked by the engine.
    static func convLayer(_ p: Parameters, padding: Int? = nil, stride: Int? = nil) -> (shape: [Int], macs: Int) {
        let layer = Conv2D(inputChannels: p.int("c"), outputChannels: p.int("f"), kernelSize: p.int("k"),
                           stride: stride ?? p.int("s"), padding: padding ?? p.int("p"))
        let r = EngineFacts.walk(layer, input: [1, p.int("c"), p.int("h"), p.int("h")])
        return (r.shape, r.macs)
    }

    static func biasForgotten(_ withoutBias: @escaping @Sendable (Parameters) -> Int) -> Mistake {
        Mistake(id: "bias-forgotten", feedback: Localized(zh: "别忘了每个卷积核的偏置。", en: "Do not forget one bias per kernel."),
                answer: { .integer(withoutBias($0)) })
    }

    static func flopsForMACs(_ macs: @escaping @Sendable (Parameters) -> Int) -> Mistake {
        Mistake(id: "flops-for-macs", feedback: Localized(zh: "你算的是 FLOPs（乘法和加法分开计数，= 2 × MACs）；题目问的是 MACs。", en: "You counted FLOPs (multiplies and adds separately, = 2 × MACs); the question asks for MACs."),
                answer: { .integer(2 * macs($0)) })
    }
}
