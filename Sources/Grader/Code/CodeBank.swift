import CNN

// The code exercises of the lecture. Inputs are fixed per exercise (seeded), so a harness is
// built once; the expected outputs are computed by the engine at grading time.

extension Bank {
    static let codeLRN: CodeExercise = {
        let cases: [(c: Int, p: Int, n: Int, k: Float, alpha: Float, beta: Float, seed: UInt64)] = [
            (4, 1, 2, 0, 1, 1, 0),              // the slide's worked example shape
            (6, 5, 5, 2, 1e-4, 0.75, 1),        // AlexNet's constants
            (7, 3, 3, 1, 0.5, 0.5, 2),
            (5, 4, 1, 1, 1, 1, 3),              // a window of one channel
        ]
        return CodeExercise(
            id: "code-lrn-forward", title: Localized(zh: "实现 LRN（Krizhevsky 形式）", en: "Implement LRN (Krizhevsky's form)"),
            lesson: "l01-lrn", fileName: "LRN.swift",
            prompt: Localized(
                zh: "实现 b_i = a_i / (k + α Σ_{j=max(0,i−n/2)}^{min(N−1,i+n/2)} a_j²)^β（n/2 取整）。x 按 [通道, 像素] 排列，返回同样排列的结果。",
                en: "Implement b_i = a_i / (k + α Σ_{j=max(0,i−n/2)}^{min(N−1,i+n/2)} a_j²)^β (n/2 rounded down). x is laid out [channel, pixel]; return the same layout."),
            signature: "func lrnForward(_ x: [Float], channels: Int, pixels: Int, n: Int, k: Float, alpha: Float, beta: Float) -> [Float]",
            pointsPerTest: 1,
            tests: cases.enumerated().map { i, t in
                let x: [Float] = i == 0 ? [Float](repeating: 1, count: t.c * t.p)
                    : Tensor.randomNormal([t.c * t.p], seed: t.seed).scalars.map { ($0 * 1000).rounded() / 1000 }
                return CodeTest(name: "test\(i + 1)",
                                call: "lrnForward(\(swiftLiteral(x)), channels: \(t.c), pixels: \(t.p), n: \(t.n), k: \(t.k), alpha: \(t.alpha), beta: \(t.beta))",
                                expected: {
                    localResponseNorm(Tensor(shape: [1, t.c, 1, t.p], values: x), size: t.n, alpha: t.alpha, beta: t.beta, k: t.k,
                                      convention: .krizhevsky).scalars.map(Double.init)
                })
            })
    }()

    static let codeReceptiveField: CodeExercise = {
        let cases: [(k: [Int], s: [Int])] = [
            ([3, 3], [1, 1]), ([3, 3, 3], [1, 1, 1]), ([11, 3, 5, 3], [4, 2, 1, 2]),
            ([3, 3, 2, 3, 3, 2], [1, 1, 2, 1, 1, 2]), ([7, 3, 1, 3], [2, 2, 1, 1]),
        ]
        return CodeExercise(
            id: "code-receptive-field", title: Localized(zh: "实现感受野计算", en: "Implement the receptive-field recursion"),
            lesson: "l03-vgg", fileName: "ReceptiveField.swift",
            prompt: Localized(
                zh: "给定每层的卷积核大小 f_k 与步长 s_k，按 l_k = l_{k−1} + (f_k − 1)·∏_{i<k} s_i（l_0 = 1）返回每一层之后的感受野。",
                en: "Given each layer's kernel size f_k and stride s_k, return the receptive field after every layer, l_k = l_{k−1} + (f_k − 1)·∏_{i<k} s_i with l_0 = 1."),
            signature: "func receptiveFields(kernels: [Int], strides: [Int]) -> [Int]",
            pointsPerTest: 1, tolerance: .exact,
            tests: cases.enumerated().map { i, t in
                CodeTest(name: "test\(i + 1)", call: "receptiveFields(kernels: \(swiftLiteral(t.k)), strides: \(swiftLiteral(t.s)))",
                         expected: {
                    withMetaParameters {
                        (1...t.k.count).map { depth in
                            let chain = Sequential((0..<depth).map { Conv2D(inputChannels: 1, outputChannels: 1, kernelSize: t.k[$0], stride: t.s[$0]) as Module })
                            return Double(EngineFacts.receptiveField(of: chain, channels: 1, size: 512))
                        }
                    }
                })
            })
    }()

    static let codeBatchNorm: CodeExercise = {
        let cases: [(n: Int, c: Int, p: Int, eps: Float, seed: UInt64)] = [(4, 1, 1, 1e-5, 10), (3, 2, 4, 1e-5, 11), (8, 3, 2, 1e-3, 12)]
        return CodeExercise(
            id: "code-batchnorm-forward", title: Localized(zh: "实现批标准化前向（训练模式）", en: "Implement batch-norm forward (training mode)"),
            lesson: "l04-googlenet", fileName: "BatchNorm.swift",
            prompt: Localized(
                zh: "x 按 [批, 通道, 像素] 排列。对每个通道用该批次的均值 μ_B 与方差 σ_B²（除以 m）计算 x̂ = (x − μ_B)/√(σ_B² + ε)，返回 y = γ x̂ + β。",
                en: "x is laid out [batch, channel, pixel]. Per channel, use the batch mean μ_B and variance σ_B² (divided by m): x̂ = (x − μ_B)/√(σ_B² + ε); return y = γ x̂ + β."),
            signature: "func batchNormForward(_ x: [Float], batch: Int, channels: Int, pixels: Int, gamma: [Float], beta: [Float], epsilon: Float) -> [Float]",
            pointsPerTest: 1,
            tests: cases.enumerated().map { i, t in
                let x = Tensor.randomNormal([t.n * t.c * t.p], mean: 1, std: 2, seed: t.seed).scalars.map { ($0 * 1000).rounded() / 1000 }
                let gamma = (0..<t.c).map { Float($0) * 0.5 + 1 }, beta = (0..<t.c).map { Float($0) * 0.25 - 0.5 }
                return CodeTest(name: "test\(i + 1)",
                                call: "batchNormForward(\(swiftLiteral(x)), batch: \(t.n), channels: \(t.c), pixels: \(t.p), gamma: \(swiftLiteral(gamma)), beta: \(swiftLiteral(beta)), epsilon: \(t.eps))",
                                expected: {
                    batchNorm(Tensor(shape: [t.n, t.c, t.p, 1], values: x), weight: Tensor(shape: [t.c], values: gamma),
                              bias: Tensor(shape: [t.c], values: beta), runningMean: nil, runningVariance: nil,
                              training: true, epsilon: t.eps).scalars.map(Double.init)
                })
            })
    }()

    public static let codeExercises: [CodeExercise] = [codeLRN, codeReceptiveField, codeBatchNorm]
}
