//: # L07 · 训练配置：优化器、正则化、归一化与学习率调度
//:en # L07 · Training recipes: optimizers, regularization, normalization and learning-rate schedules

//: 讲义里每个网络都附有一张“训练配置”：批量大小、初始学习率、学习率怎样衰减、用什么优化器、权重衰减、dropout、数据扩充。本课把这些配置逐项拿出来，在同一个小 CNN 和同一份 Fashion-MNIST 数据上做实验：四种优化器，权重衰减和 dropout，批标准化（BN）对 LRN（批标准化论文图 2 的类比），讲义中的几种学习率调度，以及 label smoothing 对预测置信度的影响。最后按论文重新生成讲义的训练配置表。
//:en Every network in the lecture comes with a "training configuration": batch size, initial learning rate, how the rate decays, the optimizer, weight decay, dropout, data augmentation. This lesson takes these items one at a time and experiments with them on one small CNN and one Fashion-MNIST subset: four optimizers, weight decay and dropout, batch normalization (BN) against LRN (an analogue of Figure 2 of the batch-norm paper), the learning-rate schedules of the slides, and label smoothing's effect on the confidence of predictions. Finally it regenerates the lecture's training-configuration table from the papers.

//- hide
import CNN
import Datasets
import Foundation
import LessonKit
import Notebook
import Render
import Training
import Weave

let nb = Notebook("l07-recipes")
Random.seed(nb.seed)

//: ## 网络与数据
//:en ## The network and the data

//: 所有实验用同一个小 CNN：两段“3x3 卷积（补 1）+ ReLU + 2x2 最大池化”，通道数 16 和 32，然后是 128 个单元的全连接层和 10 类输出。`normalization` 决定每个卷积后面加不加 BN（放在 ReLU 之前，如 Inception-v2）或 LRN（放在 ReLU 之后，如 AlexNet）。
//:en Every experiment uses the same small CNN: two stages of "3x3 convolution (padding 1) + ReLU + 2x2 max pool" with 16 and 32 channels, then a fully connected layer of 128 units and the 10-way output. `normalization` decides whether each convolution is followed by BN (before the ReLU, as in Inception-v2) or LRN (after the ReLU, as in AlexNet).
let net = smallCNN()
nb.show("parameters", net.parameterCount)
nb.show("parameters with BN", smallCNN(normalization: .batchNorm).parameterCount)
nb.show("parameters with LRN", smallCNN(normalization: .lrn).parameterCount)
//> parameters: 206922
//> parameters with BN: 207018
//> parameters with LRN: 206922

//: 参数量可以手算：conv1 $1 \cdot 16 \cdot 9 + 16 = 160$，conv2 $16 \cdot 32 \cdot 9 + 32 = 4640$，fc1 $32 \cdot 7 \cdot 7 \cdot 128 + 128 = 200832$，fc2 $128 \cdot 10 + 10 = 1290$；BN 每个通道多一个 $\gamma$ 和一个 $\beta$（$2 \cdot (16 + 32) = 96$），LRN 没有参数。
//:en The counts check by hand: conv1 $1 \cdot 16 \cdot 9 + 16 = 160$, conv2 $16 \cdot 32 \cdot 9 + 32 = 4640$, fc1 $32 \cdot 7 \cdot 7 \cdot 128 + 128 = 200832$, fc2 $128 \cdot 10 + 10 = 1290$; BN adds one $\gamma$ and one $\beta$ per channel ($2 \cdot (16 + 32) = 96$), LRN has no parameters.

//: 数据是 Fashion-MNIST 的前若干张图。默认模式用子集，使整课在两核机器上几分钟内跑完；`--paper` 模式用一半的训练图（30000 张）、5000 张测试图和更多周期。
//:en The data are the first images of Fashion-MNIST. The default mode uses subsets so that the whole lesson runs in a few minutes on a two-core machine; `--paper` mode uses half the training images (30,000), 5,000 test images and more epochs.
struct Scale: Codable {
    var train: Int, test: Int, epochs: Int            // optimizers, BN/LRN, label smoothing
    var smallTrain: Int, smallTest: Int, smallEpochs: Int   // regularization and the plateau run
}
let scale = nb.isQuick ? Scale(train: 640, test: 256, epochs: 1, smallTrain: 256, smallTest: 256, smallEpochs: 3)
    : nb.isPaper ? Scale(train: 30000, test: 5000, epochs: 4, smallTrain: 3000, smallTest: 3000, smallEpochs: 40)
    : Scale(train: 6000, test: 2000, epochs: 3, smallTrain: 1000, smallTest: 1000, smallEpochs: 20)
nb.show("training images", scale.train)
nb.show("test images", scale.test)
nb.show("epochs", scale.epochs)
//> training images: 640
//> test images: 256
//> epochs: 1

//: ## 四种优化器
//:en ## Four optimizers

//: 讲义中的带动量 SGD（$\mu$ 是动量因子，$\alpha$ 是学习率）：
//:en The lecture's SGD with momentum ($\mu$ the momentum, $\alpha$ the learning rate):

//: $$v^{t+1} = \mu v^t - \alpha \nabla_W L(W^t), \quad \quad W^{t+1} = W^t + v^{t+1}$$

//: RMSProp（Inception-v3 用的优化器）按梯度平方的滑动平均 $G$ 缩放每个权重的步长：
//:en RMSProp (the optimizer of Inception-v3) scales each weight's step by a running mean $G$ of squared gradients:

//: $$G^{t+1} = \mu G^t + (1 - \mu) (\nabla_W L)^2, \quad \quad W^{t+1} = W^t - \frac{\alpha \nabla_W L}{\sqrt{G^{t+1} + \epsilon}}$$

//: Adam 再加上梯度本身的滑动平均 $m$（一阶矩），并对两者做偏差修正：
//:en Adam adds a running mean $m$ of the gradient itself (the first moment) and corrects both for their zero start:

//: $$m^{t} = \beta_1 m^{t-1} + (1 - \beta_1) g^t, \quad v^{t} = \beta_2 v^{t-1} + (1 - \beta_2) (g^t)^2$$

//: $$W^{t} = W^{t-1} - \alpha \cdot \frac{m^t / (1 - \beta_1^t)}{\sqrt{v^t / (1 - \beta_2^t)} + \epsilon}$$

//: 四次训练用同一个网络初始化、同一批数据顺序，只换优化器：SGD 和带动量 SGD 的学习率都是 0.01（加了动量 0.9 后，稳态下的有效步长是 $\alpha / (1 - \mu) = 10\alpha$），RMSProp 和 Adam 用各自常用的 0.001。
//:en The four runs share the initial weights and the order of the batches, and differ only in the optimizer: SGD and SGD with momentum both use a rate of 0.01 (with momentum 0.9 the steady-state step is $\alpha / (1 - \mu) = 10\alpha$), RMSProp and Adam their usual 0.001.
let optimizerRuns = try nb.cached("optimizers", scale, after: []) { () -> [TrainingRun] in
    let train = try FashionMNIST.load(.train).tensors(count: scale.train)
    let test = try FashionMNIST.load(.test).tensors(count: scale.test)
    let recipes: [(String, (Module) -> Optimizer)] = [
        ("SGD", { SGD(model: $0, learningRate: 0.01) }),
        ("SGD + momentum 0.9", { SGD(model: $0, learningRate: 0.01, momentum: 0.9) }),
        ("RMSProp", { RMSProp(model: $0, learningRate: 0.001, alpha: 0.9) }),
        ("Adam", { Adam(model: $0, learningRate: 0.001) }),
    ]
    return recipes.map { name, make in
        Random.seed(nb.seed)
        var recipe = Recipe(epochs: scale.epochs, batchSize: 64, optimizer: make)
        recipe.trainEvaluationCount = 2000
        return trainRun(name, smallCNN(), on: train, test: test, recipe: recipe, seed: nb.seed &+ 1)
    }
}
let window = max(1, optimizerRuns[0].stepLoss.count / 40)
func stepCurve(_ values: [Double]) -> (x: [Double], y: [Double]) {
    let means = windowMeans(values, width: window)
    return (means.indices.map { Double(($0 + 1) * window) }, means)
}
nb.figure(SideBySide(panels: [
    LineChart(xLabel: "step", yLabel: "training loss", series: optimizerRuns.map {
        let c = stepCurve($0.stepLoss); return .init($0.name, x: c.x, y: c.y) }, legend: .topRight, size: Size(235, 220)),
    LineChart(xLabel: "step", yLabel: "training error", series: optimizerRuns.map {
        let c = stepCurve($0.stepError); return .init($0.name, x: c.x, y: c.y) }, legend: .none, size: Size(235, 220)),
]),
          name: "fig-07-optimizers",
          caption: Bilingual(zh: "四种优化器的训练损失和训练误差（每 \(window) 步取平均）",
                             en: "Training loss and training error of the four optimizers (means over \(window) steps)"))
nb.table(header: ["optimizer", "loss, first window", "loss, last window", "train error", "test error"],
         rows: optimizerRuns.map { r in
             let w = windowMeans(r.stepLoss, width: window)
             return [r.name, w.first!, w.last!, r.trainError.last!, r.testError.last!] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "四种优化器，同一网络、同一数据", en: "Four optimizers, same network, same data"))
//> Figure: fig-07-optimizers.pdf — 四种优化器的训练损失和训练误差（每 1 步取平均）
//> Table: 四种优化器，同一网络、同一数据
//> optimizer           loss, first window  loss, last window  train error  test error
//> ------------------  ------------------  -----------------  -----------  ----------
//> SGD                              2.307              2.293       0.8938      0.9141
//> SGD + momentum 0.9               2.307              2.282       0.8938      0.9141
//> RMSProp                          2.307              1.533       0.4828      0.5195
//> Adam                             2.307              1.970       0.4000      0.4453
//- hide
let byName = Dictionary(uniqueKeysWithValues: optimizerRuns.map { ($0.name, $0) })
let lastLoss = optimizerRuns.map { ($0.name, windowMeans($0.stepLoss, width: window).last!) }
let fastest = lastLoss.min { $0.1 < $1.1 }!
nb.note(zh: "本次运行：最后 \(window) 步的平均训练损失，SGD \(formatFloat(Float(lastLoss[0].1)))，带动量 SGD \(formatFloat(Float(lastLoss[1].1)))，RMSProp \(formatFloat(Float(lastLoss[2].1)))，Adam \(formatFloat(Float(lastLoss[3].1)))；最低的是 \(fastest.0)。测试误差：SGD \(formatFloat(Float(byName["SGD"]!.testError.last!)))，带动量 SGD \(formatFloat(Float(byName["SGD + momentum 0.9"]!.testError.last!)))。",
        en: "This run: mean training loss over the last \(window) steps, SGD \(formatFloat(Float(lastLoss[0].1))), SGD with momentum \(formatFloat(Float(lastLoss[1].1))), RMSProp \(formatFloat(Float(lastLoss[2].1))), Adam \(formatFloat(Float(lastLoss[3].1))); the lowest is \(fastest.0). Test error: SGD \(formatFloat(Float(byName["SGD"]!.testError.last!))), SGD with momentum \(formatFloat(Float(byName["SGD + momentum 0.9"]!.testError.last!))).")

//: 同样的学习率下，动量让 SGD 快得多：它把连续几步方向一致的梯度累加起来。RMSProp 和 Adam 给每个权重各自的步长，开始阶段下降最快。这并不是说自适应方法总是更好：AlexNet、VGG、ResNet 和 DenseNet 都用带动量的 SGD 训练到了最好的结果，Inception-v3 用的是 RMSProp。
//:en At the same rate, momentum makes SGD much faster: it adds up gradients that keep pointing the same way. RMSProp and Adam give every weight its own step size and descend fastest at the start. That does not make adaptive methods better in general: AlexNet, VGG, ResNet and DenseNet reached their best results with SGD and momentum; Inception-v3 used RMSProp.

//: ## 正则化：权重衰减与 dropout
//:en ## Regularization: weight decay and dropout

//: 权重衰减 $\lambda$ 在梯度上加 $\lambda W$，每一步把权重乘以 $(1 - \alpha\lambda)$ 再走梯度步。dropout 在训练时以概率 $p$ 把激活置零、其余乘以 $1/(1-p)$，测试时什么也不做。为了看到过拟合，这里只用一小部分训练图、训练很多个周期（带动量 SGD，学习率 0.02，批量 32）；dropout 0.5 放在两个全连接层之前，与 AlexNet 相同。
//:en Weight decay $\lambda$ adds $\lambda W$ to the gradient: every step multiplies the weights by $(1 - \alpha\lambda)$ before the gradient step. Dropout zeroes activations with probability $p$ during training and scales the rest by $1/(1-p)$; at test time it does nothing. To see overfitting, these runs use a small part of the training images for many epochs (SGD with momentum, rate 0.02, batch 32); dropout 0.5 sits before both fully connected layers, as in AlexNet.
struct RegularizedRun: Codable { var run: TrainingRun; var weightNorm: Double }
let regularization = try nb.cached("regularization", scale, after: []) { () -> [RegularizedRun] in
    let train = try FashionMNIST.load(.train).tensors(count: scale.smallTrain)
    let test = try FashionMNIST.load(.test).tensors(count: scale.smallTest)
    let variants: [(String, Float, Float)] = [("none", 0, 0), ("weight decay 5e-4", 5e-4, 0),
                                              ("weight decay 5e-3", 5e-3, 0), ("dropout 0.5", 0, 0.5)]
    return variants.map { name, decay, p in
        Random.seed(nb.seed)
        let model = smallCNN(dropout: p)
        let run = trainRun(name, model, on: train, test: test,
                           recipe: Recipe(epochs: scale.smallEpochs, batchSize: 32) {
                               SGD(groups: ParameterGroup.decayAndNoDecay($0, weightDecay: decay), learningRate: 0.02, momentum: 0.9)
                           }, seed: nb.seed &+ 2)
        return RegularizedRun(run: run, weightNorm: weightNorm(model))
    }
}
nb.table(header: ["regularizer", "train error", "test error", "gap", "best test error", "‖W‖"],
         rows: regularization.map { r in
             [r.run.name, r.run.trainError.last!, r.run.testError.last!, r.run.testError.last! - r.run.trainError.last!,
              r.run.testError.min()!, r.weightNorm] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "小训练集上的权重衰减与 dropout（最后一个周期）", en: "Weight decay and dropout on a small training set (last epoch)"))
//> Table: 小训练集上的权重衰减与 dropout（最后一个周期）
//> regularizer        train error  test error      gap  best test error    ‖W‖
//> -----------------  -----------  ----------  -------  ---------------  -----
//> none                    0.5234      0.5391  0.01562           0.5391  8.024
//> weight decay 5e-4       0.5195      0.5391  0.01953           0.5391  8.011
//> weight decay 5e-3       0.5156      0.5352  0.01953           0.5352  7.898
//> dropout 0.5             0.6445      0.6758  0.03125           0.6758  7.980
nb.figure(SmallMultiples(panels: regularization.map { r in
    LineChart(title: r.run.name, xLabel: "epoch", yLabel: "error", series: [
        .init("train", y: r.run.trainError), .init("test", y: r.run.testError, dashed: true)], legend: .topRight)
}, columns: 2, size: Size(470, 330)),
          name: "fig-07-regularization",
          caption: Bilingual(zh: "训练误差（实线）与测试误差（虚线）随周期的变化", en: "Training error (solid) and test error (dashed) against epochs"))
//> Figure: fig-07-regularization.pdf — 训练误差（实线）与测试误差（虚线）随周期的变化
//- hide
let plain = regularization[0], decayed = regularization[1], strong = regularization[2], dropped = regularization[3]
let stepsTaken = plain.run.stepLoss.count
nb.note(zh: "本次运行：不加正则化时训练误差 \(formatFloat(Float(plain.run.trainError.last!)))、测试误差 \(formatFloat(Float(plain.run.testError.last!)))，差距 \(formatFloat(Float(plain.run.testError.last! - plain.run.trainError.last!)))；dropout 0.5 时训练误差 \(formatFloat(Float(dropped.run.trainError.last!)))、测试误差 \(formatFloat(Float(dropped.run.testError.last!)))，差距 \(formatFloat(Float(dropped.run.testError.last! - dropped.run.trainError.last!)))。权重范数：无 \(formatFloat(Float(plain.weightNorm)))，5e-4 为 \(formatFloat(Float(decayed.weightNorm)))，5e-3 为 \(formatFloat(Float(strong.weightNorm)))。",
        en: "This run: without regularization the training error is \(formatFloat(Float(plain.run.trainError.last!))) and the test error \(formatFloat(Float(plain.run.testError.last!))), a gap of \(formatFloat(Float(plain.run.testError.last! - plain.run.trainError.last!))); with dropout 0.5 they are \(formatFloat(Float(dropped.run.trainError.last!))) and \(formatFloat(Float(dropped.run.testError.last!))), a gap of \(formatFloat(Float(dropped.run.testError.last! - dropped.run.trainError.last!))). Weight norms: none \(formatFloat(Float(plain.weightNorm))), 5e-4 \(formatFloat(Float(decayed.weightNorm))), 5e-3 \(formatFloat(Float(strong.weightNorm))).")

//: 没有正则化时，网络把小训练集背了下来：训练误差接近 0，测试误差却停在高处，两者之间的差距就是过拟合。dropout 让训练误差降得慢，差距变小（数字见上面的注释）。权重衰减让权重范数变小、差距也变小，但 5e-4 对测试误差的影响在这么短的训练里很小。原因之一是一个简单的乘积：单看衰减本身，每步把权重乘以 $1 - \alpha\lambda$。
//:en Without regularization the network memorises the small training set: the training error comes close to 0 while the test error stays high, and the gap between them is overfitting. Dropout slows the fall of the training error and narrows the gap (numbers in the note above). Weight decay shrinks the weight norm and narrows the gap too, but at 5e-4 its effect on the test error is small in so short a run. One reason is a simple product: on its own, the decay multiplies the weights by $1 - \alpha\lambda$ every step.
let shrinkHere = pow(1 - 0.02 * 5e-4, Double(stepsTaken))
let alexNetSteps = 90 * 1_200_000 / 128
let shrinkAlexNet = pow(1 - 0.01 * 5e-4, Double(alexNetSteps))
nb.show("steps in this run", stepsTaken)
nb.show("(1 − 0.02·5e-4)^steps", shrinkHere)
nb.show("AlexNet: 90 epochs × 1.2M images / 128", alexNetSteps)
nb.show("(1 − 0.01·5e-4)^AlexNet steps", shrinkAlexNet)
//> steps in this run: 24
//> (1 − 0.02·5e-4)^steps: 0.9998
//> AlexNet: 90 epochs × 1.2M images / 128: 843750
//> (1 − 0.01·5e-4)^AlexNet steps: 0.01472

//: 单看衰减本身，这次运行里权重只被缩小到上面打印的比例，而 AlexNet 的约 84 万步能把不被梯度维持的权重缩小到 1.5% 左右。（测得的范数比这个比例下降得多，因为衰减也改变了梯度下降所走的路径。）权重衰减是一个长时间起作用的正则项；要在短训练里看清它，$\lambda$ 要大得多（上表中 5e-3 一行）。
//:en On its own, the decay shrinks the weights of this run only to the factor printed above, while AlexNet's roughly 840,000 steps shrink weights that the gradient does not sustain to about 1.5%. (The measured norms fall by more than that factor, because the decay also changes the path gradient descent takes.) Weight decay is a regularizer that acts over long training; to see it clearly in a short run, $\lambda$ must be much larger (the 5e-3 row of the table).

//: ## 批标准化对 LRN
//:en ## Batch normalization against LRN

//: BN 用当前 mini-batch 的均值 $\mu_B$ 和方差 $\sigma_B^2$ 把每个通道标准化，再用可训练的 $\gamma$、$\beta$ 缩放和平移：
//:en BN standardises each channel with the mean $\mu_B$ and variance $\sigma_B^2$ of the current mini-batch, then scales and shifts it with the trainable $\gamma$ and $\beta$:

//: $$x̂_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \quad \quad y_i = \gamma x̂_i + \beta$$

//: 讲义展示的批标准化论文（Ioffe 和 Szegedy，2015）图 2 比较了原始 Inception（带 LRN）和加了 BN 的版本：BN 版本用少得多的训练步数达到同样的验证准确率，学习率放大 5 倍（BN-x5）后更快。这里做同样的对比：同一网络不加归一化、加 LRN（AlexNet 的 $k=2, n=5, \alpha=10^{-4}, \beta=0.75$）、加 BN，三者都用带动量 SGD、学习率 0.01；再加一个学习率 0.05 的 BN（“BN ×5”）。
//:en Figure 2 of the batch-norm paper (Ioffe and Szegedy, 2015), shown in the lecture, compares the original Inception (with LRN) with its batch-normalized variants: the BN version reaches the same validation accuracy in far fewer training steps, and faster still with a 5 times larger rate (BN-x5). The same comparison here: one network without normalization, with LRN (AlexNet's $k=2, n=5, \alpha=10^{-4}, \beta=0.75$) and with BN, all with SGD and momentum at rate 0.01, plus BN at rate 0.05 ("BN ×5").
let normalizationRuns = try nb.cached("normalization", scale, after: []) { () -> [TrainingRun] in
    let train = try FashionMNIST.load(.train).tensors(count: scale.train)
    let test = try FashionMNIST.load(.test).tensors(count: scale.test)
    let variants: [(String, Normalization, Float)] = [("no normalization", .none, 0.01), ("LRN", .lrn, 0.01),
                                                      ("BN", .batchNorm, 0.01), ("BN ×5", .batchNorm, 0.05)]
    return variants.map { name, kind, rate in
        Random.seed(nb.seed)
        var recipe = Recipe(epochs: scale.epochs, batchSize: 64) { SGD(model: $0, learningRate: rate, momentum: 0.9) }
        recipe.trainEvaluationCount = 2000
        return trainRun(name, smallCNN(normalization: kind), on: train, test: test, recipe: recipe, seed: nb.seed &+ 1)
    }
}
let targets = [0.6, 0.7, 0.8]
let reach = normalizationRuns.map { r in targets.map { stepsToReach(1 - $0, in: r.stepError, width: window) } }
// The highest target that both LRN (run 1) and BN (run 2) reach: the fairest single comparison.
let common = targets.indices.last { reach[1][$0] != nil && reach[2][$0] != nil } ?? 0
let percent = Int(targets[common] * 100)
let shortName = ["no normalization": "none", "LRN": "LRN", "BN": "BN", "BN ×5": "BN×5"]
nb.figure(LineChart(xLabel: "training step", yLabel: "training accuracy (mean over \(window) steps)",
                    series: normalizationRuns.map { r in
                        let c = stepCurve(r.stepError); return .init(r.name, x: c.x, y: c.y.map { 1 - $0 }, dashed: r.name == "BN ×5")
                    },
                    events: zip(normalizationRuns, reach).filter { $0.0.name == "LRN" || $0.0.name == "BN" }.compactMap { r, s in
                        s[common].map { LineChart.Event(x: Double($0), label: shortName[r.name] ?? r.name) }
                    },
                    legend: .bottomRight, size: Size(440, 250)),
          name: "fig-07-bn-lrn",
          caption: Bilingual(zh: "准确率随训练步数的变化（批标准化论文图 2 的类比；竖线：LRN 和 BN 首次达到 \(percent)% 的步数）",
                             en: "Accuracy against training steps (an analogue of Figure 2 of the batch-norm paper; vertical lines: first step of LRN and BN at \(percent)%)"))
nb.table(header: ["network"] + targets.map { "steps to \(Int($0 * 100))%" } + ["train error", "test error"],
         rows: zip(normalizationRuns, reach).map { r, s in
             [r.name] + s.map { $0.map(String.init) ?? "not reached" } + [r.trainError.last!, r.testError.last!] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "训练准确率（\(window) 步平均）首次达到 60%、70%、80% 所需的步数", en: "Steps until the training accuracy (mean over \(window) steps) first reaches 60%, 70%, 80%"))
//> Figure: fig-07-bn-lrn.pdf — 准确率随训练步数的变化（批标准化论文图 2 的类比；竖线：LRN 和 BN 首次达到 60% 的步数）
//> Table: 训练准确率（1 步平均）首次达到 60%、70%、80% 所需的步数
//> network           steps to 60%  steps to 70%  steps to 80%  train error  test error
//> ----------------  ------------  ------------  ------------  -----------  ----------
//> no normalization  not reached   not reached   not reached        0.8938      0.9141
//> LRN               not reached   not reached   not reached        0.8938      0.9141
//> BN                6             not reached   not reached        0.5828      0.6016
//> BN ×5             6             6             not reached        0.4563      0.5039
//- hide
let totalSteps = normalizationRuns[0].stepError.count
func reachText(_ s: Int?, zh: Bool) -> String { s.map(String.init) ?? (zh ? "\(totalSteps) 步内未达到" : "not reached in \(totalSteps) steps") }
let (lrnSteps, bnSteps) = (reach[1][common], reach[2][common])
nb.note(zh: "本次运行：训练准确率首次达到 \(percent)% 所需的步数：无归一化 \(reachText(reach[0][common], zh: true))，LRN \(reachText(lrnSteps, zh: true))，BN \(reachText(bnSteps, zh: true))，BN ×5 \(reachText(reach[3][common], zh: true))；LRN 所需步数是 BN 的 \(ratio(lrnSteps, bnSteps))。最终测试误差：无归一化 \(formatFloat(Float(normalizationRuns[0].testError.last!)))，LRN \(formatFloat(Float(normalizationRuns[1].testError.last!)))，BN \(formatFloat(Float(normalizationRuns[2].testError.last!)))，BN ×5 \(formatFloat(Float(normalizationRuns[3].testError.last!)))。",
        en: "This run: steps until the training accuracy first reaches \(percent)%: no normalization \(reachText(reach[0][common], zh: false)), LRN \(reachText(lrnSteps, zh: false)), BN \(reachText(bnSteps, zh: false)), BN ×5 \(reachText(reach[3][common], zh: false)); LRN needs \(ratio(lrnSteps, bnSteps)) the steps of BN. Final test error: no normalization \(formatFloat(Float(normalizationRuns[0].testError.last!))), LRN \(formatFloat(Float(normalizationRuns[1].testError.last!))), BN \(formatFloat(Float(normalizationRuns[2].testError.last!))), BN ×5 \(formatFloat(Float(normalizationRuns[3].testError.last!))).")

//: BN 让每一层的输入分布保持稳定（均值 0、方差 1，再由 $\gamma$、$\beta$ 调整），所以同样的学习率下训练快得多，也能承受更大的学习率（学习率放大 5 倍后仍然收敛；它在开始阶段是否更快，要看上面的步数，本例中最终测试误差见注释）。LRN 只是把每个激活除以相邻通道平方和决定的因子（$k = 2$ 时至少除以 $2^{0.75} \approx 1.68$），并不控制分布的均值和尺度，所以它不像 BN 那样加速训练（本例中它甚至比不加归一化略慢，见上面的数字）。这就是 Inception-v2 去掉 LRN、加上 BN 的原因。
//:en BN keeps the distribution of every layer's input steady (mean 0, variance 1, then adjusted by $\gamma$ and $\beta$), so at the same rate it trains much faster and it tolerates larger rates (at 5 times the rate it still converges; whether it is faster at the start shows in the step counts above, its final test error in the note). LRN only divides each activation by a factor set by the squares of its neighbouring channels (with $k = 2$ at least $2^{0.75} \approx 1.68$); it does not control the mean or scale of the distribution, so it does not speed training up the way BN does (here it is even slightly slower than no normalization; see the numbers above). That is why Inception-v2 dropped LRN and added BN.

//: ## 学习率调度
//:en ## Learning-rate schedules

//: 讲义里的几种调度：AlexNet 和 VGG 在验证指标停滞时把学习率除以 10（PyTorch 的 `ReduceLROnPlateau`；按固定周期执行时就是 step 调度，torchvision 的 ImageNet 训练脚本每 30 个周期乘 0.1）；GoogLeNet 每 8 个周期乘 0.96；ResNet-110 先用 0.01 “热身”（warm-up）约 400 步（约一个周期），再用 0.1，在第 32k、48k 步（批量 128 时约第 82、123 个周期）各除以 10。现在常见的是线性 warm-up（Goyal 等，2017）：学习率在前几个周期从很小线性升到目标值。下面只计算调度本身，不训练：每个调度给出每个周期的学习率。
//:en The schedules of the slides: AlexNet and VGG divide the rate by 10 when the validation metric stalls (PyTorch's `ReduceLROnPlateau`; done at fixed epochs it is the step schedule, torchvision's ImageNet scripts multiply by 0.1 every 30 epochs); GoogLeNet multiplies it by 0.96 every 8 epochs; ResNet-110 "warms up" with 0.01 for about 400 steps (about one epoch), then uses 0.1 and divides by 10 at steps 32k and 48k (epochs 82 and 123 at batch 128). Common today is the linear warm-up (Goyal et al., 2017): the rate rises linearly from a small value to its target over the first epochs. The schedules alone, without training: each reports its rate for every epoch.
let stepSchedule = LRSchedule.step(size: 30, gamma: 0.1, base: 0.01)
let googLeNet = LRSchedule.stepEvery(8, gamma: 0.96, base: 0.01)
let resNet110 = LRSchedule.warmup(.constant(factor: 0.1), epochs: 1, then: .multiStep(milestones: [81, 122], gamma: 0.1, base: 0.1))
let linearWarmup = LRSchedule.warmup(.linear(startFactor: 0.1), epochs: 5, then: .multiStep(milestones: [25, 55], gamma: 0.1, base: 0.1))
nb.show("step, epochs 0, 29, 30, 60", [0, 29, 30, 60].map { stepSchedule($0) })
nb.show("GoogLeNet, epochs 0, 7, 8, 16, 80", [0, 7, 8, 16, 80].map { googLeNet($0) })
nb.show("ResNet-110, epochs 0, 1, 81, 82, 123", [0, 1, 81, 82, 123].map { resNet110($0) })
nb.show("linear warm-up, epochs 0 to 5", (0...5).map { linearWarmup($0) })
for event in resNet110.events(epochs: 164) { nb.show(event) }
//> step, epochs 0, 29, 30, 60: [0.01000, 0.01000, 0.001000, 1.000e-04]
//> GoogLeNet, epochs 0, 7, 8, 16, 80: [0.01000, 0.01000, 0.009600, 0.009216, 0.006648]
//> ResNet-110, epochs 0, 1, 81, 82, 123: [0.01000, 0.1000, 0.1000, 0.01000, 0.001000]
//> linear warm-up, epochs 0 to 5: [0.01000, 0.02800, 0.04600, 0.06400, 0.08200, 0.1000]
//> epoch 1: 0.01 → 0.1 (warm-up ends)
//> epoch 82: 0.1 → 0.01 (milestone 81 x0.1)
//> epoch 123: 0.01 → 0.001 (milestone 122 x0.1)

//: `ReduceLROnPlateau` 的学习率取决于被监视的指标，只能在真实训练中得到。下面用上一节的小训练集训练（带动量 SGD，学习率 0.02），每个周期结束时把测试损失交给 `ReduceLROnPlateau(factor: 0.1, patience: 2)`：连续超过 2 个周期没有比最好值低 $10^{-4}$（相对）就除以 10。网络很快开始过拟合，测试损失不再下降，于是规则触发。
//:en The rates of `ReduceLROnPlateau` depend on the monitored metric, so they only come from a real run. Below, the network trains on the small training set of the previous section (SGD with momentum, rate 0.02), and at the end of every epoch the test loss goes to `ReduceLROnPlateau(factor: 0.1, patience: 2)`: when more than 2 epochs in a row fail to beat the best by a relative $10^{-4}$, the rate is divided by 10. The network soon overfits, the test loss stops falling, and the rule fires.
let plateauRun = try nb.cached("plateau", scale, after: []) { () -> TrainingRun in
    let train = try FashionMNIST.load(.train).tensors(count: scale.smallTrain)
    let test = try FashionMNIST.load(.test).tensors(count: scale.smallTest)
    Random.seed(nb.seed)
    return trainRun("ReduceLROnPlateau", smallCNN(), on: train, test: test,
                    recipe: Recipe(epochs: scale.smallEpochs, batchSize: 32,
                                   optimizer: { SGD(model: $0, learningRate: 0.02, momentum: 0.9) },
                                   scheduler: { ReduceLROnPlateau($0, .init(mode: .min, factor: 0.1, patience: 2)) }),
                    seed: nb.seed &+ 2)
}
let drops = plateauRun.rateChanges.map { LineChart.Event(x: Double($0 + 1), label: "÷10") }
nb.show("rate changes after epochs", plateauRun.rateChanges.map { $0 + 1 })
nb.show("rates per epoch", plateauRun.learningRates)
nb.figure(LineChart(xLabel: "epoch", yLabel: "loss",
                    series: [.init("test loss (monitored)", y: plateauRun.testLoss), .init("training loss", y: plateauRun.trainLoss, dashed: true)],
                    events: drops, legend: .bottomLeft, size: Size(440, 220)),
          name: "fig-07-plateau",
          caption: Bilingual(zh: "真实训练中的 ReduceLROnPlateau：竖线是学习率除以 10 的位置（监视测试损失）",
                             en: "ReduceLROnPlateau in a real run: vertical lines mark where the rate is divided by 10 (monitoring the test loss)"))
//> rate changes after epochs: []
//> rates per epoch: [0.02000, 0.02000, 0.02000]
//> Figure: fig-07-plateau.pdf — 真实训练中的 ReduceLROnPlateau：竖线是学习率除以 10 的位置（监视测试损失）

//: 四种调度画在一起（纵轴是学习率以 10 为底的对数；左下图中实线是 ResNet-110，虚线是 5 个周期的线性 warm-up 加上第 30、60 个周期的 ×0.1）：
//:en The four schedules side by side (the vertical axis is the base-10 logarithm of the rate; in the lower left panel the solid line is ResNet-110, the dashed one a linear warm-up over 5 epochs followed by ×0.1 at epochs 30 and 60):
func ratePanel(_ title: String, _ series: [LineChart.Series], epochs: Int, events: [LineChart.Event] = []) -> LineChart {
    LineChart(title: title, xLabel: "epoch", yLabel: "log10 learning rate", xRange: 0...Double(epochs),
              series: series, events: events, legend: series.count > 1 ? .topRight : .none)
}
func perEpoch(_ name: String, _ s: LRSchedule, epochs: Int, dashed: Bool = false) -> LineChart.Series {
    .init(name, x: (0..<epochs).map(Double.init), y: s.values(epochs: epochs).map { log10(Double($0)) }, dashed: dashed)
}
nb.figure(SmallMultiples(panels: [
    ratePanel("step: ×0.1 every 30 epochs", [perEpoch("step", stepSchedule, epochs: 90)], epochs: 90),
    ratePanel("GoogLeNet: ×0.96 every 8 epochs", [perEpoch("GoogLeNet", googLeNet, epochs: 240)], epochs: 240),
    ratePanel("warm-up, then 0.1", [perEpoch("ResNet-110", resNet110, epochs: 164),
                                     perEpoch("linear, 5 epochs", linearWarmup, epochs: 90, dashed: true)], epochs: 164),
    ratePanel("ReduceLROnPlateau (run above)", [.init("plateau", x: plateauRun.learningRates.indices.map(Double.init), y: plateauRun.learningRates.map(log10))],
              epochs: max(plateauRun.learningRates.count, 1), events: plateauRun.rateChanges.map { LineChart.Event(x: Double($0 + 1), label: "") }),
], columns: 2, size: Size(470, 330)),
          name: "fig-07-schedules",
          caption: Bilingual(zh: "讲义中的学习率调度，按周期计算（不训练；最后一个取自上面的真实训练）",
                             en: "The slides' learning-rate schedules, per epoch (no training; the last one from the run above)"))
//> Figure: fig-07-schedules.pdf — 讲义中的学习率调度，按周期计算（不训练；最后一个取自上面的真实训练）

//: step 调度和 ReduceLROnPlateau 一次把学习率降一个数量级；GoogLeNet 的规则每次只降 4%，80 个周期后才降到约 0.66 倍，是一条近似指数的阶梯。ResNet-110 的 warm-up 只有一个周期：深网络在一开始用 0.1 不容易收敛，先用 0.01 把训练误差降到 80% 以下再切换。
//:en The step schedule and ReduceLROnPlateau lower the rate by an order of magnitude at once; GoogLeNet's rule lowers it by only 4% each time, reaching about 0.66 times the start after 80 epochs, a staircase close to an exponential. ResNet-110's warm-up lasts one epoch: the deep network struggles to start converging at 0.1, so it first brings the training error below 80% with 0.01 and then switches.

//: ## Label smoothing 与置信度
//:en ## Label smoothing and confidence

//: Inception-v3 把 one-hot 标签换成“平滑”的目标：讲义写法是真实类 $1 - \epsilon$、其余每类 $\epsilon/(K-1)$；PyTorch 的 `CrossEntropyLoss(label_smoothing=ε)` 是真实类 $1 - \epsilon + \epsilon/K$、其余每类 $\epsilon/K$（论文中的 $q' = (1-\epsilon)\delta + \epsilon/K$）。$K = 10$、$\epsilon = 0.1$ 时两种写法的目标是：
//:en Inception-v3 replaces the one-hot labels with "smoothed" targets: the slide writes $1 - \epsilon$ for the true class and $\epsilon/(K-1)$ for each other class; PyTorch's `CrossEntropyLoss(label_smoothing=ε)` gives $1 - \epsilon + \epsilon/K$ and $\epsilon/K$ (the paper's $q' = (1-\epsilon)\delta + \epsilon/K$). With $K = 10$ and $\epsilon = 0.1$ the targets are:
nb.show("PyTorch, label 2", smoothedTargets(labels: [2], classes: 10, epsilon: 0.1).scalars)
nb.show("lecture, label 2", smoothedTargets(labels: [2], classes: 10, epsilon: 0.1, convention: .lecture).scalars)
//> PyTorch, label 2: [0.01000, 0.01000, 0.9100, 0.01000, 0.01000, 0.01000, 0.01000, 0.01000, 0.01000, 0.01000]
//> lecture, label 2: [0.01111, 0.01111, 0.9000, 0.01111, 0.01111, 0.01111, 0.01111, 0.01111, 0.01111, 0.01111]

//: 目标不再是 1，网络就没有理由把正确类的 logit 推向无穷大：交叉熵在 softmax 输出等于目标时最小，所以最优的最大概率是 0.91。下面用 $\epsilon = 0$ 和 $\epsilon = 0.1$（PyTorch 写法）各训练一次，统计测试图上 softmax 最大概率的分布。
//:en With a target below 1 the network has no reason to push the true class's logit towards infinity: the cross-entropy is smallest when the softmax output equals the target, so the optimal maximum probability is 0.91. Below, one run with $\epsilon = 0$ and one with $\epsilon = 0.1$ (PyTorch's form), and the distribution of the largest softmax probability over the test images.
let smoothingRuns = try nb.cached("label-smoothing", scale, after: []) { () -> [SmoothedRun] in
    let train = try FashionMNIST.load(.train).tensors(count: scale.train)
    let test = try FashionMNIST.load(.test).tensors(count: scale.test)
    return [Float(0), 0.1].map { eps in
        Random.seed(nb.seed)
        return trainSmoothed("ε = \(formatFloat(eps))", smallCNN(), on: train, test: test, epochs: scale.epochs + 1,
                             batchSize: 64, learningRate: 0.02, epsilon: eps, seed: nb.seed &+ 1)
    }
}
let bins = 20
nb.figure(BarChart(categoryLabel: "largest softmax probability (bins of 0.05)", valueLabel: "fraction of test images",
                   categories: (0..<bins).map { String(format: "%.2f", Double($0) / Double(bins)) },
                   series: smoothingRuns.map { .init($0.run.name, histogram($0.confidence, bins: bins, lo: 0, hi: 1)) },
                   size: Size(470, 230)),
          name: "fig-07-label-smoothing",
          caption: Bilingual(zh: "测试图上 softmax 最大概率的分布（每个柱子的左端点标在下方）",
                             en: "Distribution of the largest softmax probability on the test images (each bar labelled with its left edge)"))
nb.table(header: ["ε", "mean max prob.", "share > 0.95", "test error", "test loss"],
         rows: smoothingRuns.map { r in
             [r.run.name, mean(r.confidence), Double(r.confidence.filter { $0 > 0.95 }.count) / Double(r.confidence.count),
              r.run.testError.last!, r.run.testLoss.last!] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "label smoothing 对置信度的影响", en: "Label smoothing's effect on confidence"))
//> Figure: fig-07-label-smoothing.pdf — 测试图上 softmax 最大概率的分布（每个柱子的左端点标在下方）
//> Table: label smoothing 对置信度的影响
//> ε        mean max prob.  share > 0.95  test error  test loss
//> -------  --------------  ------------  ----------  ---------
//> ε = 0            0.1506             0      0.5273      1.976
//> ε = 0.1          0.1384             0      0.5820      2.047
//- hide
let confident = smoothingRuns.map { Double($0.confidence.filter { $0 > 0.95 }.count) / Double($0.confidence.count) }
nb.note(zh: "本次运行：softmax 最大概率的平均值，$\\epsilon = 0$ 为 \(formatFloat(Float(mean(smoothingRuns[0].confidence))))，$\\epsilon = 0.1$ 为 \(formatFloat(Float(mean(smoothingRuns[1].confidence))))；最大概率超过 0.95 的测试图比例分别为 \(formatFloat(Float(confident[0]))) 和 \(formatFloat(Float(confident[1])))。",
        en: "This run: the mean largest softmax probability is \(formatFloat(Float(mean(smoothingRuns[0].confidence)))) with $\\epsilon = 0$ and \(formatFloat(Float(mean(smoothingRuns[1].confidence)))) with $\\epsilon = 0.1$; the share of test images with a largest probability above 0.95 is \(formatFloat(Float(confident[0]))) and \(formatFloat(Float(confident[1]))).")

//: 不加平滑时，最大概率在 1 附近堆起一个高峰（训练越久越高，包括分错的图）；加了平滑后，这个高峰被削平，概率分散到 0.85 到 1 之间，超过 0.95 的比例明显变小（见上面的注释），而测试误差几乎不变。网络变得不那么“自信”：交叉熵不再奖励把正确类的 logit 推向无穷大。这就是 label smoothing 作为正则化的作用。
//:en Without smoothing, the largest probability piles up in a peak near 1 (higher the longer it trains, misclassified images included); with smoothing the peak is flattened, the probabilities spread between 0.85 and 1, and the share above 0.95 falls clearly (see the note above), while the test error hardly changes. The network becomes less "confident": the cross-entropy no longer rewards pushing the true class's logit towards infinity. That is the regularizing effect of label smoothing.

//: ## 讲义的训练配置表
//:en ## The lecture's training-configuration table

//: 讲义最后把 AlexNet、VGG、GoogLeNet 和 ResNet 的训练配置并排列出。下表按各论文重新整理（数据在 `Configurations.swift`，每行注明出处；ImageNet 设置）。两处与讲义不同：ResNet 论文的权重衰减是 $10^{-4}$，讲义写的是 $10^{-5}$；GoogLeNet 论文没有给出批量大小和初始学习率，表中的 256 和 0.01 取自讲义。
//:en The lecture ends with the training configurations of AlexNet, VGG, GoogLeNet and ResNet side by side. The table below rebuilds it from the papers (the data are in `Configurations.swift`, each row with its source; ImageNet set-ups). Two entries differ from the slide: the ResNet paper's weight decay is $10^{-4}$ where the slide says $10^{-5}$; the GoogLeNet paper gives no batch size or initial rate, so the 256 and 0.01 in the table come from the slide.
nb.table(header: ["network", "batch", "initial LR", "schedule", "optimizer"],
         rows: trainingConfigurations.map { [$0.network, $0.batchSize, $0.learningRate, $0.schedule, $0.optimizer] },
         caption: Bilingual(zh: "训练配置（一）：批量、学习率与优化器", en: "Training configurations (1): batch, learning rate and optimizer"))
nb.table(header: ["network", "weight decay", "dropout", "normalization", "augmentation"],
         rows: trainingConfigurations.map { [$0.network, $0.weightDecay, $0.dropout, $0.normalization, $0.augmentation] },
         caption: Bilingual(zh: "训练配置（二）：正则化、归一化与数据扩充", en: "Training configurations (2): regularization, normalization and augmentation"))
nb.table(header: ["network", "source"], rows: trainingConfigurations.map { [$0.network, $0.source] },
         caption: Bilingual(zh: "训练配置的出处", en: "Sources of the training configurations"))
//> Table: 训练配置（一）：批量、学习率与优化器
//> network       batch            initial LR                      schedule                         optimizer
//> ------------  ---------------  ------------------------------  -------------------------------  ---------------------------
//> AlexNet       128              0.01                            ÷10 when val. error stalls (3×)  SGD, momentum 0.9
//> VGG           256              0.01                            ÷10 when val. acc. stalls (3×)   SGD, momentum 0.9
//> GoogLeNet     256 (slide)      0.01 (slide)                    ×0.96 every 8 epochs             async SGD, momentum 0.9
//> Inception-v3  32 ×50 replicas  0.045                           ×0.94 every 2 epochs             RMSProp, decay 0.9, ε = 1.0
//> ResNet        256              0.1 (0.01 warm-up, ResNet-110)  ÷10 when error plateaus          SGD, momentum 0.9
//> DenseNet      256              0.1                             ÷10 at epochs 30, 60 (of 90)     SGD, Nesterov 0.9
//> Table: 训练配置（二）：正则化、归一化与数据扩充
//> network       weight decay        dropout                       normalization            augmentation
//> ------------  ------------------  ----------------------------  -----------------------  ----------------------------------------------
//> AlexNet       5e-4                0.5 (FC1, FC2)                LRN                      224 crops of 256, flips, PCA colour
//> VGG           5e-4                0.5 (FC1, FC2)                none (LRN dropped)       scale jitter 256–512, crops, flips, RGB shift
//> GoogLeNet     not stated          0.4 (0.7 aux.)                LRN                      8–100% area crops, aspect 3/4–4/3, photometric
//> Inception-v3  not stated          not stated                    BN; label smoothing 0.1  not stated (clip grad. at 2.0)
//> ResNet        1e-4 (slide: 1e-5)  none                          BN                       scale 256–480, 224 crops, flips, colour
//> DenseNet      1e-4                none (0.2 on CIFAR w/o aug.)  BN                       as ResNet (fb.resnet.torch)
//> Table: 训练配置的出处
//> network       source
//> ------------  ---------------------------------
//> AlexNet       Krizhevsky 2012 §4.1, §5; slide
//> VGG           Simonyan 2015 §3.1, §4.1; slide
//> GoogLeNet     Szegedy 2015 §5, §6; slide
//> Inception-v3  Szegedy 2016 §7, §8
//> ResNet        He 2016 §3.4, §4.2; slide
//> DenseNet      Huang 2017 §4.2; slide: as ResNet

//: 可以看出一条主线：带动量 0.9 的 SGD 和“停滞时除以 10”的调度从 AlexNet 一直用到 DenseNet；BN 出现后 LRN 消失了，dropout 也从 ResNet 起不再需要；Inception-v3 是例外，用 RMSProp 和指数衰减，并加了 label smoothing。
//:en One thread runs through it: SGD with momentum 0.9 and a "divide by 10 when it stalls" schedule, from AlexNet to DenseNet; once BN arrived, LRN disappeared, and from ResNet on dropout was no longer needed; Inception-v3 is the exception, with RMSProp, an exponential decay and label smoothing.

//: ## 小结
//:en ## Takeaways

//: - 同样的学习率下，动量 0.9 让 SGD 快得多；RMSProp 和 Adam 开始阶段下降最快（本次运行的数字见第 2 节）。
//: - dropout 缩小训练误差和测试误差的差距；权重衰减每步把权重乘以 $1 - \alpha\lambda$，要经过很多步才显出作用。
//: - BN 比 LRN 训练得快，并允许更大的学习率（批标准化论文图 2 的类比，步数见第 4 节）。
//: - 学习率调度：按固定周期乘 0.1 或 0.96，指标停滞时除以 10，开始时 warm-up。
//: - label smoothing 让网络不再把最大概率推向 1。
//:en - At the same rate, momentum 0.9 makes SGD much faster; RMSProp and Adam descend fastest at the start (this run's numbers in Section 2).
//:en - Dropout narrows the gap between training and test error; weight decay multiplies the weights by $1 - \alpha\lambda$ every step and needs many steps to show.
//:en - BN trains faster than LRN and tolerates larger rates (the analogue of Figure 2 of the batch-norm paper; step counts in Section 4).
//:en - Learning-rate schedules: multiply by 0.1 or 0.96 at fixed epochs, divide by 10 when the metric stalls, warm up at the start.
//:en - Label smoothing stops the network from pushing its largest probability towards 1.
//- hide
nb.exercise(zh: "按讲义的动量公式 $v^{t+1} = \\mu v^t - \\alpha g$，$W^{t+1} = W^t + v^{t+1}$，手算几步带动量 SGD 的更新。",
            en: "Compute a few steps of SGD with momentum by hand, with the slide's $v^{t+1} = \\mu v^t - \\alpha g$, $W^{t+1} = W^t + v^{t+1}$.",
            grader: "sgd-momentum")
nb.exercise(zh: "手算 Adam 的前两步：$m$、$v$、偏差修正和权重的新值。",
            en: "Compute the first two steps of Adam by hand: $m$, $v$, the bias corrections and the new weight.",
            grader: "adam-step")
nb.exercise(zh: "step 调度：给定初始学习率、间隔和衰减因子，求某个周期的学习率（例如 GoogLeNet 每 8 个周期乘 0.96）。",
            en: "Step schedule: given the initial rate, the interval and the factor, find the rate in a given epoch (e.g. GoogLeNet's ×0.96 every 8 epochs).",
            grader: "lr-step-schedule")
nb.exercise(zh: "给定每个周期的验证损失，按 ReduceLROnPlateau 的规则求学习率第一次降低的周期。",
            en: "Given the validation loss of every epoch, find the first epoch at which ReduceLROnPlateau lowers the rate.",
            grader: "plateau-epoch")
nb.exercise(zh: "写出 label smoothing 后的目标向量（讲义写法）。",
            en: "Write the target vector after label smoothing (the slide's form).",
            grader: "label-smoothing")
nb.exercise(zh: "手算一个通道在 mini-batch 上的批标准化输出。",
            en: "Compute the batch-normalization output of one channel over a mini-batch by hand.",
            grader: "batchnorm-output")
nb.finish()
