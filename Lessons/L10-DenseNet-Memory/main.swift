//: # L10 · DenseNet 的内存
//:en # L10 · DenseNet memory

//: 讲义说：DenseNet 鼓励特征复用，参数比相近深度的网络少，“但是 DenseNet 可能导致高内存消耗（特征图占用大）”。本课在引擎上量出这句话：一个 dense block 的第 $l$ 层读入之前所有特征图的拼接（concatenation），朴素实现为每一层重新拼接一次并把它留到反向传播，所以激活内存随层数平方增长。Pleiss 等（2017）的内存高效实现（memory-efficient DenseNet，PyTorch 里是 torchvision 的 `memory_efficient=True`）不保存拼接，在反向传播时重算，内存变成线性增长，代价是多算一遍。我们测量两种实现的峰值内存随深度和增长率（growth rate）的变化、重算的时间代价，和参数量相近的 ResNet 比较，最后看训练后的 DenseNet 到底复用了哪些特征（DenseNet 论文图 5 的对应物）。
//:en The lecture says DenseNet encourages feature reuse and needs fewer parameters than networks of similar depth, "but DenseNet can consume a lot of memory (the feature maps are large)". This lesson measures that sentence on the engine: layer $l$ of a dense block reads the concatenation of all earlier feature maps; the naive implementation concatenates afresh in every layer and keeps the result for the backward pass, so activation memory grows with the square of the number of layers. The memory-efficient implementation of Pleiss et al. (2017) (torchvision's `memory_efficient=True` in PyTorch) keeps no concatenation and recomputes it during the backward pass: memory grows linearly, at the price of computing twice. We measure the peak memory of both against depth and growth rate, the time the recomputation costs, compare with a ResNet of similar parameter count, and finally look at which features a trained DenseNet actually reuses (the analogue of Figure 5 of the DenseNet paper).

//- hide
import CNN
import Datasets
import Foundation
import LessonKit
import Notebook
import Render
import Training
import Weave
import Zoo

MeasureChild.runIfRequested()   // the child process of a peak-RSS measurement stops here
let nb = Notebook("l10-densenet-memory")
Random.seed(nb.seed)
func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
func f1(_ x: Double) -> String { String(format: "%.1f", x) }
func f2(_ x: Double) -> String { String(format: "%.2f", x) }

//: ## 朴素的 dense layer 在磁带上留下什么
//:en ## What a naive dense layer leaves on the tape

//: DenseNet-BC 的一层是 BN → ReLU → 1x1 卷积（到 $4k$ 个通道）→ BN → ReLU → 3x3 卷积（到 $k$ 个通道）。设 block 的输入有 $c_0$ 个通道，第 $l$ 层的输入有 $C_l = c_0 + (l - 1)k$ 个通道。朴素实现里，第 $l$ 层为反向传播留下：拼接结果（BN 的输入；第 1 层直接用 block 的输入）和 BN → ReLU 的输出（1x1 卷积的输入），共 $2C_l$ 个通道（引擎把 BN 和其后的 ReLU 合成一个算子 `bn(x, relu: true)`，ReLU 之前的值不存下来，效果与 PyTorch 的原地 ReLU 相同）；后半部分再留下 $2 \cdot 4k$ 个通道（BN 的输入和 3x3 卷积的输入）和本层输出的 $k$ 个通道；最后 block 的输出拼接有 $c_0 + Lk$ 个通道。前向结束时，除了 block 的输入，一共存活
//:en A DenseNet-BC layer is BN → ReLU → 1x1 conv (to $4k$ channels) → BN → ReLU → 3x3 conv (to $k$ channels). Let the block's input have $c_0$ channels; layer $l$ reads $C_l = c_0 + (l - 1)k$. The naive implementation leaves for the backward pass of layer $l$: the concatenation (BN's input; layer 1 reads the block's input directly) and the output of BN → ReLU (the 1x1 conv's input), $2C_l$ channels (the engine runs a BN and the ReLU after it as one op, `bn(x, relu: true)`, which never stores the values before the ReLU, the effect of PyTorch's in-place ReLU); the second half leaves $2 \cdot 4k$ more (BN's input and the 3x3 conv's input) and the layer's output $k$; finally the block's output concatenation has $c_0 + Lk$ channels. When the forward pass ends, besides the block's input, there are alive

//: $$\text{naive} = \sum_{l=1}^{L} (2C_l + 9k) - c_0 + (c_0 + Lk) = 2Lc_0 + kL(L-1) + 10kL$$

//: $$\text{memory-efficient} = 9kL + (c_0 + Lk)$$

//: 内存高效的实现把“拼接 → BN → ReLU → 1x1 卷积”放进一个检查点（`checkpointed`）：前向时不记录这几步，只保留它的输入（各层的输出本来就要保留）；反向传播到这里时，用同样的输入重算一遍（这次记录），再沿这段短图反传。后半部分的 BN → ReLU 不需要检查点（它只留下自己的输入和输出，两者本来就要保留），所以每层只留下瓶颈输出和 3x3 卷积的输入（$2 \cdot 4k$）和本层输出（$k$），与 PyTorch 相同。重算不能再更新一次 BN 的滑动均值和方差，也必须重放同样的随机数（dropout），引擎的 `checkpointed` 两者都处理了。block 的输出拼接仍然存在一次，即上式的 $c_0 + Lk$（Pleiss 等用一块共享内存存放它）。下表按公式算出每像素、每张图的通道数（$k = 12$、$c_0 = 24$），并与引擎的内存计数对照：对一个真实的 dense block（批大小 2，4x4 的特征图）做一次记录梯度的前向，存活字节数的增长除以 $4 \cdot 2 \cdot 16$。
//:en The memory-efficient implementation puts "concatenate → BN → ReLU → 1x1 conv" inside a checkpoint (`checkpointed`): the forward pass records none of these steps and keeps only their inputs (the layers' outputs, which are kept anyway); when the backward pass reaches the checkpoint, it recomputes the same steps from the same inputs (recording this time) and back-propagates through that short graph. The second BN → ReLU needs no checkpoint (it keeps only its input and its output, which are kept anyway), so each layer keeps only the bottleneck output and the 3x3 conv's input ($2 \cdot 4k$) and its own output ($k$), as PyTorch does. The recomputation must not update BN's running mean and variance a second time and must replay the same random numbers (dropout); the engine's `checkpointed` handles both. The block's output concatenation still exists once, the $c_0 + Lk$ above (Pleiss et al. keep it in one shared buffer). The table gives the formula's channels per pixel and image ($k = 12$, $c_0 = 24$) next to the engine's memory meter: one recorded forward pass of a real dense block (batch 2, 4x4 maps), the growth of the live bytes divided by $4 \cdot 2 \cdot 16$.
func keptChannels(layers L: Int, c0: Int, k: Int) -> (naive: Int, efficient: Int) {
    (2 * L * c0 + k * L * (L - 1) + 10 * k * L, 9 * k * L + c0 + L * k)
}
/// Live bytes a recorded forward pass of one dense block adds, per pixel and image, in floats.
func measuredChannels(layers L: Int, c0: Int, k: Int, efficient: Bool) -> Int {
    let block = DenseBlock(layers: L, inputChannels: c0, growthRate: k, memoryEfficient: efficient)
    let x = Tensor.randomNormal([2, c0, 4, 4], seed: 3)
    x.requiresGrad = true
    let before = MemoryMeter.liveBytes
    let y = block(x)
    let grown = MemoryMeter.liveBytes - before
    _ = y.count
    return grown / (4 * 2 * 16)
}
//- hide
nb.table(header: ["layers L", "naive", "(meter)", "memory-efficient", "(meter)", "ratio"],
         rows: [6, 12, 16, 24, 32, 48].map { L in
             let c = keptChannels(layers: L, c0: 24, k: 12)
             return [L, c.naive, measuredChannels(layers: L, c0: 24, k: 12, efficient: false),
                     c.efficient, measuredChannels(layers: L, c0: 24, k: 12, efficient: true),
                     f2(Double(c.naive) / Double(c.efficient))] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "一个 dense block 前向后存活的通道数（k = 12，c₀ = 24）：公式与引擎的内存计数",
                            en: "Channels alive after a dense block's forward pass (k = 12, c₀ = 24): formula and the engine's meter"))
//> Table: 一个 dense block 前向后存活的通道数（k = 12，c₀ = 24）：公式与引擎的内存计数
//> layers L  naive  (meter)  memory-efficient  (meter)  ratio
//> --------  -----  -------  ----------------  -------  -----
//>        6   1368     1368               744      744   1.84
//>       12   3600     3600              1464     1464   2.46
//>       16   5568     5568              1944     1944   2.86
//>       24  10656    10656              2904     2904   3.67
//>       32  17280    17280              3864     3864   4.47
//>       48  35136    35136              5784     5784   6.07

//: ## 实验一：峰值内存随深度增长
//:en ## Experiment 1: peak memory against depth

//: 引擎的 `MemoryMeter` 记录每一次张量分配和释放。对 32x32 输入的 DenseNet-BC（增长率 $k = 12$，深度 $L = 6n + 4$，三个 block 各 $n$ 层）做一次完整的训练步（前向、交叉熵、反向），记下峰值减去训练步开始前的内存（参数不计，梯度计入）。
//:en The engine's `MemoryMeter` counts every tensor allocation and release. For DenseNet-BC on 32x32 inputs (growth rate $k = 12$, depth $L = 6n + 4$, three blocks of $n$ layers), we run one full training step (forward, cross-entropy, backward) and record the peak minus the memory live before the step (parameters excluded, gradients included).
// Paper mode: the naive DenseNet-BC-148 step at batch 32 needs about 4 GB.
let sweepBatch = nb.isQuick ? 2 : (nb.isPaper ? 32 : 8)
let depths = nb.isQuick ? [16, 28, 40] : (nb.isPaper ? [16, 28, 40, 52, 64, 76, 88, 100, 124, 148] : [16, 28, 40, 52, 64, 76, 88, 100])
struct Sweep: Codable { var x: [Int]; var naive: [StepMeasure]; var efficient: [StepMeasure] }
let depthSweep = try nb.cached("depth-sweep", depths, sweepBatch, after: []) { () -> Sweep in
    var s = Sweep(x: depths, naive: [], efficient: [])
    for depth in depths {
        for efficient in [false, true] {
            Random.seed(nb.seed)
            let net = DenseNet(bcDepth: depth, growthRate: 12, memoryEfficient: efficient)
            let m = meterStep("BC-\(depth)", net, input: [sweepBatch, 3, 32, 32], timedSteps: 0)
            if efficient { s.efficient.append(m) } else { s.naive.append(m) }
        }
    }
    return s
}
//- hide
nb.table(header: ["depth L", "n per block", "params", "naive MiB", "memory-efficient MiB", "ratio"],
         rows: depthSweep.x.indices.map { i in
             [depthSweep.x[i], (depthSweep.x[i] - 4) / 6, depthSweep.naive[i].parameters, f1(depthSweep.naive[i].meterMiB),
              f1(depthSweep.efficient[i].meterMiB), f2(Double(depthSweep.naive[i].meterBytes) / Double(depthSweep.efficient[i].meterBytes))]
                 as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "DenseNet-BC（k = 12）一个训练步的峰值内存增长，批大小 \(sweepBatch)",
                            en: "Peak memory growth of one DenseNet-BC training step (k = 12), batch \(sweepBatch)"))
//> Table: DenseNet-BC（k = 12）一个训练步的峰值内存增长，批大小 2
//> depth L  n per block  params  naive MiB  memory-efficient MiB  ratio
//> -------  -----------  ------  ---------  --------------------  -----
//>      16            2   44410        5.9                   6.0   0.98
//>      28            4  102730       12.0                  10.1   1.19
//>      40            6  176122       19.4                  14.2   1.37

//: 用最小二乘拟合 $M(n) = a + bn + cn^2$（$n$ 为每个 block 的层数），看二次项在最深的网络里占多少：
//:en A least-squares fit of $M(n) = a + bn + cn^2$ ($n$ layers per block) shows how much of the deepest network's memory the quadratic term accounts for:
let layersPerBlock = depthSweep.x.map { Double($0 - 4) / 6 }
//- hide
func fitRow(_ label: String, _ x: [Double], _ m: [StepMeasure]) -> (row: [any CustomStringConvertible], quadraticShare: Double) {
    let y = m.map(\.meterMiB)
    let q = polynomialFit(x: x, y: y, degree: 2), lin = polynomialFit(x: x, y: y, degree: 1)
    let share = q[2] * x.last! * x.last! / y.last!
    return ([label, f2(q[0]), f2(q[1]), String(format: "%.4f", q[2]), String(format: "%.0f%%", 100 * share),
             String(format: "%.4f", rSquared(x: x, y: y, coefficients: lin))], share)
}
let depthNaive = fitRow("naive", layersPerBlock, depthSweep.naive)
let depthEfficient = fitRow("memory-efficient", layersPerBlock, depthSweep.efficient)
nb.table(header: ["", "a (MiB)", "b (MiB/layer)", "c (MiB/layer²)", "c·n² share at the deepest", "R² of a linear fit"],
         rows: [depthNaive.row, depthEfficient.row],
         caption: Bilingual(zh: "峰值内存对每 block 层数 n 的二次拟合", en: "Quadratic fit of the peak memory against the layers per block n"))
nb.figure(LineChart(xLabel: "depth L", yLabel: "peak memory growth (MiB)",
                    series: [.init("naive", x: depthSweep.x.map(Double.init), y: depthSweep.naive.map(\.meterMiB), marker: .circle),
                             .init("memory-efficient", x: depthSweep.x.map(Double.init), y: depthSweep.efficient.map(\.meterMiB), marker: .square)],
                    legend: .topLeft, size: Size(420, 240)),
          name: "fig-10-depth",
          caption: Bilingual(zh: "DenseNet-BC（k = 12）一个训练步的峰值内存随深度的变化",
                             en: "Peak memory of one DenseNet-BC (k = 12) training step against depth"))
nb.note(zh: "深度从 \(depthSweep.x.first!) 到 \(depthSweep.x.last!)：朴素实现从 \(f1(depthSweep.naive.first!.meterMiB)) MiB 增长到 \(f1(depthSweep.naive.last!.meterMiB)) MiB，二次项占最深网络的 \(String(format: "%.0f%%", 100 * depthNaive.quadraticShare))；内存高效实现从 \(f1(depthSweep.efficient.first!.meterMiB)) MiB 到 \(f1(depthSweep.efficient.last!.meterMiB)) MiB，二次项只占 \(String(format: "%.0f%%", 100 * depthEfficient.quadraticShare))。",
        en: "From depth \(depthSweep.x.first!) to \(depthSweep.x.last!), the naive implementation grows from \(f1(depthSweep.naive.first!.meterMiB)) MiB to \(f1(depthSweep.naive.last!.meterMiB)) MiB, and the quadratic term is \(String(format: "%.0f%%", 100 * depthNaive.quadraticShare)) of the deepest net's figure; the memory-efficient one grows from \(f1(depthSweep.efficient.first!.meterMiB)) MiB to \(f1(depthSweep.efficient.last!.meterMiB)) MiB, with a quadratic share of only \(String(format: "%.0f%%", 100 * depthEfficient.quadraticShare)).")
//> Table: 峰值内存对每 block 层数 n 的二次拟合
//>                   a (MiB)  b (MiB/layer)  c (MiB/layer²)  c·n² share at the deepest  R² of a linear fit
//> ----------------  -------  -------------  --------------  -------------------------  ------------------
//> naive                1.03           2.09          0.1613  30%                                    0.9970
//> memory-efficient     1.99           1.99          0.0060  2%                                     1.0000
//> Figure: fig-10-depth.pdf — DenseNet-BC（k = 12）一个训练步的峰值内存随深度的变化

//: ## 实验二：峰值内存随增长率变化
//:en ## Experiment 2: peak memory against growth rate

//: 固定深度，改变增长率 $k$。上面的公式里 $k$ 只以一次方出现：两种实现都随 $k$ 线性增长，朴素实现的斜率更大，两者之比不随 $k$ 变化（由深度决定，见上表的比值列）（每个 block $L(L-1) + 10L$ 对 $10L$，$c_0 = 2k$ 时还要加上与 $c_0$ 成正比的项）。参数量随 $k^2$ 增长，但在这里它的梯度只占很小一部分。
//:en Fix the depth and vary the growth rate $k$. In the formula above $k$ appears only to the first power: both implementations grow linearly with $k$, the naive one with a steeper slope, and their ratio does not change with $k$ (the depth sets it, see the ratio column) ($L(L-1) + 10L$ against $10L$ per block, plus the terms in $c_0$, which is $2k$ here). The parameter count grows like $k^2$, but its gradients are a small part here.
let growthDepth = nb.isQuick ? 28 : 40
let growths = nb.isQuick ? [6, 12, 18] : [6, 12, 18, 24, 30, 36]
let growthSweep = try nb.cached("growth-sweep", growths, growthDepth, sweepBatch, after: []) { () -> Sweep in
    var s = Sweep(x: growths, naive: [], efficient: [])
    for k in growths {
        for efficient in [false, true] {
            Random.seed(nb.seed)
            let net = DenseNet(bcDepth: growthDepth, growthRate: k, memoryEfficient: efficient)
            let m = meterStep("k=\(k)", net, input: [sweepBatch, 3, 32, 32], timedSteps: 0)
            if efficient { s.efficient.append(m) } else { s.naive.append(m) }
        }
    }
    return s
}
//- hide
let kx = growthSweep.x.map(Double.init)
let kNaive = polynomialFit(x: kx, y: growthSweep.naive.map(\.meterMiB), degree: 1)
let kEfficient = polynomialFit(x: kx, y: growthSweep.efficient.map(\.meterMiB), degree: 1)
nb.table(header: ["k", "params", "naive MiB", "memory-efficient MiB", "ratio"],
         rows: growthSweep.x.indices.map { i in
             [growthSweep.x[i], growthSweep.naive[i].parameters, f1(growthSweep.naive[i].meterMiB), f1(growthSweep.efficient[i].meterMiB),
              f2(Double(growthSweep.naive[i].meterBytes) / Double(growthSweep.efficient[i].meterBytes))] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "DenseNet-BC-\(growthDepth) 的峰值内存随增长率的变化，批大小 \(sweepBatch)",
                            en: "Peak memory of DenseNet-BC-\(growthDepth) against growth rate, batch \(sweepBatch)"))
nb.show("naive slope (MiB per unit of k)", kNaive[1])
nb.show("memory-efficient slope (MiB per unit of k)", kEfficient[1])
nb.show("R² of the linear fits", [rSquared(x: kx, y: growthSweep.naive.map(\.meterMiB), coefficients: kNaive),
                                  rSquared(x: kx, y: growthSweep.efficient.map(\.meterMiB), coefficients: kEfficient)])
nb.figure(LineChart(xLabel: "growth rate k", yLabel: "peak memory growth (MiB)",
                    series: [.init("naive", x: kx, y: growthSweep.naive.map(\.meterMiB), marker: .circle),
                             .init("memory-efficient", x: kx, y: growthSweep.efficient.map(\.meterMiB), marker: .square)],
                    legend: .topLeft, size: Size(420, 240)),
          name: "fig-10-growth",
          caption: Bilingual(zh: "DenseNet-BC-\(growthDepth) 的峰值内存随增长率的变化",
                             en: "Peak memory of DenseNet-BC-\(growthDepth) against growth rate"))
//> Table: DenseNet-BC-28 的峰值内存随增长率的变化，批大小 2
//>  k  params  naive MiB  memory-efficient MiB  ratio
//> --  ------  ---------  --------------------  -----
//>  6   26800        5.9                   5.0   1.19
//> 12  102730       12.0                  10.1   1.19
//> 18  227800       18.2                  15.3   1.19
//> naive slope (MiB per unit of k): 1.023
//> memory-efficient slope (MiB per unit of k): 0.8629
//> R² of the linear fits: [1.000, 0.9999]
//> Figure: fig-10-growth.pdf — DenseNet-BC-28 的峰值内存随增长率的变化

//: ## 实验三：重算的时间代价，以及参数量相近的 ResNet
//:en ## Experiment 3: the time recomputation costs, and a ResNet of similar size

//: 内存高效实现在反向传播时把每层的拼接、BN、ReLU 和 1x1 卷积再算一遍。DenseNet-BC（$L = 100$，$k = 12$）有约 0.8M 参数，CIFAR 的 ResNet-56 有约 0.86M，两者大小相近。下面测它们一个训练步的峰值内存和时间（先热身一步，再取几步的中位数；几个网络轮流跑，让机器负载的变化对它们的影响相同）。
//:en The memory-efficient implementation recomputes every layer's concatenation, BN, ReLU and 1x1 conv during the backward pass. DenseNet-BC ($L = 100$, $k = 12$) has about 0.8M parameters and CIFAR's ResNet-56 about 0.86M: similar sizes. We measure one training step of each, peak memory and time (one warm-up step, then the median of a few, the networks taking turns so that the machine's load affects them alike).
let timeBatch = nb.isQuick ? 4 : (nb.isPaper ? 64 : 16)
let timeDepth = nb.isQuick ? 40 : 100
let timedSteps = nb.isQuick ? 1 : (nb.isPaper ? 9 : 5)
let comparison = try nb.cached("time-and-resnet", timeBatch, timeDepth, timedSteps, after: []) { () -> [StepMeasure] in
    let nets: [(String, Module)] = [false, true].map { efficient in
        Random.seed(nb.seed)
        return ("DenseNet-BC-\(timeDepth) " + (efficient ? "memory-efficient" : "naive"),
                DenseNet(bcDepth: timeDepth, growthRate: 12, memoryEfficient: efficient))
    }
    Random.seed(nb.seed)
    let resnetDepth = timeDepth == 100 ? 56 : 20
    return interleavedSteps(nets + [("ResNet-\(resnetDepth)", CIFARResNet(depth: resnetDepth))], input: [timeBatch, 3, 32, 32], rounds: timedSteps)
}
//- hide
nb.table(header: ["network", "params", "peak MiB"],
         rows: comparison.map { [$0.name, $0.parameters, f1($0.meterMiB)] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "批大小 \(timeBatch)、32x32 输入的一个训练步", en: "One training step at batch \(timeBatch), 32x32 inputs"))
let timeRatio = comparison[1].seconds / comparison[0].seconds
let memoryRatio = Double(comparison[1].meterBytes) / Double(comparison[0].meterBytes)
let resnetRatio = Double(comparison[2].meterBytes) / Double(comparison[0].meterBytes)
func pct(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }
nb.note(zh: "这次运行中，内存高效的一步用时是朴素实现的 \(pct(timeRatio))（\(String(format: "%.0f", 1000 * comparison[1].seconds)) ms 对 \(String(format: "%.0f", 1000 * comparison[0].seconds)) ms，\(comparison[2].name) 为 \(String(format: "%.0f", 1000 * comparison[2].seconds)) ms；随机器负载变化，不做快照）：重算多出的计算可能被更少的内存分配和缺页部分抵消。内存是朴素实现的 \(pct(memoryRatio))。参数量相近的 \(comparison[2].name) 用了 \(f1(comparison[2].meterMiB)) MiB，是朴素 DenseNet 的 \(pct(resnetRatio))。Pleiss 等报告的时间代价在 15–20% 左右。",
        en: "In this run the memory-efficient step took \(pct(timeRatio)) of the naive step's time (\(String(format: "%.0f", 1000 * comparison[1].seconds)) ms against \(String(format: "%.0f", 1000 * comparison[0].seconds)) ms, \(comparison[2].name) \(String(format: "%.0f", 1000 * comparison[2].seconds)) ms; times vary with the machine's load and are not snapshotted): the extra computation of the recomputation may be partly paid back by fewer allocations and page faults. Its memory was \(pct(memoryRatio)) of the naive implementation's. \(comparison[2].name), of similar parameter count, used \(f1(comparison[2].meterMiB)) MiB, \(pct(resnetRatio)) of the naive DenseNet's. Pleiss et al. report a time overhead of about 15–20%.")
//> Table: 批大小 4、32x32 输入的一个训练步
//> network                          params  peak MiB
//> -------------------------------  ------  --------
//> DenseNet-BC-40 naive             176122      38.3
//> DenseNet-BC-40 memory-efficient  176122      27.8
//> ResNet-20                        269722      10.6

//: ## 实验四：224x224 的 DenseNet-121
//:en ## Experiment 4: DenseNet-121 at 224x224

//: ImageNet 尺寸的 DenseNet-121（8.0M 参数）和 ResNet-18（11.7M 参数）在同样的小批量上各做一个训练步。每次测量在一个新的子进程里进行，除了引擎的内存计数，还记录进程常驻内存（RSS）的峰值增长（Linux 的 `VmHWM` 减去训练步开始前的 `VmRSS`）。作为参照，PyTorch 在同类机器上，批大小 8 时一个 DenseNet-121 训练步使内存增长 1233 MiB（朴素）和 769 MiB（`memory_efficient=True`）。子进程先在 1×3×64×64 的小批量上热身一步（线程池、BLAS 缓冲区），并以 glibc 的 `MALLOC_MMAP_THRESHOLD_=131072` 运行：128 KiB 以上的每块内存单独映射、释放即归还系统，所以 RSS 跟随张量的生命周期（glibc 默认的自适应阈值下，释放的内存可能仍然常驻）。引擎的 BN → ReLU（一个算子）和 PyTorch 的原地 ReLU 一样只保留 ReLU 的输出，所以两边的朴素实现保留的是同样的张量。
//:en DenseNet-121 at ImageNet size (8.0M parameters) and ResNet-18 (11.7M parameters) each take one training step on the same small batch. Each measurement runs in a fresh child process, which records, besides the engine's meter, the growth of the process's peak resident set (Linux's `VmHWM` minus the `VmRSS` before the step). For reference, PyTorch on the same class of machine grows by 1233 MiB (naive) and 769 MiB (`memory_efficient=True`) over one DenseNet-121 training step at batch 8. The child first takes one warm-up step on a 1×3×64×64 batch (thread pools, BLAS buffers) and runs with glibc's `MALLOC_MMAP_THRESHOLD_=131072`: every block of 128 KiB or more is its own mapping and goes back to the system when freed, so the RSS follows the tensors' lifetimes (with glibc's default adaptive threshold, freed memory can stay resident). Like PyTorch's in-place ReLU, the engine's BN → ReLU (one op) keeps only the ReLU's output, so both naive implementations keep the same tensors.
let bigBatch = nb.isQuick ? 1 : 8
let big = try nb.cached("densenet121-224", bigBatch, after: []) { () -> [StepMeasure] in
    [try MeasureChild.measure("DenseNet-121 naive", "densenet", depth: 121, growth: 32, efficient: false, input: [bigBatch, 3, 224, 224]),
     try MeasureChild.measure("DenseNet-121 memory-efficient", "densenet", depth: 121, growth: 32, efficient: true, input: [bigBatch, 3, 224, 224]),
     try MeasureChild.measure("ResNet-18", "resnet", depth: 18, efficient: false, input: [bigBatch, 3, 224, 224])]
}
//- hide
let torchReference: [String: String] = bigBatch == 8 ? ["DenseNet-121 naive": "1233", "DenseNet-121 memory-efficient": "769"] : [:]
nb.table(header: ["network (batch \(bigBatch))", "params", "meter MiB", "PyTorch MiB"],
         rows: big.map { [$0.name, $0.parameters, f1($0.meterMiB), torchReference[$0.name] ?? "–"] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "224x224、批大小 \(bigBatch) 的一个训练步的内存增长", en: "Memory growth of one training step at 224x224, batch \(bigBatch)"))
let bigRSS = big.map { "\($0.name): \($0.rssMiB.map(f1) ?? "–") MiB" }.joined(separator: ", ")
let bigTimes = big.map { "\($0.name): \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
nb.note(zh: "进程峰值常驻内存（RSS）的增长（随运行略有变化，不做快照）：\(bigRSS)。单个训练步的时间（热身后的一步，随负载变化）：\(bigTimes)。",
        en: "Growth of the process's peak resident set (RSS; varies a little from run to run, not snapshotted): \(bigRSS). Time of the single step (after the warm-up, varies with the load): \(bigTimes).")
//> Table: 224x224、批大小 1 的一个训练步的内存增长
//> network (batch 1)                params  meter MiB  PyTorch MiB
//> -----------------------------  --------  ---------  -----------
//> DenseNet-121 naive              7978856      167.8  –
//> DenseNet-121 memory-efficient   7978856      107.5  –
//> ResNet-18                      11689512       76.1  –

//: ## 实验五：特征复用
//:en ## Experiment 5: feature reuse

//: DenseNet 论文的图 5 画出训练好的网络里，每一层从之前每一层拿到的权重大小：第 $l$ 层的 1x1 卷积的输入通道按来源分组（block 的输入和前面每一层的 $k$ 个输出），对每组取权重绝对值的平均。这里把 Fashion-MNIST 补零到 32x32、复制成 3 个通道，短暂训练一个 DenseNet-BC，然后画出三个 block 的矩阵。每一列（一个接收层）除以该列的最大值，颜色范围取各图的最小值到 1；最后一列是 block 之后的过渡层（最后一个 block 是分类器）。没有连接的格子（来源不在接收层之前）画成最小值的颜色。
//:en Figure 5 of the DenseNet paper shows, in a trained network, how much weight each layer puts on each earlier layer: the input channels of layer $l$'s 1x1 conv are grouped by source (the block's input and each earlier layer's $k$ outputs), and the absolute weights of each group are averaged. Here we pad Fashion-MNIST to 32x32, replicate it to 3 channels, train a DenseNet-BC briefly and draw the matrix of each of the three blocks. Each column (one consumer) is divided by its maximum, and the colours span each panel's minimum to 1; the last column is the transition after the block (the classifier after the last block). Cells without a connection (the source is not before the consumer) get the minimum's colour.
// Paper mode: the depth of the paper's Figure 5 (L = 40, k = 12; there without bottlenecks).
let reuseDepth = nb.isQuick ? 22 : (nb.isPaper ? 40 : 28)
let reuseCount = nb.isQuick ? 256 : (nb.isPaper ? 10_000 : 2_560)
let reuseEpochs = nb.isPaper ? 5 : (nb.isQuick ? 1 : 2)
struct Reuse: Codable { var run: TrainingRun; var blocks: [[[Double?]]]; var initial: [[[Double?]]] }
let reuse = try nb.cached("feature-reuse", reuseDepth, reuseCount, reuseEpochs, after: []) { () -> Reuse in
    let train = try FashionMNIST.load(.train).tensors(count: reuseCount, padding: 2, replicate: 3)
    let test = try FashionMNIST.load(.test).tensors(count: nb.isQuick ? 200 : (nb.isPaper ? 2_000 : 500), padding: 2, replicate: 3)
    Random.seed(nb.seed)
    let net = DenseNet(bcDepth: reuseDepth, growthRate: 12, memoryEfficient: true)
    func matrices() -> [[[Double?]]] {
        (1...3).map { b in
            let block = net.features.submodule("denseblock\(b)") as! DenseBlock
            let after = b < 3 ? (net.features.submodule("transition\(b)") as! Transition).conv.weight : net.classifier.weight
            return reuseMatrix(block, inputChannels: block.layers[0].norm1.channels, growthRate: 12, after: after)
        }
    }
    let initial = matrices()
    var recipe = Recipe(epochs: reuseEpochs, batchSize: 32) { Adam(model: $0, learningRate: 2e-3) }
    recipe.trainEvaluationCount = 500
    let run = trainRun("DenseNet-BC-\(reuseDepth)", net, on: train, test: test, recipe: recipe, seed: nb.seed &+ 5)
    return Reuse(run: run, blocks: matrices(), initial: initial)
}
//- hide
nb.show("test error after training", reuse.run.testError.last!)
nb.note(zh: "训练设置：DenseNet-BC-\(reuseDepth)（k = 12），Fashion-MNIST 的前 \(reuseCount) 张训练图，\(reuseEpochs) 个周期，批大小 32，Adam（学习率 2e-3），用时 \(f1(reuse.run.seconds)) 秒。",
        en: "Training set-up: DenseNet-BC-\(reuseDepth) (k = 12), the first \(reuseCount) Fashion-MNIST training images, \(reuseEpochs) epochs, batch 32, Adam (learning rate 2e-3); \(f1(reuse.run.seconds)) s.")
func heatmap(_ m: [[Double?]], title: String) -> Heatmap {
    let n = normalisedByColumn(m)
    let rows = n.count, cols = n[0].count
    let labels = (0..<cols).map { $0 == cols - 1 ? "T" : String($0 + 1) }
    let low = n.flatMap { $0.compactMap { $0 } }.min() ?? 0
    return Heatmap(title: title, grid: Grid(rows: rows, columns: cols, values: n.flatMap { $0.map { $0 ?? low } }),
                   colormap: .viridis, rowLabels: (0..<rows).map { $0 == 0 ? "in" : String($0) },
                   columnLabels: labels, size: Size(240, 250))
}
nb.figure(SideBySide(panels: reuse.blocks.enumerated().map { heatmap($1, title: "block \($0 + 1)") }),
          name: "fig-10-reuse",
          caption: Bilingual(zh: "训练后每个接收层（横轴，T 为过渡层/分类器）从每个来源（纵轴，in 为 block 输入）得到的平均权重绝对值，按列归一化",
                             en: "Mean absolute weight from each source (rows; in = the block's input) into each consumer (columns; T = transition/classifier) after training, each column scaled to a maximum of 1"))
/// Mean normalised weight of the block's layers (not T) on their sources before the immediately
/// preceding layer (the block's input and the older layers: the reuse beyond a plain chain).
func farShare(_ m: [[Double?]]) -> Double {
    let n = normalisedByColumn(m)
    var values: [Double] = []
    for c in 0..<(n[0].count - 1) { for s in 0..<c { if let v = n[s][c] { values.append(v) } } }
    return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}
let reuseRows = (0..<3).map { b -> (earlyInit: Double, earlyTrained: Double, inputInit: Double, inputTrained: Double) in
    let trained = normalisedByColumn(reuse.blocks[b]), first = normalisedByColumn(reuse.initial[b])
    return (farShare(reuse.initial[b]), farShare(reuse.blocks[b]), (first[0].last ?? nil) ?? 0, (trained[0].last ?? nil) ?? 0)
}
nb.table(header: ["block", "layers: init", "layers: trained", "T from input: init", "T from input: trained"],
         rows: reuseRows.enumerated().map { b, r in [b + 1, f2(r.earlyInit), f2(r.earlyTrained), f2(r.inputInit), f2(r.inputTrained)] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "特征复用的概括：各层对前一层之前的来源的平均归一化权重，以及过渡层/分类器（T）对 block 输入的归一化权重",
                            en: "Feature reuse in numbers: the layers' mean normalised weight on sources older than the preceding layer, and the transition's/classifier's (T) normalised weight on the block's input"))
nb.note(zh: "训练后，最后的分类器对第 3 个 block 输入（较早的特征）的权重从初始化时的 \(f2(reuseRows[2].inputInit)) 变为 \(f2(reuseRows[2].inputTrained))（相对于它最看重的来源），第 2 个过渡层从 \(f2(reuseRows[1].inputInit)) 变为 \(f2(reuseRows[1].inputTrained))；各层对前一层之前的来源的平均权重在三个 block 中分别为 \(reuseRows.map { f2($0.earlyTrained) }.joined(separator: "、"))（初始化时 \(reuseRows.map { f2($0.earlyInit) }.joined(separator: "、"))）。",
        en: "After training, the final classifier's weight on the third block's input (the earlier features) went from \(f2(reuseRows[2].inputInit)) at initialisation to \(f2(reuseRows[2].inputTrained)) (relative to its strongest source), the second transition's from \(f2(reuseRows[1].inputInit)) to \(f2(reuseRows[1].inputTrained)); the layers' mean weight on sources older than the preceding layer is \(reuseRows.map { f2($0.earlyTrained) }.joined(separator: ", ")) in the three blocks (\(reuseRows.map { f2($0.earlyInit) }.joined(separator: ", ")) at initialisation).")
//> test error after training: 0.9000
//> Figure: fig-10-reuse.pdf — 训练后每个接收层（横轴，T 为过渡层/分类器）从每个来源（纵轴，in 为 block 输入）得到的平均权重绝对值，按列归一化
//> Table: 特征复用的概括：各层对前一层之前的来源的平均归一化权重，以及过渡层/分类器（T）对 block 输入的归一化权重
//> block  layers: init  layers: trained  T from input: init  T from input: trained
//> -----  ------------  ---------------  ------------------  ---------------------
//>     1          0.98             0.98                1.00                   1.00
//>     2          0.98             0.98                0.98                   0.98
//>     3          0.99             0.99                0.98                   0.97

//: 读图时注意：这里的训练远短于论文（论文在 CIFAR 上训练 300 个周期），权重离初始化还不远，所以图案比论文的图 5 弱；表中给出了初始化时的对应数值作比较。论文的观察是：每一层都把权重分散到同一 block 里很多更早的层上（早期的特征确实被深层直接使用）；过渡层的权重分布在 block 内所有层上；最后的分类器偏重 block 末尾的高层特征。
//:en When reading the figure, remember that this training is far shorter than the paper's (300 epochs on CIFAR), so the weights have not moved far from their initialisation and the pattern is weaker than in the paper's Figure 5; the table gives the values at initialisation for comparison. The paper observes that every layer spreads its weights over many earlier layers of the same block (early features are used directly by deep layers), that the transition layers spread their weights over all layers of the block, and that the final classifier concentrates on the high-level features at the end of the last block.

//: ## 小结
//:en ## Takeaways

//: - 朴素的 DenseNet 每层重新拼接并保留拼接和 BN → ReLU 的输出，激活内存随每个 block 的层数平方增长；上面的拟合给出了二次项的份额。
//: - 内存高效实现（检查点 + 重算）只保留各层的输出和瓶颈部分的 $2 \cdot 4k$ 通道，内存线性增长，代价是反向传播时多一次前半层的计算。
//: - 重算不能再次更新 BN 的滑动统计量，并且要重放同样的随机数；结果（输出和梯度）与朴素实现相同。
//: - 对增长率 $k$，两种实现都线性增长，朴素实现的斜率更大；深度越大，差距越大。
//:en - The naive DenseNet concatenates afresh in every layer and keeps the concatenation and the BN → ReLU output: activation memory grows with the square of the layers per block; the fit above gives the quadratic term's share.
//:en - The memory-efficient implementation (checkpoint + recompute) keeps only the layers' outputs and $2 \cdot 4k$ bottleneck channels per layer: memory grows linearly, at the cost of computing each layer's first half again in the backward pass.
//:en - The recomputation must not update BN's running statistics again and must replay the same random numbers; outputs and gradients equal the naive implementation's.
//:en - Against the growth rate $k$ both grow linearly, the naive one with a steeper slope; the deeper the block, the larger the gap.
//- hide
nb.exercise(zh: "一个 dense block 的输入有 $c_0$ 个通道，增长率为 $k$，共 $L$ 层。block 输出多少个通道？之后压缩一半的过渡层输出多少个通道？",
            en: "A dense block takes $c_0$ channels, growth rate $k$, $L$ layers. How many channels leave the block? How many leave the transition that halves them?",
            grader: "densenet-channels")
nb.exercise(zh: "朴素实现的 dense block（输入 $c_0$ 个通道，增长率 $k$，$L$ 层）前向结束时，除输入外每个像素、每张图存活多少个通道？内存高效的实现呢？",
            en: "After the forward pass of a naive dense block ($c_0$ input channels, growth rate $k$, $L$ layers), how many channels per pixel and image are alive besides the input? And with the memory-efficient implementation?",
            grader: "densenet-memory")
nb.finish()
