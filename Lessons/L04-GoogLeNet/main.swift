//: # L04 · GoogLeNet 与 Inception
//:en # L04 · GoogLeNet and Inception

//: 从 GoogLeNet（Szegedy 等，2015）开始，网络不止更深（22 层），而且进化出多分支结构：同一个 inception 模块里并排放 1x1、3x3、5x5 卷积和 3x3 池化，让网络自己决定用哪种尺度的特征。它在 ImageNet 上的 top-5 错误率是 6.7%，并用瓶颈结构（bottleneck structure）控制参数和计算量。本课用引擎重算讲义里的瓶颈练习、整个 GoogLeNet 的参数与 MACs、Inception-v2 的批标准化（batch normalization）、Inception-v3 的卷积分解、RMSProp 和标签平滑（label smoothing），最后看 GoogLeNet 的学习率策略。
//:en From GoogLeNet (Szegedy et al., 2015) on, networks are not only deeper (22 layers) but grow several branches: one inception module puts 1x1, 3x3 and 5x5 convolutions and a 3x3 pooling side by side and lets the network choose the scale of its features. It reached 6.7% top-5 error on ImageNet and keeps parameters and computation in check with a bottleneck structure. This lesson recomputes with the engine the lecture's bottleneck exercise, the parameters and MACs of the whole GoogLeNet, Inception-v2's batch normalization, Inception-v3's factorised convolutions, RMSProp and label smoothing, and finally GoogLeNet's learning-rate schedule.

//- hide
import Analysis
import CNN
import Datasets
import Foundation
import Notebook
import Render
import Training
import Weave
import Zoo

let nb = Notebook("l04-googlenet")
Random.seed(nb.seed)

//: ## Inception 模块
//:en ## The inception module

//: 输入中物体的位置和大小各不相同，很难事先选定合适的卷积核大小。Inception 模块把几种卷积核并排放在一起，输出在通道维上拼接（concat）。朴素版本（naive，图左）直接在输入上做 3x3 和 5x5 卷积，而且池化分支把输入的全部通道原样送到输出，通道数逐层膨胀；维度下降版本（图右）在 3x3、5x5 之前先用 1x1 卷积把通道数降下来，并在池化之后用 1x1 卷积做投影。通道数取 GoogLeNet 的 inception (3a)。
//:en Objects appear at different positions and sizes, so a single right kernel size is hard to choose in advance. The inception module puts several kernels side by side and concatenates their outputs along the channel axis. The naive version (left) applies 3x3 and 5x5 convolutions straight to the input, and its pooling branch passes all input channels through, so the width grows from module to module; the version with dimension reduction (right) first shrinks the channels with 1x1 convolutions before the 3x3 and 5x5 ones and projects the pooled input with a 1x1 convolution. The channel counts are those of GoogLeNet's inception (3a).
//- fold figure: InceptionModuleDiagram (a) naive, (b) bottleneck
let c3a = (c1: 64, c3: 128, c5: 32, pool: 32, r3: 96, r5: 16)
nb.figure(SideBySide(panels: [InceptionModuleDiagram(title: "(a) naive", variant: .naive, channels: c3a),
                              InceptionModuleDiagram(title: "(b) 1×1 reductions", variant: .bottleneck, channels: c3a)]),
          name: "fig-04-inception-modules",
          caption: Bilingual(zh: "Inception 模块：(a) 朴素版本；(b) 维度下降版本（GoogLeNet 的 3a，输入 192 通道）",
                             en: "The inception module: (a) naive; (b) with dimension reduction (GoogLeNet's 3a, 192 input channels)"))
//> Figure: fig-04-inception-modules.pdf — Inception 模块：(a) 朴素版本；(b) 维度下降版本（GoogLeNet 的 3a，输入 192 通道）
//- show
let naive3a = InceptionModule(naiveInputChannels: 192, ch1x1: 64, ch3x3: 128, ch5x5: 32)
let reduced3a = InceptionModule(inputChannels: 192, ch1x1: 64, ch3x3reduce: 96, ch3x3: 128,
                                ch5x5reduce: 16, ch5x5: 32, poolProjection: 32,
                                style: .original)
let s3aNaive = try Analysis.summarize(naive3a, input: [1, 192, 28, 28])
let s3aReduced = try Analysis.summarize(reduced3a, input: [1, 192, 28, 28])
//- fold table
nb.table(header: ["module (3a, 28×28×192)", "output channels", "weights", "MACs"],
         rows: [["(a) naive", naive3a.outputChannels, grouped(s3aNaive.total.parameters), grouped(s3aNaive.total.macs)],
                ["(b) 1×1 reductions", reduced3a.outputChannels, grouped(s3aReduced.total.parameters),
                 grouped(s3aReduced.total.macs)]],
         caption: Bilingual(zh: "inception (3a) 的两种版本", en: "The two versions of inception (3a)"))
//> Table: inception (3a) 的两种版本
//> module (3a, 28×28×192)  output channels  weights         MACs
//> ----------------------  ---------------  -------  -----------
//> (a) naive                           416  387,296  303,464,448
//> (b) 1×1 reductions                  256  163,696  128,049,152

//: 同样的 3a 位置，朴素版本的输出通道更多（池化分支带着 192 个通道），MACs 是维度下降版本的两倍多；下一个模块还要在这个更宽的输出上继续计算。
//:en At the same place, the naive version outputs more channels (the pooling branch carries all 192) and costs more than twice the MACs of the reduced one; the next module would then have to work on that wider output.

//: ## 瓶颈结构：讲义的练习
//:en ## The bottleneck: the lecture's exercise

//: 讲义的问题：输入 $i \times i \times 64$，输出 64 个通道。(a) 直接用 5x5 卷积；(b) 先用 1x1 卷积降到 32 个通道，再用 5x5 卷积升回 64 个。分别计算权重数（含偏置）和乘法次数（MACs）。下面用引擎搭出这两条分支（`inceptionBranch`），数它们的参数，再在 $i = 1$ 的输入上数 MACs：padding 保持空间尺寸不变，MACs 与 $i^2$ 成正比，所以 $i = 1$ 时的 MACs 正是 $i^2$ 前面的系数。
//:en The lecture's question: the input is $i \times i \times 64$ and the output has 64 channels. (a) a 5x5 convolution straight away; (b) a 1x1 convolution down to 32 channels, then a 5x5 convolution back up to 64. Count the weights (biases included) and the multiply-accumulates (MACs) of each. Below, the engine builds the two branches (`inceptionBranch`) and counts their parameters, then counts MACs on an $i = 1$ input: the padding keeps the spatial size, MACs grow as $i^2$, so the MACs at $i = 1$ are exactly the coefficient of $i^2$.
let branchA = inceptionBranch(kernel: 5, inputChannels: 64, outputChannels: 64)
let branchB = inceptionBranch(kernel: 5, inputChannels: 64, outputChannels: 64, reduction: 32)
func macsPerPixel(_ m: Module) throws -> Int {
    try Analysis.summarize(m, input: [1, 64, 1, 1]).total.macs
}
let (weightsA, weightsB) = (branchA.parameterCount, branchB.parameterCount)
let (macsA, macsB) = (try macsPerPixel(branchA), try macsPerPixel(branchB))
//- fold table and checks against the formulas
nb.table(header: ["", "weights", "MACs"],
         rows: [["(a) 5×5", grouped(weightsA), "\(grouped(macsA)) i²"],
                ["(b) 1×1 → 32, 5×5", grouped(weightsB), "\(grouped(macsB)) i²"],
                ["(b) / (a)", String(format: "%.3f", Double(weightsB) / Double(weightsA)),
                 String(format: "%.3f", Double(macsB) / Double(macsA))]],
         caption: Bilingual(zh: "讲义练习的答案（引擎计数）", en: "The answer to the lecture's exercise (counted by the engine)"))
nb.show("(a) weights = 5·5·64·64 + 64", grouped(5 * 5 * 64 * 64 + 64))
nb.show("(b) weights = 1·1·64·32 + 32 + 5·5·32·64 + 64", grouped(1 * 1 * 64 * 32 + 32 + 5 * 5 * 32 * 64 + 64))
nb.show("engine agrees with the formulas", weightsA == 102_464 && weightsB == 53_344
        && macsA == 5 * 5 * 64 * 64 && macsB == 64 * 32 + 5 * 5 * 32 * 64)
//> Table: 讲义练习的答案（引擎计数）
//>                    weights  MACs
//> -----------------  -------  ----------
//> (a) 5×5            102,464  102,400 i²
//> (b) 1×1 → 32, 5×5   53,344  53,248 i²
//> (b) / (a)            0.521  0.520
//> (a) weights = 5·5·64·64 + 64: 102,464
//> (b) weights = 1·1·64·32 + 32 + 5·5·32·64 + 64: 53,344
//> engine agrees with the formulas: true

//: 讲义给 (a) 的 MACs 写的是 “$10240 i^2$”，少了一个 0：$5 \times 5 \times 64 \times 64 = 102400$，应为 $102400 i^2$。按讲义的错数，(b) 的 $53248 i^2$ 反而比 (a) 还大；改正之后，瓶颈把计算量降到约一半。下面再用一个具体尺寸核对 $i^2$ 的规律：GoogLeNet 的 28x28 特征图。
//:en The lecture writes "$10240 i^2$" for the MACs of (a), one zero short: $5 \times 5 \times 64 \times 64 = 102400$, so it should read $102400 i^2$. With the slide's figure, (b)'s $53248 i^2$ would even exceed (a); corrected, the bottleneck roughly halves the work. Next, the $i^2$ law checked at a concrete size, GoogLeNet's 28x28 feature maps.
let i = 28
//- fold table
let macsA28 = try Analysis.summarize(branchA, input: [1, 64, i, i]).total.macs
let macsB28 = try Analysis.summarize(branchB, input: [1, 64, i, i]).total.macs
nb.table(header: ["i", "(a) MACs", "(b) MACs", "(a) = 102,400 i²", "(b) = 53,248 i²", "slide's 10,240 i²"],
         rows: [[i, grouped(macsA28), grouped(macsB28), macsA28 == 102_400 * i * i, macsB28 == 53_248 * i * i,
                 grouped(10_240 * i * i)]],
         caption: Bilingual(zh: "$i = 28$ 时的乘法次数", en: "Multiply-accumulates at $i = 28$"))
//> Table: $i = 28$ 时的乘法次数
//>  i    (a) MACs    (b) MACs  (a) = 102,400 i²  (b) = 53,248 i²  slide's 10,240 i²
//> --  ----------  ----------  ----------------  ---------------  -----------------
//> 28  80,281,600  41,746,432  true              true                     8,028,160

//: 瓶颈减少了特征图的数目，会丢失信息，但不会导致性能下降：网络的信息容量并不总和宽度成正比，高维输入投射到低维空间仍能保留有效信息，而且这种投射起到正则化的作用。
//:en The bottleneck cuts the number of feature maps and so loses information, yet performance does not drop: a network's capacity is not simply proportional to its width, a projection of a high-dimensional input to fewer dimensions can keep the useful information, and the projection acts as a regulariser.

//: ## 整个 GoogLeNet
//:en ## The whole GoogLeNet

//: 引擎的 `Analysis.summarize` 在形状为 $1 \times 3 \times 224 \times 224$ 的“元张量”（只有形状，没有数值）上走一遍网络，逐层记下输出形状、参数和 MACs。下表按顶层模块汇总 torchvision 版本的 GoogLeNet（每个卷积后接 BN；第三个分支用 3x3 而不是 5x5，这是 torchvision 移植时留下的、它的权重依赖的差异）。
//:en The engine's `Analysis.summarize` walks the network on a "meta tensor" of shape $1 \times 3 \times 224 \times 224$ (shapes only, no values) and records each layer's output shape, parameters and MACs. The table groups torchvision's GoogLeNet by top-level module (BN after every convolution; the third branch uses 3x3 instead of 5x5, a quirk of torchvision's port that its weights depend on).
let googlenet = try Zoo.model(named: "googlenet")
let summary = try Analysis.summarize(googlenet, input: [1, 3, 224, 224], name: "googlenet")
//- fold grouping the rows by top-level module; tables
var stages: [(name: String, shape: [Int], parameters: Int, macs: Int)] = []
for row in summary.layers {
    let top = row.name.isEmpty ? "(\(row.type))" : String(row.name.split(separator: ".").first!)
    if stages.last?.name != top { stages.append((top, [], 0, 0)) }
    stages[stages.count - 1].parameters += row.parameters
    stages[stages.count - 1].macs += row.macs
    if !row.outputShape.isEmpty { stages[stages.count - 1].shape = row.outputShape }
}
nb.table(header: ["module", "output", "params", "MACs"],
         rows: stages.map { s -> [any CustomStringConvertible] in [s.name, s.shape.map(String.init).joined(separator: "×"), grouped(s.parameters),
                             grouped(s.macs)] },
         caption: Bilingual(zh: "GoogLeNet（torchvision）按模块汇总", en: "GoogLeNet (torchvision) by module"))
let original = try Analysis.summarize(try Zoo.model(named: "googlenet_original"), input: [1, 3, 224, 224])
nb.table(header: ["variant", "params", "MACs", "MB (10⁶ B)"],
         rows: [["googlenet (torchvision)", grouped(summary.total.parameters), grouped(summary.total.macs),
                 String(format: "%.1f", summary.total.parameterMegabytes)],
                ["googlenet_original (paper)", grouped(original.total.parameters), grouped(original.total.macs),
                 String(format: "%.1f", original.total.parameterMegabytes)]],
         caption: Bilingual(zh: "GoogLeNet 合计（不含辅助分类器）", en: "GoogLeNet totals (auxiliary classifiers off)"))
let alexnetParameters = try Zoo.model(named: "alexnet").parameterCount
nb.show("AlexNet / GoogLeNet parameters", Double(alexnetParameters) / Double(summary.total.parameters))
//> Table: GoogLeNet（torchvision）按模块汇总
//> module       output           params         MACs
//> -----------  ------------  ---------  -----------
//> conv1        1×64×112×112      9,536  118,013,952
//> maxpool1     1×64×56×56            0            0
//> conv2        1×64×56×56        4,224   12,845,056
//> conv3        1×192×56×56     110,976  346,816,512
//> maxpool2     1×192×28×28           0            0
//> inception3a  1×256×28×28     155,872  121,626,624
//> inception3b  1×480×28×28     340,224  265,732,096
//> maxpool3     1×480×14×14           0            0
//> inception4a  1×512×14×14     364,512   71,199,744
//> inception4b  1×512×14×14     425,232   83,091,456
//> inception4c  1×512×14×14     486,192   95,033,344
//> inception4d  1×528×14×14     573,312  112,093,184
//> inception4e  1×832×14×14     803,840  157,151,232
//> maxpool4     1×832×7×7             0            0
//> inception5a  1×832×7×7       978,944   47,867,904
//> inception5b  1×1024×7×7    1,347,040   65,881,088
//> avgpool      1×1024×1×1            0            0
//> dropout      1×1024×1×1            0            0
//> (reshape)    1×1024                0            0
//> fc           1×1000        1,025,000    1,024,000
//> Table: GoogLeNet 合计（不含辅助分类器）
//> variant                        params           MACs  MB (10⁶ B)
//> --------------------------  ---------  -------------  ----------
//> googlenet (torchvision)     6,624,904  1,498,376,192        26.5
//> googlenet_original (paper)  6,998,552  1,582,671,872        28.0
//> AlexNet / GoogLeNet parameters: 9.223

//: 约 660 万个参数，只有 AlexNet 的九分之一左右，而 MACs 约为 15 亿：大部分参数省在了没有大全连接层（最后用全局平均池化）和 1x1 降维上。
//:en About 6.6 million parameters, roughly a ninth of AlexNet's, at about 1.5 billion MACs: most of the saving comes from having no large fully connected layers (global average pooling at the end) and from the 1x1 reductions.

//: ## Inception-v2：批标准化
//:en ## Inception-v2: batch normalization

//: Inception-v2 在非线性激活之前加入批标准化（BN），并去掉了局部响应归一化；它比 v1 训练得快，top-5 错误率 4.9%。对一个 mini-batch 的 $m$ 个值 $x_1 \ldots x_m$（每个通道分别计算）：
//:en Inception-v2 inserts batch normalization (BN) before the non-linearities and drops local response normalization; it trains faster than v1 and reaches 4.9% top-5 error. For the $m$ values $x_1 \ldots x_m$ of a mini-batch (each channel separately):

//: $$\mu_B = (1/m) \sum_{i=1}^{m} x_i, \quad \sigma_B^2 = (1/m) \sum_{i=1}^{m} (x_i - \mu_B)^2$$

//: $$x̂_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \quad y_i = \gamma x̂_i + \beta$$

//: $\gamma$ 是可训练的缩放（scale）参数，$\beta$ 是可训练的偏差值，$\epsilon$ 是避免除零的小数（小数据集设为 $10^{-5}$，大数据集 $10^{-3}$）。下面是一个 $m = 4$ 的例子：$x = (1, 2, 3, 6)$，$\gamma = 2$，$\beta = 1$，$\epsilon = 10^{-5}$。先照公式逐项算，再交给引擎的 `batchNorm`。
//:en $\gamma$ is a trainable scale, $\beta$ a trainable shift, and $\epsilon$ a small number that avoids division by zero ($10^{-5}$ for small data sets, $10^{-3}$ for large ones). A worked example with $m = 4$: $x = (1, 2, 3, 6)$, $\gamma = 2$, $\beta = 1$, $\epsilon = 10^{-5}$. First the formulas term by term, then the engine's `batchNorm`.
let xs: [Double] = [1, 2, 3, 6]
let (gamma, beta, eps) = (2.0, 1.0, 1e-5)
let muB = xs.reduce(0, +) / Double(xs.count)
let varB = xs.map { ($0 - muB) * ($0 - muB) }.reduce(0, +) / Double(xs.count)
let xHat = xs.map { ($0 - muB) / (varB + eps).squareRoot() }
nb.show("μ_B", muB)
nb.show("σ_B²", varB)
nb.show("x̂ (by hand)", xHat)
nb.show("y (by hand)", xHat.map { gamma * $0 + beta })
let bn = batchNorm(Tensor(shape: [4, 1], values: xs.map(Float.init)),
                   weight: Tensor(shape: [1], values: [Float(gamma)]),
                   bias: Tensor(shape: [1], values: [Float(beta)]),
                   runningMean: nil, runningVariance: nil, training: true,
                   epsilon: Float(eps))
nb.show("y (engine batchNorm)", bn.scalars)
//> μ_B: 3.000
//> σ_B²: 3.500
//> x̂ (by hand): [-1.069, -0.5345, 0, 1.604]
//> y (by hand): [-1.138, -0.06904, 1.000, 4.207]
//> y (engine batchNorm): [-1.138, -0.06904, 1.000, 4.207]

//: 注意方差除以 $m$（有偏估计）：训练时归一化用的是这个值；PyTorch 另外把 $\frac{m}{m-1}\sigma_B^2$（无偏估计）累积进 running variance，供推断时使用。
//:en Note the variance divides by $m$ (the biased estimate): training normalizes with it; PyTorch additionally accumulates $\frac{m}{m-1}\sigma_B^2$ (unbiased) into the running variance used at inference.

//: ## Inception-v3：卷积分解
//:en ## Inception-v3: factorised convolutions

//: Inception-v3 把大卷积核分解成小卷积核：一个 7x7 换成 1x7 接 7x1，一个 5x5 换成两个 3x3。感受野不变，权重和 MACs 都减少，中间还多了一次非线性。下表用引擎数 $C \to C$ 的卷积（不计偏置），$C = 192$，特征图 17x17（Inception-v3 中 7x7 分解所在的网格）。
//:en Inception-v3 factorises large kernels into small ones: a 7x7 becomes a 1x7 followed by a 7x1, a 5x5 becomes two 3x3. The receptive field is unchanged, weights and MACs drop, and an extra non-linearity comes for free. The table counts $C \to C$ convolutions with the engine (no bias), $C = 192$, on a 17x17 map (the grid where Inception-v3 factorises its 7x7 convolutions).
func convs(_ kernels: [(Int, Int)], channels c: Int) -> Sequential {
    Sequential(kernels.map { k in
        Conv2D(inputChannels: c, outputChannels: c, kernelSize: k,
               padding: (k.0 / 2, k.1 / 2), bias: false) as Module
    })
}
let factorisations: [(String, [(Int, Int)], [(Int, Int)])] = [
    ("7×7 → 1×7 + 7×1", [(7, 7)], [(1, 7), (7, 1)]),
    ("5×5 → 3×3 + 3×3", [(5, 5)], [(3, 3), (3, 3)]),
]
//- fold summaries of both forms; table
var factorRows: [[any CustomStringConvertible]] = []
for (label, big, small) in factorisations {
    let (a, b) = (convs(big, channels: 192), convs(small, channels: 192))
    let (sa, sb) = (try Analysis.summarize(a, input: [1, 192, 17, 17]), try Analysis.summarize(b, input: [1, 192, 17, 17]))
    let rf = sb.layers.last!.receptiveField.size
    factorRows.append([label, grouped(sa.total.parameters), grouped(sb.total.parameters),
                       String(format: "%.1f%%", 100 * (1 - Double(sb.total.parameters) / Double(sa.total.parameters))),
                       grouped(sa.total.macs), grouped(sb.total.macs), "\(sa.layers.last!.receptiveField.size) / \(rf)"])
}
nb.table(header: ["factorisation", "weights", "→ weights", "saved", "MACs", "→ MACs", "RF"],
         rows: factorRows,
         caption: Bilingual(zh: "卷积分解的节省（$C = 192$，17x17）", en: "Savings of the factorisations ($C = 192$, 17x17)"))
//> Table: 卷积分解的节省（$C = 192$，17x17）
//> factorisation      weights  → weights  saved         MACs       → MACs  RF
//> ---------------  ---------  ---------  -----  -----------  -----------  -----
//> 7×7 → 1×7 + 7×1  1,806,336    516,096  71.4%  522,031,104  149,151,744  7 / 7
//> 5×5 → 3×3 + 3×3    921,600    663,552  28.0%  266,342,400  191,766,528  5 / 5

//: 每个输入输出通道对的权重从 $49$ 降到 $7 + 7 = 14$（省 71.4%），从 $25$ 降到 $9 + 9 = 18$（省 28%），与 $C$ 无关；感受野（RF）一列显示两种写法都看到 7 或 5 个像素宽的区域（1x7 + 7x1 的高度方向感受野由 7x1 给出）。
//:en Per pair of input and output channels the weights drop from $49$ to $7 + 7 = 14$ (71.4% saved) and from $25$ to $9 + 9 = 18$ (28% saved), whatever $C$ is; the RF column shows both forms see a region 7 or 5 pixels wide (for 1x7 + 7x1 the height of the field comes from the 7x1).

//: ## Inception-v3：RMSProp
//:en ## Inception-v3: RMSProp

//: Inception-v3 用 RMSProp 训练。讲义的写法（也是 TensorFlow 的写法，$\epsilon$ 在根号里）：
//:en Inception-v3 was trained with RMSProp. The lecture's form (TensorFlow's, with $\epsilon$ inside the square root):

//: $$G^{t+1} = \mu G^t + (1 - \mu)(\nabla_W L(W^t))^2, \quad W^{t+1} = W^t - \frac{\alpha \nabla_W L(W^t)}{\sqrt{G^{t+1} + \epsilon}}$$

//: 在一个参数上试几步：$L(W) = W^2/2$，梯度就是 $W$；$W^0 = 1$，$\mu = 0.9$，$\alpha = 0.1$，$\epsilon = 10^{-8}$，$G^0 = 0$。引擎的 `RMSProp(form: .tensorFlow)` 与逐字照公式的计算一致。第一步 $G^1 = 0.1$，步长 $0.1 / \sqrt{0.1} \approx 0.316$：梯度平方的滑动平均刚开始很小，所以最初几步比 $\alpha$ 大。
//:en A few steps on one parameter: $L(W) = W^2/2$, so the gradient is $W$; $W^0 = 1$, $\mu = 0.9$, $\alpha = 0.1$, $\epsilon = 10^{-8}$, $G^0 = 0$. The engine's `RMSProp(form: .tensorFlow)` matches the formulas written out literally. The first step has $G^1 = 0.1$ and a step of $0.1 / \sqrt{0.1} \approx 0.316$: the running mean of squared gradients starts small, so the first steps are larger than $\alpha$.
let w = Tensor(shape: [1], values: [1], requiresGrad: true)
let rms = RMSProp(groups: [ParameterGroup(parameters: [("w", w)])], learningRate: 0.1,
                  alpha: 0.9, epsilon: 1e-8, form: .tensorFlow)
var (wHand, gHand) = (1.0, 0.0)
var rmsRows: [[any CustomStringConvertible]] = []
for t in 1...5 {
    w.grad = Tensor(shape: [1], values: w.scalars)     // ∇L = W for L = W²/2
    rms.step()
    let g = wHand
    gHand = 0.9 * gHand + 0.1 * g * g
    wHand -= 0.1 * g / (gHand + 1e-8).squareRoot()
    rmsRows.append([t, gHand, wHand, w.scalars[0]])
}
nb.table(header: ["t", "G (by hand)", "W (by hand)", "W (engine)"],
         rows: rmsRows,
         caption: Bilingual(zh: "讲义形式的 RMSProp，$L = W^2/2$", en: "RMSProp in the lecture's form, $L = W^2/2$"))
//> Table: 讲义形式的 RMSProp，$L = W^2/2$
//> t  G (by hand)  W (by hand)  W (engine)
//> -  -----------  -----------  ----------
//> 1       0.1000       0.6838      0.6838
//> 2       0.1368       0.4989      0.4989
//> 3       0.1480       0.3692      0.3692
//> 4       0.1468       0.2728      0.2728
//> 5       0.1396       0.1998      0.1998

//: PyTorch 的 `torch.optim.RMSprop` 把 $\epsilon$ 放在根号外（$\sqrt{G} + \epsilon$），$\epsilon$ 很小时两者几乎相同；Inception-v3 的论文用的是 $\epsilon = 1.0$，那时两种写法差别很大，移植超参数时要注意。
//:en PyTorch's `torch.optim.RMSprop` puts $\epsilon$ outside the root ($\sqrt{G} + \epsilon$); with a tiny $\epsilon$ both agree closely, but the Inception-v3 paper used $\epsilon = 1.0$, where the two forms differ a lot: convert with care when porting hyperparameters.

//: ## Inception-v3：标签平滑
//:en ## Inception-v3: label smoothing

//: 原始的标签是 one-hot 向量 $[0, 1, 0, 0, \ldots]$。讲义把它替换为 $[\frac{\epsilon}{K-1}, 1 - \epsilon, \frac{\epsilon}{K-1}, \ldots]$，$K$ 是类别数，$\epsilon$ 是标签平滑因子。论文和 PyTorch（`CrossEntropyLoss(label_smoothing=ε)`）的写法是 $q' = (1 - \epsilon)\delta + \epsilon / K$：$\epsilon / K$ 分给每一类，包括正确的那一类。两种约定都让每行之和为 1，但数值不同。下面用引擎的 `smoothedTargets` 列出 $K = 10$、$\epsilon = 0.1$ 时的目标。
//:en The original label is a one-hot vector $[0, 1, 0, 0, \ldots]$. The lecture replaces it with $[\frac{\epsilon}{K-1}, 1 - \epsilon, \frac{\epsilon}{K-1}, \ldots]$, where $K$ is the number of classes and $\epsilon$ the smoothing factor. The paper and PyTorch (`CrossEntropyLoss(label_smoothing=ε)`) write $q' = (1 - \epsilon)\delta + \epsilon / K$: $\epsilon / K$ goes to every class, the true one included. Both conventions make each row sum to 1, but the numbers differ. The engine's `smoothedTargets` lists the targets for $K = 10$, $\epsilon = 0.1$.
var smoothRows: [[any CustomStringConvertible]] = []
for convention in [LabelSmoothing.lecture, .pytorch] {
    let t = smoothedTargets(labels: [1], classes: 10, epsilon: 0.1, convention: convention).scalars
    let name = convention == .lecture ? "lecture: ε/(K−1)" : "PyTorch: ε/K"
    smoothRows.append([name, t[1], t[0], t.reduce(0, +)])
}
nb.table(header: ["convention", "true class", "each other class", "row sum"],
         rows: smoothRows,
         caption: Bilingual(zh: "$K = 10$，$\\epsilon = 0.1$ 的平滑目标", en: "Smoothed targets for $K = 10$, $\\epsilon = 0.1$"))
//> Table: $K = 10$，$\epsilon = 0.1$ 的平滑目标
//> convention        true class  each other class  row sum
//> ----------------  ----------  ----------------  -------
//> lecture: ε/(K−1)      0.9000           0.01111    1.000
//> PyTorch: ε/K          0.9100           0.01000    1.000

//: 平滑的目标让网络不再把正确类别的概率推向 1。为了看到这一点，在 Fashion-MNIST 上训练两个同样的 LeNet-5（ReLU 版本），一个用 one-hot 目标，一个用 $\epsilon = 0.1$（PyTorch 约定），然后看测试集上每张图最大的 softmax 概率（预测的置信度）的分布。这一步结果存进实验缓存。
//:en Smoothed targets stop the network from pushing the probability of the true class towards 1. To see this, train two identical LeNet-5s (the ReLU version) on Fashion-MNIST, one with one-hot targets and one with $\epsilon = 0.1$ (PyTorch's convention), and look at the distribution of the largest softmax probability per test image (the predicted confidence). The results go into the experiment cache.
//- fold the experiment: two LeNet-5s trained with Training.fit, confidence histograms
struct SmoothingRun: Codable {
    var epsilon: Double
    var trainSamples: Int
    var epochs: Int
    var testAccuracy: Double
    var meanConfidence: Double
    /// Fraction of test images per confidence bin (`bins` below).
    var histogram: [Double]
}
let bins: [(String, Double)] = [("<0.5", 0.5), ("0.5–0.7", 0.7), ("0.7–0.8", 0.8), ("0.8–0.85", 0.85),
                                ("0.85–0.9", 0.9), ("0.9–0.95", 0.95), ("0.95–0.99", 0.99), ("≥0.99", 1.01)]
let runs = try nb.cached("label-smoothing", [0.0, 0.1], nb.isQuick, after: []) { () -> [SmoothingRun] in
    let (trainCount, testCount, epochs) = nb.isQuick ? (2_000, 1_000, 1) : (20_000, 5_000, 6)
    let train = try FashionMNIST.load(.train).tensors(count: trainCount)
    let test = try FashionMNIST.load(.test).tensors(count: testCount)
    return try [0.0, 0.1].map { epsilon -> SmoothingRun in
        Random.seed(nb.seed &+ 7)
        let net = try Zoo.model(named: "lenet5_relu")
        try Training.fit(model: net, train: TensorBatchSource(images: train.images, labels: train.labels, batchSize: 64,
                                                              seed: nb.seed),
                         optimizer: SGD(model: net, learningRate: 0.05, momentum: 0.9), epochs: epochs,
                         loss: { crossEntropy(logits: $0, labels: $1, labelSmoothing: Float(epsilon)) },
                         options: FitOptions(seed: nb.seed, progress: .silent, recordSteps: false))
        net.eval()
        let probabilities = softmax(net(test.images))
        let confidence = confidences(probabilities)
        let k = probabilities.shape[1], p = probabilities.scalars
        let correct = (0..<testCount).filter { r in
            (0..<k).max { p[r * k + $0] < p[r * k + $1] }! == test.labels[r]
        }.count
        var histogram = [Double](repeating: 0, count: bins.count)
        for c in confidence { histogram[bins.firstIndex { c < $0.1 }!] += 1 / Double(testCount) }
        return SmoothingRun(epsilon: epsilon, trainSamples: trainCount, epochs: epochs,
                            testAccuracy: Double(correct) / Double(testCount),
                            meanConfidence: confidence.reduce(0, +) / Double(testCount), histogram: histogram)
    }
}
nb.table(header: ["ε", "train images", "epochs", "test accuracy", "mean confidence", "share ≥ 0.99"],
         rows: runs.map { r -> [any CustomStringConvertible] in
             [r.epsilon, r.trainSamples, r.epochs, r.testAccuracy, r.meanConfidence, r.histogram.last!] },
         caption: Bilingual(zh: "有无标签平滑的 LeNet-5（Fashion-MNIST 测试集）",
                            en: "LeNet-5 with and without label smoothing (Fashion-MNIST test set)"))
nb.figure(BarChart(categoryLabel: "max softmax probability", valueLabel: "share of test images",
                   categories: bins.map(\.0),
                   series: runs.map { BarChart.Series("ε = \($0.epsilon)", $0.histogram) }, size: Size(440, 250)),
          name: "fig-04-label-smoothing",
          caption: Bilingual(zh: "预测置信度的分布：one-hot 目标（$\\epsilon = 0$）把很多测试图推到 0.99 以上；"
                                 + "$\\epsilon = 0.1$ 时几乎没有，置信度集中在 0.9 附近"
                                 + "（PyTorch 约定下正确类别的目标值是 0.91）",
                             en: "Distribution of the predicted confidence: one-hot targets ($\\epsilon = 0$) push many "
                                 + "test images above 0.99; with $\\epsilon = 0.1$ almost none, confidence gathers "
                                 + "around 0.9 (the true-class target is 0.91 under PyTorch's convention)"))
//> Table: 有无标签平滑的 LeNet-5（Fashion-MNIST 测试集）
//>      ε  train images  epochs  test accuracy  mean confidence  share ≥ 0.99
//> ------  ------------  ------  -------------  ---------------  ------------
//>      0          2000       1         0.3110           0.1637             0
//> 0.1000          2000       1         0.3650           0.1272             0
//> Figure: fig-04-label-smoothing.pdf — 预测置信度的分布：one-hot 目标（$\epsilon = 0$）把很多测试图推到 0.99 以上；$\epsilon = 0.1$ 时几乎没有，置信度集中在 0.9 附近（PyTorch 约定下正确类别的目标值是 0.91）

//: 用 one-hot 目标训练时，交叉熵只有在正确类别的概率趋于 1（logit 差趋于无穷）时才到最小，网络会越来越自信；平滑之后最优的输出就是平滑的目标本身，置信度被拉回到 $1 - \epsilon + \epsilon/K$ 附近，测试精度却基本不受影响。（快速模式只训练很少的图片，直方图要在完整模式下看。）
//:en With one-hot targets the cross-entropy only reaches its minimum as the true class's probability tends to 1 (logit gaps tending to infinity), so the network grows ever more confident; with smoothing the optimal output is the smoothed target itself, which pulls confidence back towards $1 - \epsilon + \epsilon/K$ while test accuracy is barely affected. (Quick mode trains on very few images; look at the histogram in full mode.)

//: ## GoogLeNet 的训练策略
//:en ## GoogLeNet's training schedule

//: GoogLeNet 用带动量（0.9）的 SGD，批量大小 256，初始学习率 0.01，每 8 个训练周期乘以 0.96；dropout 率 40%。引擎的 `LRSchedule.stepEvery(8, gamma: 0.96, base: 0.01)` 给出这条阶梯曲线：衰减很慢，学习率要到下面打印的周期才减半。
//:en GoogLeNet used SGD with momentum 0.9, batch size 256, an initial learning rate of 0.01 multiplied by 0.96 every 8 epochs, and 40% dropout. The engine's `LRSchedule.stepEvery(8, gamma: 0.96, base: 0.01)` gives this staircase: the decay is slow, the rate only halves at the epoch printed below.
let schedule = LRSchedule.stepEvery(8, gamma: 0.96, base: 0.01)
let epochs = Array(0..<250)
let halved = epochs.first { schedule($0) <= 0.005 }!
//- fold figure
nb.figure(LineChart(xLabel: "epoch", yLabel: "learning rate",
                    series: [.init("0.01 × 0.96^⌊epoch/8⌋", x: epochs.map(Double.init), y: epochs.map { Double(schedule($0)) })],
                    events: [.init(x: Double(halved), label: "lr = 0.005")], legend: .bottomLeft),
          name: "fig-04-schedule",
          caption: Bilingual(zh: "GoogLeNet 的学习率：每 8 个周期乘以 0.96", en: "GoogLeNet's learning rate: ×0.96 every 8 epochs"))
//> Figure: fig-04-schedule.pdf — GoogLeNet 的学习率：每 8 个周期乘以 0.96
//- show
nb.show("lr at epochs 0, 8, 80, 240", [0, 8, 80, 240].map { schedule($0) })
nb.show("first epoch with lr ≤ 0.005", halved)
//> lr at epochs 0, 8, 80, 240: [0.01000, 0.009600, 0.006648, 0.002939]
//> first epoch with lr ≤ 0.005: 136

//: ## 小结
//:en ## Summary

//: - Inception 模块并排使用 1x1、3x3、5x5 卷积和池化；1x1 降维（瓶颈）让它负担得起：讲义练习中权重从 102,464 降到 53,344，MACs 从 $102400 i^2$（讲义误作 $10240 i^2$）降到 $53248 i^2$。
//: - 整个 GoogLeNet（torchvision）约 660 万参数、15 亿 MACs，没有大的全连接层。
//: - Inception-v2 加入批标准化；Inception-v3 分解大卷积核（7x7 省 71%，5x5 省 28%）、用 RMSProp 和标签平滑。
//: - 标签平滑有两种约定（$\epsilon/(K-1)$ 与 $\epsilon/K$）；它让训练好的网络不再过分自信：置信度集中在 $1-\epsilon$ 附近，几乎没有测试图超过 0.99。
//:en - The inception module runs 1x1, 3x3 and 5x5 convolutions and pooling side by side; 1x1 reductions (the bottleneck) make it affordable: in the lecture's exercise weights drop from 102,464 to 53,344 and MACs from $102400 i^2$ (misprinted $10240 i^2$ on the slide) to $53248 i^2$.
//:en - The whole GoogLeNet (torchvision) has about 6.6 million parameters and 1.5 billion MACs, with no large fully connected layers.
//:en - Inception-v2 adds batch normalization; Inception-v3 factorises large kernels (7x7 saves 71%, 5x5 saves 28%) and uses RMSProp and label smoothing.
//:en - Label smoothing comes in two conventions ($\epsilon/(K-1)$ and $\epsilon/K$); it keeps a trained network from over-confidence: confidence gathers near $1-\epsilon$ and almost no test image exceeds 0.99.
//- hide
nb.exercise(zh: "输入 $i \\times i \\times 192$，输出 32 个通道：(a) 直接 5x5 卷积；(b) 先 1x1 降到 16 个通道再 5x5。计算两者的权重数（含偏置）和 MACs（用 $i$ 表示）。",
            en: "Input $i \\times i \\times 192$, 32 output channels: (a) a 5x5 convolution directly; (b) a 1x1 reduction to 16 channels, then 5x5. Give the weights (biases included) and the MACs (in terms of $i$) of each.",
            grader: "inception-bottleneck")
nb.exercise(zh: "一个通道的 mini-batch 为 $x = (2, 4, 4, 6)$，$\\gamma = 0.5$，$\\beta = -1$，$\\epsilon = 0$。求 BN 的输出 $y$。",
            en: "One channel's mini-batch is $x = (2, 4, 4, 6)$, $\\gamma = 0.5$, $\\beta = -1$, $\\epsilon = 0$. Compute the BN output $y$.",
            grader: "batchnorm-output")
nb.exercise(zh: "$K = 5$，$\\epsilon = 0.2$，正确类别为 3：分别写出讲义约定和 PyTorch 约定下的平滑目标向量。",
            en: "$K = 5$, $\\epsilon = 0.2$, true class 3: write the smoothed target vector in the lecture's convention and in PyTorch's.",
            grader: "label-smoothing")
nb.exercise(zh: "实现训练模式下 BN 的前向计算：输入 $[N, C, H, W]$，每个通道用批均值和有偏方差，参数 $\\gamma, \\beta, \\epsilon$。先用上面的例子 $x = (1, 2, 3, 6)$ 检查。",
            en: "Implement the training-mode forward pass of BN: input $[N, C, H, W]$, per-channel batch mean and biased variance, parameters $\\gamma, \\beta, \\epsilon$. Check it on the example above, $x = (1, 2, 3, 6)$.",
            grader: "code-batchnorm-forward")
nb.finish()
