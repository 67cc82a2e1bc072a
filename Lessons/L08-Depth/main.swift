//: # L08 · 深度：普通网络与 ResNet
//:en # L08 · Depth: plain networks and ResNet

//: 讲义里 ResNet 的出发点是一个实验（He 等，2016，图 1）：在 CIFAR-10 上，56 层的普通（plain）网络的训练误差和测试误差都比 20 层的高。这不是过拟合——更深的网络连训练集都拟合得更差，论文称之为退化（degradation）问题。理论上更深的网络至少可以和浅的一样好：多出来的层学成恒等映射即可；但优化器找不到这样的解。残差块让一组层学习 $F(x) = H(x) - x$，输出 $F(x) + x$；恒等映射只需要 $F = 0$。本课在引擎上搭出普通网络和 ResNet，比较它们的参数、初始化时的梯度，再训练 20 层和 56 层的两对网络，看退化是否出现。
//:en In the lecture, ResNet starts from an experiment (He et al., 2016, Figure 1): on CIFAR-10 a 56-layer plain network has higher training *and* test error than a 20-layer one. This is not overfitting: the deeper net fits even the training set worse, which the paper calls the degradation problem. In principle a deeper net can do at least as well as a shallow one, since the extra layers could learn the identity, yet the optimiser does not find such a solution. A residual block lets a group of layers learn $F(x) = H(x) - x$ and outputs $F(x) + x$, so the identity only needs $F = 0$. This lesson builds plain nets and ResNets on the engine, compares their parameters and their gradients at initialisation, then trains a 20-layer and a 56-layer pair of each to see whether the degradation appears.

//- hide
import Analysis
import CNN
import Datasets
import Foundation
import LessonKit
import Notebook
import Render
import Training
import Weave
import Zoo

let nb = Notebook("l08-depth")
Random.seed(nb.seed)
func fmt(_ x: Double) -> String { String(format: "%.3g", x) }
func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
/// Plain nets in oranges, ResNets in blues; the deeper, the darker (`t` from 0 to 1).
func netColor(plain: Bool, _ t: Double) -> Color {
    plain ? Color(hex: 0xE69F00).mixed(with: Color(hex: 0xB03A00), t) : Color(hex: 0x56B4E9).mixed(with: Color(hex: 0x08306B), t)
}

//: ## CIFAR 上的 ResNet
//:en ## ResNets for CIFAR

//: 论文第 4.2 节的 CIFAR 网络：先是一个 3x3 卷积（16 个通道），然后三段，每段 $n$ 个残差块，每块两个 3x3 卷积，三段的通道数为 16、32、64，特征图为 32x32、16x16、8x8；最后全局平均池化和 10 路全连接层。共 $6n + 2$ 层带权重的层：$n = 3, 5, 7, 9$ 给出 20、32、44、56 层。普通网络是去掉捷径（shortcut）的同一个网络。通道数改变的地方，捷径有两种做法：选项 A 是恒等映射，步长 2 取样、多出的通道补零，没有参数；选项 B 用 1x1 卷积（加 BN）做投影。`CIFARResNet(depth:shortcut:inputChannels:)` 三种都能建。下表用 3 个输入通道（CIFAR），可以和论文表 6 的参数量（0.27M、0.46M、0.66M、0.85M）对照。
//:en The CIFAR networks of Section 4.2 of the paper: a 3x3 convolution to 16 channels, then three stages of $n$ residual blocks of two 3x3 convolutions each, with 16, 32 and 64 channels on 32x32, 16x16 and 8x8 maps, then global average pooling and a 10-way fully connected layer. That makes $6n + 2$ weighted layers: $n = 3, 5, 7, 9$ give 20, 32, 44 and 56 layers. The plain net is the same network without the shortcuts. Where the channel count changes, the shortcut can be option A, the identity subsampled with stride 2 and zero-padded with the extra channels (no parameters), or option B, a 1x1 convolution (with BN) projecting the input. `CIFARResNet(depth:shortcut:inputChannels:)` builds all three. The table uses 3 input channels (CIFAR), to compare with the parameter counts of the paper's Table 6 (0.27M, 0.46M, 0.66M, 0.85M).
let depthsAll = [20, 32, 44, 56, 110]
var countRows: [[any CustomStringConvertible]] = []
var optionB56 = 0, optionA56 = 0
for depth in depthsAll {
    let counts = [CIFARShortcut.none, .optionA, .optionB].map { CIFARResNet(depth: depth, shortcut: $0).parameterCount }
    if depth == 56 { optionA56 = counts[1]; optionB56 = counts[2] }
    countRows.append([depth, (depth - 2) / 6, counts[0], counts[1], counts[2], counts[2] - counts[1]])
}
nb.table(header: ["depth", "n", "plain", "ResNet (A)", "ResNet (B)", "B − A"], rows: countRows,
         caption: Bilingual(zh: "CIFAR ResNet 的参数量（3 个输入通道）", en: "Parameters of the CIFAR ResNets (3 input channels)"))
nb.show("ResNet-20 with 1 input channel", CIFARResNet(depth: 20, inputChannels: 1).parameterCount)
//> Table: CIFAR ResNet 的参数量（3 个输入通道）
//> depth   n    plain  ResNet (A)  ResNet (B)  B − A
//> -----  --  -------  ----------  ----------  -----
//>    20   3   269722      269722      272474   2752
//>    32   5   464154      464154      466906   2752
//>    44   7   658586      658586      661338   2752
//>    56   9   853018      853018      855770   2752
//>   110  18  1727962     1727962     1730714   2752
//> ResNet-20 with 1 input channel: 269434

//: 选项 A 的捷径没有参数，所以普通网络和 ResNet（A）的参数量完全相同：两者的差别只在于有没有把输入加回去。选项 B 只在两处通道变化的地方多出一个 1x1 卷积和 BN：$16 \cdot 32 + 2 \cdot 32 + 32 \cdot 64 + 2 \cdot 64 = 2752$ 个参数，与深度无关。Fashion-MNIST 是灰度图，输入通道为 1，只有第一层卷积少了 $2 \cdot 9 \cdot 16 = 288$ 个权重。
//:en Option A's shortcuts have no parameters, so the plain net and ResNet (A) have exactly the same count: they differ only in whether the input is added back. Option B adds a 1x1 convolution and a BN only at the two places where the channels change: $16 \cdot 32 + 2 \cdot 32 + 32 \cdot 64 + 2 \cdot 64 = 2752$ parameters, whatever the depth. Fashion-MNIST is grey, with 1 input channel, which removes only $2 \cdot 9 \cdot 16 = 288$ weights from the first convolution.

//: ## 数据与训练配置
//:en ## Data and training set-up

//: 默认在 Fashion-MNIST 上做实验：28x28 的图补零到 32x32，一个通道，减去训练集的均值。环境变量 `CIFAR10_DIR` 指向 CIFAR-10 的 `cifar-10-batches-bin` 文件夹时，改用 CIFAR-10（3 个通道）。训练配置按论文：SGD，动量 0.9，权重衰减 $10^{-4}$，学习率之后除以 10（论文用批大小 128、学习率 0.1，在 64k 次迭代中的 32k 和 48k 处各除以 10 一次）；网络都有 BN，用 He 初始化。为了在几分钟内跑完，默认模式只用训练集的一小部分、训练几个周期，不做数据增强，具体数字见下面的注记。这么短的训练需要两处调整。一是预热：学习率从峰值的十分之一线性升上去（论文训练 110 层网络时先用 0.01，因为 0.1 一开始太大）；不预热时，56 层的网络会被最初几步推到损失很高的地方，剩下的步数不够恢复。二是批大小 64、峰值学习率 0.02：同样的计算量，步数是批大小 128 的两倍；峰值比论文的学习率与批大小之比（128 对 0.1，即 64 对 0.05）低。峰值 0.05 时，八个种子里有三次 ResNet-56 的损失在训练中途又跳了上去，其中一次跳得很高，最后的训练误差远高于 ResNet-20；峰值 0.02 时，八次里有七次损失一路下降，只有一次小的回升。我们还试过批大小 128、学习率 0.1（步数少一半），ResNet-56 结束时的训练误差比 ResNet-20 高几个百分点；批大小 64、学习率 0.1 时，56 层的网络在峰值学习率下被推离。`--paper` 模式用四种深度、4096 张图，批大小、学习率和周期数与默认模式相同（每个周期 64 步，共 512 步）。我们先试过论文的批大小 128、学习率 0.1（5000 张图，8 个周期，320 步）：这么短的训练里，ResNet 也随深度变差，ResNet-32 和 ResNet-44 的训练误差比 ResNet-20 高 9 和 11 个百分点，所以 `--paper` 模式沿用默认模式选出的学习率。
//:en By default the experiments use Fashion-MNIST: the 28x28 images zero-padded to 32x32, one channel, minus the training mean. When the environment variable `CIFAR10_DIR` names CIFAR-10's `cifar-10-batches-bin` folder, the lesson uses CIFAR-10 (3 channels) instead. The training follows the paper: SGD, momentum 0.9, weight decay $10^{-4}$, a learning rate later divided by 10 (the paper: batch 128, rate 0.1, divided at 32k and again at 48k of 64k iterations); all nets have BN and He initialisation. To finish in minutes, the default mode trains on a small part of the training set for a few epochs, without data augmentation; the note below gives the numbers. So short a run needs two changes. First, warm-up: the rate rises linearly from a tenth of its peak (the paper starts its 110-layer net at 0.01, for which 0.1 is too large at the start); without it, a 56-layer net is thrown to a high loss by its first steps and has too few steps left to recover. Second, batch 64 at a peak rate of 0.02: twice the steps of batch 128 for the same compute, at a peak below the paper's ratio of rate to batch (0.1 at 128, so 0.05 at 64). At a peak of 0.05, ResNet-56's loss jumped back up in the middle of training in three of eight seeds, once far enough to leave it far above ResNet-20 at the end; at 0.02 its loss fell steadily in seven of eight, with one small bump. We also tried batch 128 at 0.1 (half the steps), after which ResNet-56 ended a few points above ResNet-20 in training error, and batch 64 at 0.1, at which the 56-layer nets were thrown off at the peak rate. `--paper` mode uses all four depths and 4,096 images with the default mode's batch size, rates and epochs (64 steps an epoch, 512 in all). We first tried the paper's batch 128 at 0.1 there (5,000 images, 8 epochs, 320 steps): in so short a run the ResNets degraded with depth too, ResNet-32 and ResNet-44 ending 9 and 11 points above ResNet-20 in training error, so `--paper` mode keeps the rate the default mode chose.
let dataset = DepthDataset.fromEnvironment()
let budget = DepthBudget.forMode(quick: nb.isQuick, paper: nb.isPaper)
let (depths, trainCount, epochs) = (budget.depths, budget.trainCount, budget.epochs)
let (shallow, deep) = (budget.shallow, budget.deep)
nb.show("dataset", dataset.rawValue)
nb.show("depths", depths)
nb.show("training images", trainCount)
nb.show("epochs", epochs)
nb.show("batch size", budget.batchSize)
let rates = budget.epochRates.map { String(format: "%.3g", $0) }
let stepsPerEpoch = budget.stepsPerEpoch
nb.note(zh: "本次（\(nb.mode.rawValue) 模式）：\(depths.map(String.init).joined(separator: "、")) 层，\(trainCount) 张训练图，批大小 \(budget.batchSize)（每周期 \(stepsPerEpoch) 步，共 \(stepsPerEpoch * epochs) 步），\(epochs) 个周期，各周期的学习率依次为 \(rates.joined(separator: "、"))。",
        en: "This run (\(nb.mode.rawValue) mode): \(depths.map(String.init).joined(separator: ", ")) layers, \(trainCount) training images, batch \(budget.batchSize) (\(stepsPerEpoch) steps an epoch, \(stepsPerEpoch * epochs) in all), \(epochs) epochs at learning rates \(rates.joined(separator: ", ")).")
//> dataset: fashion-mnist
//> depths: [8, 14]
//> training images: 384
//> epochs: 1
//> batch size: 64

//: ## 初始化时各层的梯度
//:en ## Gradients per layer at initialisation

//: 训练之前先看一次反向传播：同一批 128 张训练图，算交叉熵损失对每个卷积层和全连接层权重的梯度的范数 $\lVert \partial L / \partial W_l \rVert$。普通网络里，梯度要从输出一层层乘回来；ResNet 里，每个残差块的输出是 $F(x) + x$，$\partial(F(x) + x)/\partial x = \partial F / \partial x + I$，恒等项让梯度可以沿着捷径直接传到前面的层。
//:en Before training, look at one backward pass: on the same batch of 128 training images, the norm of the gradient of the cross-entropy loss with respect to each conv and linear weight, $\lVert \partial L / \partial W_l \rVert$. In a plain net the gradient is multiplied back layer after layer from the output; in a ResNet every block outputs $F(x) + x$, and $\partial(F(x) + x)/\partial x = \partial F / \partial x + I$: the identity term carries the gradient along the shortcut straight to the earlier layers.
struct GradientProfile: Codable { var net: String; var norms: [Double] }
let profiles = try nb.cached("init-gradients", dataset, depths, after: []) { () -> [GradientProfile] in
    let batch = try dataset.load(trainCount: nb.isQuick ? 32 : 128, testCount: 1).train
    let nets = [shallow, deep].flatMap { [DepthNet.plain($0), DepthNet.resnet($0)] } + [DepthNet(depth: deep, shortcut: .optionB)]
    return nets.map { net in
        GradientProfile(net: net.name, norms: weightGradientNorms(net.make(channels: dataset.channels, seed: nb.seed &+ UInt64(net.depth)),
                                                               images: batch.images, labels: batch.labels).map(\.norm))
    }
}
let profile = Dictionary(uniqueKeysWithValues: profiles.map { ($0.net, $0.norms) })
func ratio(_ name: String) -> Double { profile[name]!.last! / profile[name]!.first! }
func spread(_ name: String) -> Double { profile[name]!.max()! / profile[name]!.min()! }
nb.table(header: ["net", "layers", "first conv", "fc", "fc / first", "min", "max", "max / min"],
         rows: profiles.map { p in [p.net, p.norms.count, p.norms.first!, p.norms.last!, ratio(p.net), p.norms.min()!, p.norms.max()!, spread(p.net)]
             as [any CustomStringConvertible] },
         caption: Bilingual(zh: "初始化时权重梯度的范数 ‖∂L/∂W‖（同一批训练图）", en: "Weight-gradient norms ‖∂L/∂W‖ at initialisation (one batch of training images)"))
//> Table: 初始化时权重梯度的范数 ‖∂L/∂W‖（同一批训练图）
//> net            layers  first conv      fc  fc / first     min     max  max / min
//> -------------  ------  ----------  ------  ----------  ------  ------  ---------
//> plain-8             8      0.2311  0.6017       2.604  0.2311  0.7403      3.204
//> ResNet-8            8      0.2077   1.260       6.067  0.2077   1.260      6.067
//> plain-14           14      0.6735  0.6158      0.9144  0.4994   2.012      4.029
//> ResNet-14          14      0.3757   2.140       5.695  0.3757   2.140      5.695
//> ResNet-14 (B)      14      0.5589   1.287       2.303  0.4519   1.287      2.848
nb.figure(LineChart(xLabel: "layer (forward order)", yLabel: "‖∂L/∂W‖ (log scale)", yScale: .log,
                    series: profiles.filter { !$0.net.contains("(B)") }.map { p in
                        .init(p.net, x: p.norms.indices.map { Double($0 + 1) }, y: p.norms,
                              color: netColor(plain: p.net.hasPrefix("plain"), p.norms.count > shallow ? 1 : 0),
                              dashed: p.net.hasPrefix("plain"))
                    },
                    legend: .topRight, size: Size(440, 240)),
          name: "fig-08-init-gradients",
          caption: Bilingual(zh: "初始化时每层权重梯度的范数：普通网络（虚线）与 ResNet（实线）",
                             en: "Weight-gradient norm per layer at initialisation: plain nets (dashed) and ResNets (solid)"))
//> Figure: fig-08-init-gradients.pdf — 初始化时每层权重梯度的范数：普通网络（虚线）与 ResNet（实线）
let evenerResidual = spread("ResNet-\(deep)") < spread("plain-\(deep)")
nb.note(zh: "本次运行：最大与最小的层梯度之比，plain-\(deep) 为 \(fmt(spread("plain-\(deep)")))，ResNet-\(deep) 为 \(fmt(spread("ResNet-\(deep)")))，ResNet-\(deep)（选项 B）为 \(fmt(spread("ResNet-\(deep) (B)")))；plain-\(shallow) 与 ResNet-\(shallow) 分别为 \(fmt(spread("plain-\(shallow)"))) 和 \(fmt(spread("ResNet-\(shallow)")))。最小的层梯度：plain-\(deep) \(fmt(profile["plain-\(deep)"]!.min()!))，ResNet-\(deep) \(fmt(profile["ResNet-\(deep)"]!.min()!))。"
            + (evenerResidual ? "ResNet-\(deep) 各层的梯度比 plain-\(deep) 更均匀。" : "这次 ResNet-\(deep) 各层梯度的差别并不比 plain-\(deep) 小。"),
        en: "This run: the ratio of the largest to the smallest layer gradient is \(fmt(spread("plain-\(deep)"))) for plain-\(deep), \(fmt(spread("ResNet-\(deep)"))) for ResNet-\(deep) and \(fmt(spread("ResNet-\(deep) (B)"))) for ResNet-\(deep) with option B; \(fmt(spread("plain-\(shallow)"))) and \(fmt(spread("ResNet-\(shallow)"))) for plain-\(shallow) and ResNet-\(shallow). Smallest layer gradient: plain-\(deep) \(fmt(profile["plain-\(deep)"]!.min()!)), ResNet-\(deep) \(fmt(profile["ResNet-\(deep)"]!.min()!))."
            + (evenerResidual ? " ResNet-\(deep)'s gradients are more even across layers than plain-\(deep)'s." : " This time ResNet-\(deep)'s gradients are not more even across layers than plain-\(deep)'s."))

//: 默认模式（20 层和 56 层）下，上面的注记和表给出了本次的数字。普通网络的梯度并没有消失：He 等检查过，有 BN 时普通网络的梯度范数是“健康的”，所以退化不是梯度消失造成的。相反，在 plain-56 里，梯度从输出往输入方向越来越大，第一层卷积的梯度可以是全连接层的数百倍（BN 在很深的普通网络里初始化时会让梯度爆炸，见 Yang 等，2019）。各层梯度大小相差几个数量级，同一个学习率对前面的层太大、对后面的层太小。ResNet-56 的曲线平得多：每个残差块的梯度都有一条经过恒等项 $I$ 的路径，不必穿过所有的层。选项 B 与选项 A 的最大最小比相近（表中最后一列），它们只在两个降采样处不同。
//:en In the default mode (20 and 56 layers) the note and the table above give this run's numbers. The plain nets' gradients do not vanish: He et al. checked that with BN the gradient norms of plain nets are "healthy", so the degradation is not caused by vanishing gradients. On the contrary, in plain-56 the gradient grows from the output towards the input, and the first conv's gradient can be hundreds of times the fc layer's (at initialisation, BN makes the gradients of very deep plain nets explode; Yang et al., 2019). With layer gradients orders of magnitude apart, one learning rate is too large for the early layers and too small for the late ones. ResNet-56's curve is much flatter: every block's gradient has a path through the identity term $I$ that does not pass through all the layers. Option B has a largest-to-smallest ratio close to option A's (the last column of the table); the two differ only at the two downsampling points.

//: ## 训练：退化出现了吗？
//:en ## Training: does the degradation appear?

//: 每个网络用同样的数据、同样的配置训练。训练好的权重存成 safetensors（`Output/l08-depth/nets-<模式>/`），第 9 课画损失曲面时会读它们。
//:en Every net trains on the same data with the same set-up. The trained weights are saved as safetensors (`Output/l08-depth/nets-<mode>/`); lesson 9 reads them to draw loss landscapes.
let trainNets = depths.flatMap { [DepthNet.plain($0), DepthNet.resnet($0)] }
let netsFolder = nb.directory.appendingPathComponent("nets-\(nb.mode.rawValue)", isDirectory: true)
/// The record of one net: its training run, and its final eval-mode error and loss on every training image and its
/// error on the test images (with the batch-norm statistics recomputed by `trainDepthNet`).
struct DepthResult: Codable { var run: TrainingRun; var trainError: Double; var trainLoss: Double; var testError: Double }
var runs: [TrainingRun] = []
var finalTrain: [String: DepthResult] = [:]
for net in trainNets {
    let folder = try nb.cachedDirectory("train", net, dataset, budget, after: []) { f in
        let data = try budget.load(dataset)
        let (run, model) = trainDepthNet(net, channels: dataset.channels, data: data, recipe: budget.recipe, seed: nb.seed &+ UInt64(net.depth))
        let final = depthEvaluation(model, on: data.train), test = depthEvaluation(model, on: data.test)
        try saveDepthNet(model, net, dataset: dataset, in: f.output)
        try JSONEncoder().encode(DepthResult(run: run, trainError: final.error, trainLoss: final.loss, testError: test.error))
            .write(to: f.output.appendingPathComponent("result.json"), options: .atomic)
    }
    let result = try JSONDecoder().decode(DepthResult.self, from: Data(contentsOf: folder.appendingPathComponent("result.json")))
    runs.append(result.run)
    finalTrain[net.name] = result
    try FileManager.default.createDirectory(at: netsFolder, withIntermediateDirectories: true)
    let file = "\(net.fileStem).safetensors"
    let target = netsFolder.appendingPathComponent(file)
    try? FileManager.default.removeItem(at: target)
    try FileManager.default.copyItem(at: folder.appendingPathComponent(file), to: target)
}
let byName = Dictionary(uniqueKeysWithValues: runs.map { ($0.name, $0) })
let window = max(1, stepsPerEpoch / 4)
/// One vertical scale for both panels: up to the largest plotted error, in steps of 10%.
let errorCeiling = min(100, 10 * ((runs.flatMap { windowMeans($0.stepError, width: window) + $0.testError }.max() ?? 1) * 10).rounded(.up))
/// One panel of the analogue of the paper's Figure 6: thin lines are the training error of the
/// steps' own batches (window means), bold dashed lines with markers the test error per epoch.
func errorPanel(_ names: [String], title: String) -> LineChart {
    var series: [LineChart.Series] = []
    for (i, name) in names.enumerated() {
        let run = byName[name]!, color = netColor(plain: name.hasPrefix("plain"), Double(i) / Double(max(1, names.count - 1)))
        let w = windowMeans(run.stepError, width: window)
        series.append(.init("\(name) train", x: w.indices.map { Double(($0 + 1) * window) / Double(stepsPerEpoch) }, y: w.map { $0 * 100 }, color: color))
        series.append(.init("\(name) test", x: run.testError.indices.map { Double($0 + 1) }, y: run.testError.map { $0 * 100 },
                            color: color, marker: .circle, dashed: true))
    }
    return LineChart(title: title, xLabel: "epoch", yLabel: "error (%)", yRange: 0...errorCeiling, series: series, legend: .bottomLeft, size: Size(300, 240))
}
nb.figure(SideBySide(panels: [errorPanel(depths.map { "plain-\($0)" }, title: "plain"),
                              errorPanel(depths.map { "ResNet-\($0)" }, title: "ResNet")]),
          name: "fig-08-depth-curves",
          caption: Bilingual(zh: "训练误差（细线，每步所在批次的误差的滑动平均）与测试误差（虚线加圆点，每个周期末）：左为普通网络，右为 ResNet",
                             en: "Training error (thin: moving mean of each step's batch error) and test error (dashed with dots, after each epoch): plain nets left, ResNets right"))
//> Figure: fig-08-depth-curves.pdf — 训练误差（细线，每步所在批次的误差的滑动平均）与测试误差（虚线加圆点，每个周期末）：左为普通网络，右为 ResNet
func lastEpochStepError(_ run: TrainingRun) -> Double {
    let tail = run.stepError.suffix(stepsPerEpoch)
    return tail.reduce(0, +) / Double(tail.count)
}
nb.table(header: ["net", "params", "train error (eval, all \(trainCount))", "train error (last epoch's batches)", "test error"],
         rows: runs.map { [$0.name, $0.parameters, finalTrain[$0.name]!.trainError, lastEpochStepError($0), finalTrain[$0.name]!.testError] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "训练结束时的误差", en: "Errors at the end of training"))
//> Table: 训练结束时的误差
//> net        params  train error (eval, all 384)  train error (last epoch's batches)  test error
//> ---------  ------  ---------------------------  ----------------------------------  ----------
//> plain-8     75002                       0.6094                              0.8438      0.6250
//> ResNet-8    75002                       0.6823                              0.8281      0.7050
//> plain-14   172218                       0.6562                              0.8490      0.6850
//> ResNet-14  172218                       0.6146                              0.8151      0.6200
let times = runs.map { "\($0.name) \(String(format: "%.0f", $0.seconds)) s" }.joined(separator: ", ")
nb.note(zh: "训练用时（随机器负载变化）：\(times)。", en: "Training time (varies with the machine's load): \(times).")

//: 表中“train error (eval)”和“test error”是训练结束后在 eval 模式下测量的（前者用全部训练图）。测量之前，每个 BN 的均值和方差都用最终的权重在全部训练图上重新算过一遍（PyTorch 的 `update_bn` 的做法）：训练中累计的滑动平均描述的是已经变了的权重，这么短的训练里它们可能差得很远，eval 模式量到的就是这个滞后，而不是训练出的网络；plain-56 尤其如此。“最后一个周期的批次”一列是最后一个周期里各步自己那一批的误差的平均（训练模式）。图中测试误差在前几个周期很高、训练误差却已经下降，原因是 BN 的滑动平均（动量 0.1）跟不上峰值学习率下快速变化的权重：每个周期只有二十几步，eval 模式用的均值和方差已经过时；学习率降低之后，两者就一致了。
//:en The table's "train error (eval)" and "test error" are measured after training, in eval mode (the former on all the training images). Before that, every BN's mean and variance are recomputed with the final weights over all the training images (what PyTorch's `update_bn` does): the running averages gathered during training describe weights that have since moved, and in a training this short they can be far off, so eval mode would measure that lag rather than the trained net; plain-56 most of all. the column "last epoch's batches" averages the error of each step's own batch over the last epoch (training mode). In the figure, the test error stays high for the first epochs while the training error already falls: BN's running averages (momentum 0.1) cannot keep up with weights that change fast at the peak rate, with only a couple of dozen steps per epoch, so eval mode normalises with stale statistics; once the rate drops, the two agree.
let plainShallow = finalTrain["plain-\(shallow)"]!.trainError, plainDeep = finalTrain["plain-\(deep)"]!.trainError
let resShallow = finalTrain["ResNet-\(shallow)"]!.trainError, resDeep = finalTrain["ResNet-\(deep)"]!.trainError
let degradation = plainDeep > plainShallow, residualHolds = resDeep <= resShallow
nb.show("plain-\(deep) train error > plain-\(shallow)", degradation)
nb.show("ResNet-\(deep) train error <= ResNet-\(shallow)", residualHolds)
//> plain-14 train error > plain-8: true
//> ResNet-14 train error <= ResNet-8: true
nb.note(zh: "本次运行的结果：plain-\(deep) 的训练误差为 \(pct(plainDeep))，plain-\(shallow) 为 \(pct(plainShallow))"
            + (degradation ? "——更深的普通网络训练得更差，退化出现了。" : "——这次更深的普通网络没有更差，退化没有出现。")
            + "ResNet-\(deep) 为 \(pct(resDeep))，ResNet-\(shallow) 为 \(pct(resShallow))"
            + (residualHolds ? "——加了捷径后，更深的网络不比浅的差。" : "——这次 ResNet-\(deep) 比 ResNet-\(shallow) 高。")
            + "测试误差：plain-\(deep) \(pct(finalTrain["plain-\(deep)"]!.testError))，plain-\(shallow) \(pct(finalTrain["plain-\(shallow)"]!.testError))，ResNet-\(deep) \(pct(finalTrain["ResNet-\(deep)"]!.testError))，ResNet-\(shallow) \(pct(finalTrain["ResNet-\(shallow)"]!.testError))。",
        en: "This run: plain-\(deep) ends with a training error of \(pct(plainDeep)), plain-\(shallow) with \(pct(plainShallow))"
            + (degradation ? ": the deeper plain net trains worse, the degradation appears." : ": this time the deeper plain net is not worse, no degradation.")
            + " ResNet-\(deep) ends at \(pct(resDeep)), ResNet-\(shallow) at \(pct(resShallow))"
            + (residualHolds ? ": with shortcuts the deeper net is no worse than the shallow one." : ": this time ResNet-\(deep) ends higher than ResNet-\(shallow).")
            + " Test errors: plain-\(deep) \(pct(finalTrain["plain-\(deep)"]!.testError)), plain-\(shallow) \(pct(finalTrain["plain-\(shallow)"]!.testError)), ResNet-\(deep) \(pct(finalTrain["ResNet-\(deep)"]!.testError)), ResNet-\(shallow) \(pct(finalTrain["ResNet-\(shallow)"]!.testError)).")

let plainGap = (plainDeep - plainShallow) * 100, resGap = (resDeep - resShallow) * 100
func points(_ x: Double) -> String { String(format: "%.1f", abs(x)) }
nb.note(zh: "差距：plain-\(deep) 比 plain-\(shallow) \(plainGap > 0 ? "高" : "低") \(points(plainGap)) 个百分点，ResNet-\(deep) 比 ResNet-\(shallow) \(resGap > 0 ? "高" : "低") \(points(resGap)) 个百分点。"
            + (plainDeep >= 0.8 ? "plain-\(deep) 几乎停在随机猜测的水平（10 类时误差为 90%）：在这么短的训练里，它几乎什么也没学到。" : ""),
        en: "Gaps: plain-\(deep) ends \(points(plainGap)) points \(plainGap > 0 ? "above" : "below") plain-\(shallow), ResNet-\(deep) \(points(resGap)) points \(resGap > 0 ? "above" : "below") ResNet-\(shallow)."
            + (plainDeep >= 0.8 ? " plain-\(deep) stays close to chance (90% error for 10 classes): in so short a run it learns almost nothing." : ""))

//: 左图是论文图 1 和图 6 左的类比：更深的普通网络训练误差（细线）更高，这是优化的困难，不是过拟合（过拟合时训练误差会更低）。右图是图 6 右的类比：加了捷径以后，同样的训练应当让 56 层网络不比 20 层差。两对网络的先后和差距见图上面的两条注记；如果某次运行的先后不同，注记会如实说明。论文训练 64k 步，ResNet-56 的训练误差明显低于 ResNet-20；我们只训练几百步（步数见前面的注记），更深的 ResNet 还来不及领先：两个 ResNet 结束时相差几个百分点以内，谁高谁低随种子而变（下一节用三个种子训练这一对 ResNet，给出差距的中位数和平均数；我们也试过在同样的图上多训练一倍的周期，深的那个并没有因此领先），而普通网络之间相差几十个百分点。我们的预算远小于论文（论文在 5 万张图上训练 164 个周期、有数据增强），误差的绝对值不能和论文比，但两对网络的先后就是论文要说明的现象；`--paper` 模式更接近论文的设置。快速模式（测试用）只训练 8 层和 14 层、一个周期，数字只说明代码能跑通。
//:en The left panel is the analogue of the paper's Figure 1 and the left of Figure 6: the deeper plain net has the higher training error (thin lines), which is a difficulty of optimisation, not overfitting (overfitting would lower the training error). The right panel is the analogue of the right of Figure 6: with shortcuts, the same training should leave the 56-layer net no worse than the 20-layer one. The two notes above the figure give each pair's order and gap; if a run gives another order, they say so. The paper trains for 64k steps, after which ResNet-56 ends clearly below ResNet-20 in training error; we train for a few hundred steps (the set-up note gives the count), too few for the deeper ResNet to pull ahead: the two ResNets end within a few points of each other, in an order that changes with the seed (the next section trains the pair with three seeds and gives the median and mean of the gap; in our tries, twice the epochs on the same images did not put the deeper one ahead), while the plain nets end tens of points apart. Our budget is far below the paper's (164 epochs on 50,000 images with augmentation), so the absolute errors cannot be compared with the paper's, but the order within each pair is the phenomenon the paper shows; `--paper` mode is closer to the paper's set-up. Quick mode (for the tests) trains only 8- and 14-layer nets for one epoch; its numbers only show that the code runs.

//: 另一个常用的做法（Goyal 等，2017；torchvision 的 `zero_init_residual=True`）是把每个残差块最后一个 BN 的 $\gamma$ 初始化为 0：每个块一开始就等于它的捷径，深的 ResNet 起步时就像一个浅的网络。He 等没有用它，本课也没有用：我们试过，在这么短的训练里残差分支要先把 $\gamma$ 学起来，两个 ResNet 都学得慢得多，ResNet-20 结束时的训练误差比 plain-20 还高得多。想自己试，把 `trainDepthNet` 的 `zeroInitResidual` 设为 `true`（即 `CIFARResNet(depth:zeroInitResidual:)`）。
//:en Another common recipe (Goyal et al., 2017; torchvision's `zero_init_residual=True`) initialises the $\gamma$ of each residual block's last BN to 0, so that every block starts as its shortcut and a deep ResNet starts out like a shallow net. He et al. did not use it, and neither does this lesson: we tried it, and in runs this short the residual branches must first learn their $\gamma$, so both ResNets learned much more slowly, and ResNet-20 ended far above plain-20 in training error. To try it, pass `zeroInitResidual: true` to `trainDepthNet` (that is, `CIFARResNet(depth:zeroInitResidual:)`).

//: ## 换一个随机种子呢？
//:en ## And with other random seeds?

//: 两个 ResNet 结束时通常很接近，而这么短的训练单次运行的波动又大，所以只看一次运行不够。下面用另外几个随机种子（初始化和批次的顺序都变）再训练这一对 ResNet，其余设置不变（默认模式共三个种子；`--paper` 模式只有上面那一次）。
//:en The two ResNets usually end close together, and single runs this short vary a lot, so one run is not enough to tell their order. Below, the residual pair is trained again with other random seeds (both the initialisation and the order of the batches change), everything else unchanged (three seeds in all in the default mode; `--paper` mode has only the run above).
/// Final eval-mode training errors of a shallow/deep pair for one seed offset.
struct SeedPair: Codable {
    var offset: UInt64; var shallow: Double; var deep: Double
    /// deep − shallow, in percentage points.
    var gap: Double { (deep - shallow) * 100 }
}
/// The pair `net(shallow)`, `net(deep)` trained again with each of `offsets` (after the first, offset 0, trained above).
func trainedWithSeeds(_ net: (Int) -> DepthNet, _ offsets: [UInt64], first: SeedPair) throws -> [SeedPair] {
    var pairs = [first]
    for offset in offsets.dropFirst() {
        let errors = try [shallow, deep].map { depth -> Double in
            let net = net(depth)
            return try nb.cached("train-other-seed", net, dataset, budget, offset, after: []) { () -> Double in
                let data = try budget.load(dataset)
                let (_, model) = trainDepthNet(net, channels: dataset.channels, data: data, recipe: budget.recipe,
                                               seed: nb.seed &+ offset &+ UInt64(net.depth))
                return depthEvaluation(model, on: data.train).error
            }
        }
        pairs.append(SeedPair(offset: offset, shallow: errors[0], deep: errors[1]))
    }
    return pairs
}
let seedPairs = try trainedWithSeeds(DepthNet.resnet, budget.residualSeedOffsets,
                                     first: SeedPair(offset: 0, shallow: resShallow, deep: resDeep))
// The plain pair's gap is tens of points, so fewer seeds settle its sign (the default mode: only the run above).
let plainSeedPairs = try trainedWithSeeds(DepthNet.plain, budget.plainSeedOffsets,
                                          first: SeedPair(offset: 0, shallow: plainShallow, deep: plainDeep))
//- hide
/// Median of `values` (not empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
let seedGaps = seedPairs.map(\.gap)
let meanSeedGap = seedGaps.reduce(0, +) / Double(seedGaps.count)
let medianSeedGap = median(seedGaps)
let deepNoWorse = seedPairs.filter { $0.deep <= $0.shallow }.count
let medianPlainGap = median(plainSeedPairs.map(\.gap))
let plainDeepWorse = plainSeedPairs.filter { $0.deep > $0.shallow }.count
/// The final training errors of one pair over its seeds, as a table.
func seedTable(_ pairs: [SeedPair], _ prefix: String, zh: String, en: String) {
    nb.table(header: ["seed offset", "\(prefix)-\(shallow)", "\(prefix)-\(deep)", "\(prefix)-\(deep) − \(prefix)-\(shallow) (points)"],
             rows: pairs.map { [String($0.offset), $0.shallow, $0.deep, String(format: "%+.1f", $0.gap)] as [any CustomStringConvertible] },
             caption: Bilingual(zh: "不同随机种子下\(zh)的最终训练误差（eval，全部训练图）",
                                en: "Final training error of the \(en) with other seeds (eval mode, all training images)"))
}
if plainSeedPairs.count > 1 {
    seedTable(plainSeedPairs, "plain", zh: "两个普通网络", en: "plain pair")
    nb.show("seeds with plain-\(deep) > plain-\(shallow)", "\(plainDeepWorse) of \(plainSeedPairs.count)")
}
if seedPairs.count > 1 {
    seedTable(seedPairs, "ResNet", zh: "两个 ResNet ", en: "residual pair")
    nb.show("seeds with ResNet-\(deep) <= ResNet-\(shallow)", "\(deepNoWorse) of \(seedPairs.count)")
}
/// The plain pair's gap as the note quotes it: a median over its seeds, or the run above.
let plainGapSource = plainSeedPairs.count > 1
    ? (zh: "\(plainSeedPairs.count) 个种子，中位数 \(String(format: "%+.1f", medianPlainGap)) 个百分点，\(plainDeepWorse) 次 plain-\(deep) 更高",
       en: "over \(plainSeedPairs.count) seeds: a median of \(String(format: "%+.1f", medianPlainGap)) points, plain-\(deep) higher \(plainDeepWorse) times")
    : (zh: "上面那次运行，\(String(format: "%+.1f", medianPlainGap)) 个百分点", en: "the run above: \(String(format: "%+.1f", medianPlainGap)) points")
if seedPairs.count > 1 {
nb.note(zh: "\(seedPairs.count) 个种子里，ResNet-\(deep) 有 \(deepNoWorse) 次不高于 ResNet-\(shallow)；两者之差的中位数为 \(String(format: "%+.1f", medianSeedGap)) 个百分点，平均为 \(String(format: "%+.1f", meanSeedGap)) 个百分点（从 \(String(format: "%+.1f", seedGaps.min()!)) 到 \(String(format: "%+.1f", seedGaps.max()!))），而 plain-\(deep) 比 plain-\(shallow) \(plainGap > 0 ? "高" : "低") \(points(plainGap)) 个百分点。"
            + (abs(medianSeedGap) < abs(medianPlainGap) / 4 ? "残差网络这一对差距的中位数不到普通网络那一对（\(plainGapSource.zh)）的四分之一：没有普通网络那样的退化。" : ""),
        en: "Over \(seedPairs.count) seeds, ResNet-\(deep) ended at or below ResNet-\(shallow) \(deepNoWorse) times; their difference has a median of \(String(format: "%+.1f", medianSeedGap)) points and a mean of \(String(format: "%+.1f", meanSeedGap)) (from \(String(format: "%+.1f", seedGaps.min()!)) to \(String(format: "%+.1f", seedGaps.max()!))), while plain-\(deep) ends \(points(plainGap)) points \(plainGap > 0 ? "above" : "below") plain-\(shallow)."
            + (abs(medianSeedGap) < abs(medianPlainGap) / 4 ? " The residual pair's median gap is under a quarter of the plain pair's (\(plainGapSource.en)): no degradation of the plain nets' kind." : ""))
}
//> Table: 不同随机种子下两个普通网络的最终训练误差（eval，全部训练图）
//> seed offset  plain-8  plain-14  plain-14 − plain-8 (points)
//> -----------  -------  --------  ---------------------------
//>           0   0.6094    0.6562                         +4.7
//>        1000   0.5469    0.6641                        +11.7
//> seeds with plain-14 > plain-8: 2 of 2
//> Table: 不同随机种子下两个 ResNet 的最终训练误差（eval，全部训练图）
//> seed offset  ResNet-8  ResNet-14  ResNet-14 − ResNet-8 (points)
//> -----------  --------  ---------  -----------------------------
//>           0    0.6823     0.6146                           -6.8
//>        1000    0.6823     0.6875                           +0.5
//> seeds with ResNet-14 <= ResNet-8: 1 of 2

//: ## 小结
//:en ## Takeaways

//: - 普通网络加深后训练误差反而升高（退化），差距是几十个百分点；加了捷径后，深网络与浅网络的训练误差只差几个百分点以内（在我们这么短的训练里谁高谁低随种子而变，差距的中位数接近 0；论文训练 64k 步后，深的 ResNet 明显更低）。上面的数字来自本次运行。
//: - 选项 A 的捷径没有参数：ResNet 与同深度的普通网络参数量相同；选项 B 只多 2752 个参数。
//: - 初始化时，ResNet 各层权重梯度的大小比普通网络均匀得多：$\partial(F + x)/\partial x = \partial F/\partial x + I$。
//:en - Deeper plain nets end with a *higher* training error (degradation), tens of points higher; with shortcuts the deep net ends within a few points of the shallow one (in runs as short as ours in an order that changes with the seed, with a median gap near 0; after the paper's 64k steps the deeper ResNet is clearly lower). The numbers above come from this run.
//:en - Option A shortcuts have no parameters: a ResNet has as many parameters as the plain net of the same depth; option B adds only 2,752.
//:en - At initialisation the weight gradients of a ResNet are far more even across layers than a plain net's: $\partial(F + x)/\partial x = \partial F/\partial x + I$.
//- hide
nb.exercise(zh: "一个残差块把 $C$ 通道的输入变成 $2C$ 通道、尺寸减半的输出，捷径用 1x1、步长 2 的投影（选项 B 的做法）：投影有多少权重、多少 MACs？",
            en: "A residual block maps $C$ channels to $2C$ channels at half the size, with a 1x1, stride-2 projection shortcut (option B's way): how many weights and MACs does the projection have?",
            grader: "resnet-projection")
nb.exercise(zh: "写出 CIFAR ResNet-$(6n+2)$（选项 A，3 个输入通道，10 类）的参数量关于 $n$ 的公式，并用 $n = 3$ 和 $n = 9$ 检查（269,722 与 853,018）。",
            en: "Write the parameter count of a CIFAR ResNet-$(6n+2)$ (option A, 3 input channels, 10 classes) as a formula in $n$, and check it at $n = 3$ and $n = 9$ (269,722 and 853,018).",
            grader: "cifar-resnet-parameters")
nb.finish()
