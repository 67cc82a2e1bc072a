import CNN

// Exercises on normalisation and training recipes (lessons l01, l03 and the training lesson).

extension Bank {
    static let lrnValue = Exercise(
        id: "lrn-value",
        title: Localized(zh: "LRN 的一个值", en: "One value of LRN"),
        lesson: "l01-lrn",
        generate: { g in
            let n = g.int(in: 4...6)
            return Parameters(["a": .reals((0..<n).map { _ in Double(g.int(in: 1...9)) / 2 }), "k": .real(Double(g.pick([0, 1, 2]))),
                               "alpha": .real(g.pick([1, 0.5, 0.1])), "beta": .real(g.pick([0.5, 0.75, 1])),
                               "n": .integer(g.pick([2, 3, 5])), "i": .integer(g.int(in: 0...(n - 1)))])
        },
        prompt: { p in
            let a = p.reals("a").map(Value.format).joined(separator: ", ")
            return Localized(
                zh: "某位置 (x, y) 上 \(p.reals("a").count) 个通道的激活值为 [\(a)]（通道 0 起）。按 Krizhevsky 的公式 b_i = a_i / (k + α Σ_j a_j²)^β，j 从 max(0, i − n/2) 到 min(N − 1, i + n/2)，取 (k, α, β, n) = (\(Value.format(p.double("k"))), \(Value.format(p.double("alpha"))), \(Value.format(p.double("beta"))), \(p.int("n")))。",
                en: "At a position (x, y) the \(p.reals("a").count) channels hold [\(a)] (channel 0 first). Use Krizhevsky's b_i = a_i / (k + α Σ_j a_j²)^β with j from max(0, i − n/2) to min(N − 1, i + n/2), and (k, α, β, n) = (\(Value.format(p.double("k"))), \(Value.format(p.double("alpha"))), \(Value.format(p.double("beta"))), \(p.int("n"))).")
        },
        parts: [
            Part(id: "b", points: 2, tolerance: .relative(rtol: 1e-3, atol: 1e-6), kind: .real,
                 prompt: { p in Localized(zh: "b_\(p.int("i"))（保留 4 位有效数字）", en: "b_\(p.int("i")) (4 significant digits)") },
                 answer: { p in .real(lrn(p, .krizhevsky)) },
                 mistakes: [Mistake(id: "pytorch-convention", feedback: Localized(zh: "你用了 PyTorch 的约定（α 除以 n、窗口不对称）；题目要求 Krizhevsky 的原式。", en: "You used PyTorch's convention (α divided by n, an asymmetric window); the question asks for Krizhevsky's formula."),
                                    answer: { p in .real(lrn(p, .pytorch)) })]),
        ])

    static func lrn(_ p: Parameters, _ convention: LRNConvention) -> Double {
        let a = p.reals("a").map(Float.init)
        let y = localResponseNorm(Tensor(shape: [1, a.count, 1, 1], values: a), size: p.int("n"), alpha: Float(p.double("alpha")),
                                  beta: Float(p.double("beta")), k: Float(p.double("k")), convention: convention)
        return Double(y.scalars[p.int("i")])
    }

    static let batchNormOutput = Exercise(
        id: "batchnorm-output",
        title: Localized(zh: "批标准化的输出", en: "Output of batch normalisation"),
        lesson: "l04-googlenet",
        generate: { g in
            Parameters(["x": .reals((0..<4).map { _ in Double(g.int(in: -8...8)) / 2 }), "gamma": .real(Double(g.pick([1, 2, 3])) / 2),
                        "beta": .real(Double(g.int(in: -2...2)) / 2)])
        },
        prompt: { p in Localized(
            zh: "一个通道在大小为 4 的 mini-batch 上的值为 [\(p.reals("x").map(Value.format).joined(separator: ", "))]。训练模式下 γ = \(Value.format(p.double("gamma")))，β = \(Value.format(p.double("beta")))，ε = 1e-5（方差除以 m）。",
            en: "One channel takes the values [\(p.reals("x").map(Value.format).joined(separator: ", "))] over a mini-batch of 4. Training mode, γ = \(Value.format(p.double("gamma"))), β = \(Value.format(p.double("beta"))), ε = 1e-5 (variance divided by m).") },
        parts: [
            Part(id: "y", points: 2, tolerance: .relative(rtol: 1e-3, atol: 1e-3), kind: .reals,
                 prompt: { _ in Localized(zh: "输出 y（4 个数）", en: "The output y (4 numbers)") },
                 answer: { p in .reals(batchNormAnswer(p)) },
                 mistakes: [Mistake(id: "unbiased-variance", feedback: Localized(zh: "归一化用的是有偏方差（除以 m），不是 m − 1。", en: "Normalisation uses the biased variance (divided by m), not m − 1."),
                                    answer: { p in .reals(batchNormWithUnbiasedVariance(p)) })]),
        ])

    static func batchNormAnswer(_ p: Parameters) -> [Double] {
        let x = p.reals("x").map(Float.init)
        let y = batchNorm(Tensor(shape: [x.count, 1], values: x), weight: Tensor(shape: [1], values: [Float(p.double("gamma"))]),
                          bias: Tensor(shape: [1], values: [Float(p.double("beta"))]), runningMean: nil, runningVariance: nil,
                          training: true, epsilon: 1e-5)
        return y.scalars.map(Double.init)
    }

    /// The answer a student gets by dividing the variance by m − 1 (a known mistake, not a key).
    static func batchNormWithUnbiasedVariance(_ p: Parameters) -> [Double] {
        let x = p.reals("x"), m = Double(x.count), mean = x.reduce(0, +) / m
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
        return x.map { p.double("gamma") * ($0 - mean) / (variance + 1e-5).squareRoot() + p.double("beta") }
    }

    static let labelSmoothingTarget = Exercise(
        id: "label-smoothing",
        title: Localized(zh: "Label smoothing 的目标向量", en: "Label-smoothing target vector"),
        lesson: "l04-googlenet",
        generate: { g in
            let k = g.int(in: 4...6)
            return Parameters(["k": .integer(k), "eps": .real(g.pick([0.1, 0.2, 0.3])), "label": .integer(g.int(in: 0...(k - 1)))])
        },
        prompt: { p in Localized(
            zh: "共有 K = \(p.int("k")) 类，真实类别为 \(p.int("label"))（从 0 数），ε = \(Value.format(p.double("eps")))。按课件（Inception-v3）的写法：真实类 1 − ε，其余每类 ε/(K − 1)。",
            en: "K = \(p.int("k")) classes, the true class is \(p.int("label")) (counting from 0), ε = \(Value.format(p.double("eps"))). Use the slide's (Inception-v3) form: 1 − ε on the true class, ε/(K − 1) on each other class.") },
        parts: [
            Part(id: "target", points: 1, tolerance: .relative(rtol: 1e-3, atol: 1e-4), kind: .reals,
                 prompt: { _ in Localized(zh: "目标向量", en: "The target vector") },
                 answer: { p in .reals(smoothedTargets(labels: [p.int("label")], classes: p.int("k"), epsilon: Float(p.double("eps")), convention: .lecture).scalars.map(Double.init)) },
                 mistakes: [Mistake(id: "pytorch-convention", feedback: Localized(zh: "这是 PyTorch 的写法（每类都加 ε/K）；题目要求课件的 ε/(K − 1)。", en: "That is PyTorch's form (ε/K on every class); the question asks for the slide's ε/(K − 1)."),
                                    answer: { p in .reals(smoothedTargets(labels: [p.int("label")], classes: p.int("k"), epsilon: Float(p.double("eps")), convention: .pytorch).scalars.map(Double.init)) })]),
        ])

    static let sgdMomentumUpdate = Exercise(
        id: "sgd-momentum",
        title: Localized(zh: "带动量的 SGD 更新", en: "An SGD-with-momentum update"),
        lesson: "l02-lenet-alexnet",
        generate: { g in
            Parameters(["w": .real(Double(g.int(in: -20...20)) / 10), "g1": .real(Double(g.int(in: -10...10)) / 10),
                        "g2": .real(Double(g.int(in: -10...10)) / 10), "lr": .real(g.pick([0.1, 0.01, 0.05])), "mu": .real(0.9)])
        },
        prompt: { p in Localized(
            zh: "按课件：v^{t+1} = μ v^t − α ∇L，W^{t+1} = W^t + v^{t+1}，v^0 = 0。W^0 = \(Value.format(p.double("w")))，μ = 0.9，α = \(Value.format(p.double("lr")))，前两步的梯度为 \(Value.format(p.double("g1"))) 和 \(Value.format(p.double("g2")))。",
            en: "As on the slide: v^{t+1} = μ v^t − α ∇L, W^{t+1} = W^t + v^{t+1}, v^0 = 0. W^0 = \(Value.format(p.double("w"))), μ = 0.9, α = \(Value.format(p.double("lr"))); the gradients of the first two steps are \(Value.format(p.double("g1"))) and \(Value.format(p.double("g2"))).") },
        parts: [
            Part(id: "w2", points: 2, tolerance: .relative(rtol: 1e-4, atol: 1e-6), kind: .real,
                 prompt: { _ in Localized(zh: "W^2", en: "W^2") },
                 answer: { p in .real(sgdSteps(p, momentum: Float(p.double("mu")))) },
                 mistakes: [Mistake(id: "momentum-ignored", feedback: Localized(zh: "第二步要加上 μ v^1。", en: "The second step must add μ v^1."),
                                    answer: { p in .real(sgdSteps(p, momentum: 0)) })]),
        ])

    /// Two steps of the engine's SGD in the slide's form on a one-element parameter.
    static func sgdSteps(_ p: Parameters, momentum: Float) -> Double {
        let w = Tensor(shape: [1], values: [Float(p.double("w"))], requiresGrad: true)
        let opt = SGD(groups: [ParameterGroup(name: "w", parameters: [("w", w)])], learningRate: Float(p.double("lr")), momentum: momentum, form: .slide)
        for g in [p.double("g1"), p.double("g2")] {
            w.grad = Tensor(shape: [1], values: [Float(g)])
            opt.step()
        }
        return Double(w.item())
    }

    static let stepSchedule = Exercise(
        id: "lr-step-schedule",
        title: Localized(zh: "阶梯式学习率", en: "Learning rate under a step schedule"),
        lesson: "l04-googlenet",
        generate: { g in
            Parameters(["lr": .real(g.pick([0.1, 0.01, 0.05])), "gamma": .real(g.pick([0.1, 0.5, 0.96])), "k": .integer(g.pick([2, 5, 8, 10, 30])),
                        "t": .integer(g.int(in: 5...90))])
        },
        prompt: { p in Localized(
            zh: "初始学习率 \(Value.format(p.double("lr")))，每 \(p.int("k")) 个训练周期乘以 \(Value.format(p.double("gamma")))（GoogLeNet：每 8 个周期 ×0.96）。周期从 0 数。",
            en: "Initial learning rate \(Value.format(p.double("lr"))), multiplied by \(Value.format(p.double("gamma"))) every \(p.int("k")) epochs (GoogLeNet: ×0.96 every 8). Epochs count from 0.") },
        parts: [
            Part(id: "lr", points: 1, tolerance: .relative(rtol: 1e-3, atol: 1e-12), kind: .real,
                 prompt: { p in Localized(zh: "第 \(p.int("t")) 个周期的学习率", en: "The learning rate in epoch \(p.int("t"))") },
                 answer: { p in .real(Double(LRSchedule.stepEvery(p.int("k"), gamma: Float(p.double("gamma")), base: Float(p.double("lr")))(p.int("t")))) },
                 mistakes: [Mistake(id: "off-by-one", feedback: Localized(zh: "衰减发生在第 k, 2k, … 个周期开始时（从 0 数）。", en: "The decay happens at the start of epochs k, 2k, … (counting from 0)."),
                                    answer: { p in .real(Double(LRSchedule.stepEvery(p.int("k"), gamma: Float(p.double("gamma")), base: Float(p.double("lr")))(p.int("t") + 1))) })]),
        ])

    static let plateauEpoch = Exercise(
        id: "plateau-epoch",
        title: Localized(zh: "ReduceLROnPlateau 何时降低学习率", en: "When ReduceLROnPlateau drops the rate"),
        lesson: "l03-vgg",
        generate: { g in
            var loss = Double(g.int(in: 20...30)) / 10, trace: [Double] = []
            let improve = g.int(in: 3...6)
            for e in 0..<14 {
                if e < improve { loss -= Double(g.int(in: 1...3)) / 10 } else { loss += Double(g.int(in: -1...1)) / 100 + 0.01 }
                trace.append((loss * 100).rounded() / 100)
            }
            return Parameters(["loss": .reals(trace), "patience": .integer(g.pick([2, 3, 4]))])
        },
        prompt: { p in Localized(
            zh: "验证损失按周期（从 0 数）为 [\(p.reals("loss").map(Value.format).joined(separator: ", "))]。ReduceLROnPlateau(mode='min', factor=0.1, patience=\(p.int("patience")), threshold=1e-4, threshold_mode='rel')，每个周期结束时调用 step(loss)。",
            en: "The validation loss per epoch (from 0) is [\(p.reals("loss").map(Value.format).joined(separator: ", "))]. ReduceLROnPlateau(mode='min', factor=0.1, patience=\(p.int("patience")), threshold=1e-4, threshold_mode='rel') steps with the loss at the end of every epoch.") },
        parts: [
            Part(id: "epoch", points: 2, kind: .integer,
                 prompt: { _ in Localized(zh: "在第几个周期结束时学习率第一次降低？", en: "At the end of which epoch is the rate first reduced?") },
                 answer: { p in .integer(plateauDrop(p, patience: p.int("patience"))) },
                 mistakes: [Mistake(id: "patience-off-by-one", feedback: Localized(zh: "要连续超过 patience 个“没有改进”的周期才降低。", en: "The rate drops only after more than `patience` epochs in a row without improvement."),
                                    answer: { p in .integer(plateauDrop(p, patience: p.int("patience") - 1)) })]),
        ])

    static func plateauDrop(_ p: Parameters, patience: Int) -> Int {
        let (_, events) = ReduceLROnPlateau.simulate(metrics: p.reals("loss"), initialRate: 0.1,
                                                     ReduceLROnPlateau.Configuration(mode: .min, factor: 0.1, patience: patience))
        return (events.first?.epoch ?? 0) - 1   // the event's epoch is the first epoch run at the new rate
    }
}
