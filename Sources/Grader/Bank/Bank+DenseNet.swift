import Analysis
import CNN
import Zoo

// Exercises on DenseNet's memory (lesson l10-densenet-memory).

extension Bank {
    static let denseNetMemory = Exercise(
        id: "densenet-memory",
        title: Localized(zh: "朴素 dense block 的激活内存", en: "Activation memory of a naive dense block"),
        lesson: "l10-densenet-memory",
        generate: { g in
            Parameters(["c0": .integer(g.pick([16, 24, 64])), "k": .integer(g.pick([12, 24, 32])), "layers": .integer(g.pick([4, 6, 8, 12]))])
        },
        prompt: { p in Localized(
            zh: "一个朴素实现的 DenseNet-BC dense block：输入 \(p.int("c0")) 个通道，增长率 k = \(p.int("k"))，共 \(p.int("layers")) 层。每层是（拼接）→ BN → ReLU → 1x1 卷积（4k 个通道）→ BN → ReLU → 3x3 卷积（k 个通道）；第 1 层直接读 block 的输入，其余各层重新拼接之前所有特征图；block 最后输出所有特征图的拼接。每个运算的输出都是一个新张量，训练时都保留到反向传播。",
            en: "A naive DenseNet-BC dense block: \(p.int("c0")) input channels, growth rate k = \(p.int("k")), \(p.int("layers")) layers. Each layer is (concatenate) → BN → ReLU → 1x1 conv (4k channels) → BN → ReLU → 3x3 conv (k channels); layer 1 reads the block's input directly, every other layer concatenates all earlier maps afresh; the block returns the concatenation of all maps. Every op's output is a new tensor, and in training all of them are kept for the backward pass.") },
        parts: [
            Part(id: "alive_channels", points: 2, kind: .integer,
                 prompt: { _ in Localized(zh: "前向结束时，除 block 的输入外，每个像素、每张图存活多少个通道（所有运算输出的通道数之和）？",
                                          en: "When the forward pass ends, how many channels per pixel and image are alive besides the block's input (the sum of the channels of every op's output)?") },
                 answer: { p in .integer(naiveBlockChannels(p)) },
                 mistakes: [Mistake(id: "concatenations-only",
                                    feedback: Localized(zh: "只算了拼接：BN 和 ReLU 的输出、瓶颈部分和每层输出也都是保留下来的张量。",
                                                        en: "You counted only the concatenations: the BN and ReLU outputs, the bottleneck and every layer's output are kept tensors too."),
                                    answer: { p in
                                        let (c0, k, L) = (p.int("c0"), p.int("k"), p.int("layers"))
                                        return .integer((2...L).reduce(0) { $0 + c0 + ($1 - 1) * k } + c0 + L * k)
                                    })]),
        ])

    /// Sum of the output channels of every op of a recorded forward pass of the block, walked by
    /// the analysis on a [1, c0, 2, 2] meta input (training mode, so batch norm runs as in training).
    static func naiveBlockChannels(_ p: Parameters) -> Int {
        let block = withMetaParameters { DenseBlock(layers: p.int("layers"), inputChannels: p.int("c0"), growthRate: p.int("k")) }
        do {
            let s = try Analysis.summarize(block, input: [1, p.int("c0"), 2, 2])
            return s.total.activationBytes / (4 * 4)
        } catch {
            preconditionFailure("densenet-memory key: the analysis cannot walk the block: \(error)")
        }
    }
}
