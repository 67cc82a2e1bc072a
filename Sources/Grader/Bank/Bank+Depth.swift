import CNN
import LessonKit
import Zoo

// Exercises on the depth experiments (l08-depth) and loss landscapes (l09-landscapes).

extension Bank {
    static let cifarResNetParameters = Exercise(
        id: "cifar-resnet-parameters",
        title: Localized(zh: "CIFAR ResNet 的参数量", en: "Parameters of a CIFAR ResNet"),
        lesson: "l08-depth",
        generate: { g in
            Parameters(["n": .integer(g.pick([3, 5, 7, 9, 18])), "channels": .integer(g.pick([1, 3])),
                        "shortcut": .integer(g.pick([0, 1]))])
        },
        prompt: { p in
            let option = p.int("shortcut") == 0 ? "A" : "B"
            return Localized(
                zh: "He 等（2016）第 4.2 节的 CIFAR ResNet-\(6 * p.int("n") + 2)（n = \(p.int("n"))）：输入 \(p.int("channels")) 个通道、32×32；3×3 卷积到 16 通道（无偏置）+ BN；三段各 \(p.int("n")) 个两层 3×3 卷积（无偏置）+ BN 的残差块，通道 16、32、64；全局平均池化；10 路全连接层（有偏置）。捷径用选项 \(option)（A：补零的恒等映射；B：通道变化处用 1×1 卷积 + BN 投影）。BN 的 γ、β 算参数，滑动均值和方差不算。",
                en: "The CIFAR ResNet-\(6 * p.int("n") + 2) of He et al. (2016), Section 4.2 (n = \(p.int("n"))): \(p.int("channels")) input channels of 32×32; a 3×3 convolution to 16 channels (no bias) + BN; three stages of \(p.int("n")) blocks of two 3×3 convolutions (no bias) + BN, with 16, 32, 64 channels; global average pooling; a 10-way fully connected layer (with bias). Shortcuts use option \(option) (A: zero-padded identity; B: a 1×1 convolution + BN projection where the channels change). BN's γ and β count as parameters, its running mean and variance do not.")
        },
        parts: [
            Part(id: "parameters", points: 2, kind: .integer,
                 prompt: { _ in Localized(zh: "可训练参数的总数", en: "Total trainable parameters") },
                 answer: { p in .integer(cifarResNet(p).parameterCount) },
                 mistakes: [Mistake(id: "batchnorm-forgotten",
                                    feedback: Localized(zh: "每个 BN 层还有 2C 个参数（γ 和 β）。", en: "Every BN layer adds 2C parameters (γ and β)."),
                                    answer: { p in .integer(cifarResNet(p).namedParameters().filter { $0.tensor.rank >= 2 || $0.name == "fc.bias" }
                                        .reduce(0) { $0 + $1.tensor.count }) })]),
        ])

    static func cifarResNet(_ p: Parameters) -> CIFARResNet {
        CIFARResNet(depth: 6 * p.int("n") + 2, shortcut: p.int("shortcut") == 0 ? .optionA : .optionB, inputChannels: p.int("channels"))
    }

    static let filterNormalization = Exercise(
        id: "filter-normalization",
        title: Localized(zh: "滤波器归一化的方向", en: "A filter-normalised direction"),
        lesson: "l09-landscapes",
        generate: { g in
            Parameters(["w": .reals((0..<8).map { _ in Double(g.int(in: -6...6)) / 2 }),
                        "d": .reals((0..<8).map { _ in Double(g.pick([-3, -2, -1, 1, 2, 3])) })])
        },
        prompt: { p in
            let w = p.reals("w").map(Value.format).joined(separator: ", "), d = p.reals("d").map(Value.format).joined(separator: ", ")
            return Localized(
                zh: "一个卷积层的权重形状为 [2, 1, 2, 2]（2 个滤波器，各 4 个数），按内存顺序为 θ = [\(w)]；随机方向 d = [\(d)]。按 Li 等（2018）的做法把 d 的每个滤波器缩放到 θ 中对应滤波器的范数：d_i ← d_i · ‖θ_i‖ / ‖d_i‖。",
                en: "A conv layer has weights of shape [2, 1, 2, 2] (2 filters of 4 values), in memory order θ = [\(w)]; a random direction is d = [\(d)]. As Li et al. (2018) do, rescale each filter of d to the norm of the matching filter of θ: d_i ← d_i · ‖θ_i‖ / ‖d_i‖.")
        },
        parts: [
            Part(id: "direction", points: 2, tolerance: .relative(rtol: 1e-3, atol: 1e-3), kind: .reals,
                 prompt: { _ in Localized(zh: "归一化后的 d（8 个数）", en: "The normalised d (8 numbers)") },
                 answer: { p in
                     .reals(filterNormalize(p.reals("d").map(Float.init), like: p.reals("w").map(Float.init), filters: 2).map(Double.init))
                 },
                 mistakes: [Mistake(id: "layer-normalised",
                                    feedback: Localized(zh: "你把整层当成一个向量归一化了；应当每个滤波器各自缩放。",
                                                        en: "You normalised the whole layer as one vector; each filter is rescaled on its own."),
                                    answer: { p in
                                        .reals(filterNormalize(p.reals("d").map(Float.init), like: p.reals("w").map(Float.init), filters: 1).map(Double.init))
                                    })]),
        ])
}
