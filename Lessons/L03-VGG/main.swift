//: # L03 · VGG 与感受野
//:en # L03 · VGG and receptive fields

//: VGG（Simonyan 和 Zisserman，2014）的卷积层只用 3x3 卷积核：两个 3x3 卷积与一个 5x5 卷积有相同的感受野，三个 3x3 卷积与一个 7x7 卷积有相同的感受野，但参数和计算量更少。本课先用讲义的感受野公式逐层算 VGG-16，再比较“小核堆叠”和“一个大核”的参数、计算量、有效感受野和训练结果，最后看 VGG 训练时用的学习率衰减规则。
//:en VGG (Simonyan and Zisserman, 2014) uses only 3x3 kernels in its conv layers: two 3x3 convolutions have the receptive field of one 5x5 convolution, three 3x3 that of one 7x7, with fewer parameters and less computation. This lesson first applies the lecture's receptive-field formula to VGG-16 layer by layer, then compares a stack of small kernels with one large kernel by parameters, computation, effective receptive field and training, and finally looks at the learning-rate rule VGG was trained with.

//- hide
import Analysis
import CNN
import Datasets
import LessonKit
import Foundation
import Notebook
import Render
import Training
import Weave
import Zoo

let nb = Notebook("l03-vgg")
Random.seed(nb.seed)

//: ## 感受野公式
//:en ## The receptive-field formula

//: $$l_k = l_{k-1} + (f_k - 1) \cdot \prod_{i=1}^{k-1} s_i$$

//: $l_{k-1}$ 是第 $k-1$ 层的感受野大小，$f_k$ 是第 $k$ 层的卷积核大小，$s_i$ 是第 $i$ 层的步长。第 $k$ 层的一个元素看到第 $k-1$ 层 $f_k \times f_k$ 个元素；第 $k-1$ 层上相邻元素在输入上相距 $\prod_{i<k} s_i$ 个像素。两个 3x3 卷积的感受野是 $3 + 3 - 1 = 5$。
//:en $l_{k-1}$ is the receptive field of layer $k-1$, $f_k$ the kernel size of layer $k$ and $s_i$ the stride of layer $i$. One element of layer $k$ sees $f_k \times f_k$ elements of layer $k-1$, and neighbouring elements of layer $k-1$ lie $\prod_{i<k} s_i$ input pixels apart. Two 3x3 convolutions see $3 + 3 - 1 = 5$ pixels.

//: ## VGG-16 逐层的感受野
//:en ## VGG-16 layer by layer

//: VGG-16 的特征部分是 13 个 3x3 卷积（步长 1，补 1）和 5 个 2x2、步长 2 的最大池化。`receptiveFieldSizes` 按公式逐层计算；`Analysis.summarize` 则沿着 VGG-16 实际的前向计算图传播感受野，两列必须一致。
//:en VGG-16's feature extractor is 13 3x3 convolutions (stride 1, padding 1) and 5 max pools of 2x2 with stride 2. `receptiveFieldSizes` applies the formula layer by layer; `Analysis.summarize` propagates receptive fields along VGG-16's actual forward graph; the two columns must agree.
var names: [String] = [], windows: [WindowLayer] = []
var stage = 1, index = 1
for entry in VGGConfiguration.vgg16.layers {
    if entry == nil { names.append("pool\(stage)"); windows.append(.pool2x2); stage += 1; index = 1 }
    else { names.append("conv\(stage)_\(index)"); windows.append(.conv3x3); index += 1 }
}
let formula = receptiveFieldSizes(windows)
let vgg16 = VGG(.vgg16)
let vggSummary = try Analysis.summarize(vgg16, input: [1, 3, 224, 224], name: "VGG-16")
let engineRows = vggSummary.layers.filter { $0.type == "Conv2D" || $0.type == "MaxPool2D" }
var jumps: [Int] = [], product = 1
for w in windows { jumps.append(product); product *= w.stride }
nb.table(header: ["k", "layer", "f", "s", "∏ s (before)", "l (formula)", "l (engine)", "output"],
         rows: names.indices.map { k in
             [k + 1, names[k], windows[k].kernel, windows[k].stride, jumps[k], formula[k],
              engineRows[k].receptiveField.size,
              engineRows[k].outputShape.dropFirst().map(String.init).joined(separator: "×")] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "VGG-16 逐层感受野", en: "Receptive field of VGG-16, layer by layer"))
nb.show("formula == engine", formula == engineRows.map(\.receptiveField.size))
nb.show("conv5_3", formula[names.firstIndex(of: "conv5_3")!])
nb.show("pool5", formula[names.firstIndex(of: "pool5")!])
nb.show("VGG-16 total parameters", vggSummary.total.parameters)
//> Table: VGG-16 逐层感受野
//>  k  layer    f  s  ∏ s (before)  l (formula)  l (engine)  output
//> --  -------  -  -  ------------  -----------  ----------  -----------
//>  1  conv1_1  3  1             1            3           3  64×224×224
//>  2  conv1_2  3  1             1            5           5  64×224×224
//>  3  pool1    2  2             1            6           6  64×112×112
//>  4  conv2_1  3  1             2           10          10  128×112×112
//>  5  conv2_2  3  1             2           14          14  128×112×112
//>  6  pool2    2  2             2           16          16  128×56×56
//>  7  conv3_1  3  1             4           24          24  256×56×56
//>  8  conv3_2  3  1             4           32          32  256×56×56
//>  9  conv3_3  3  1             4           40          40  256×56×56
//> 10  pool3    2  2             4           44          44  256×28×28
//> 11  conv4_1  3  1             8           60          60  512×28×28
//> 12  conv4_2  3  1             8           76          76  512×28×28
//> 13  conv4_3  3  1             8           92          92  512×28×28
//> 14  pool4    2  2             8          100         100  512×14×14
//> 15  conv5_1  3  1            16          132         132  512×14×14
//> 16  conv5_2  3  1            16          164         164  512×14×14
//> 17  conv5_3  3  1            16          196         196  512×14×14
//> 18  pool5    2  2            16          212         212  512×7×7
//> formula == engine: true
//> conv5_3: 196
//> pool5: 212
//> VGG-16 total parameters: 138357544

//: 每经过一次池化，后面每个 3x3 卷积让感受野增长的量就翻一倍，所以曲线一段比一段陡。conv5_3 的感受野已经接近 224 的输入尺寸。
//:en After every pool, each following 3x3 convolution grows the receptive field twice as much as before, so each segment of the curve is steeper than the last. By conv5_3 the receptive field is close to the 224-pixel input.
nb.figure(LineChart(xLabel: "layer k", yLabel: "receptive field l_k (pixels)",
                    series: [.init("VGG-16", x: formula.indices.map { Double($0 + 1) }, y: formula.map(Double.init), marker: .circle)],
                    annotations: [LineChart.Annotation(x: Double(names.firstIndex(of: "conv5_3")! + 1),
                                                       y: Double(formula[names.firstIndex(of: "conv5_3")!]),
                                                       text: "conv5_3: \(formula[names.firstIndex(of: "conv5_3")!])",
                                                       offset: Point(-70, -20))],
                    events: zip(names, formula.indices).filter { $0.0.hasPrefix("pool") }.map {
                        LineChart.Event(x: Double($0.1 + 1), label: $0.0)
                    },
                    legend: .none, size: Size(420, 250)),
          name: "fig-03-vgg16-rf",
          caption: Bilingual(zh: "VGG-16 的感受野随深度的变化（竖线为池化层）",
                             en: "Receptive field of VGG-16 against depth (vertical lines mark the pools)"))
//> Figure: fig-03-vgg16-rf.pdf — VGG-16 的感受野随深度的变化（竖线为池化层）

//: ## 两个 3x3 对一个 5x5，三个 3x3 对一个 7x7
//:en ## Two 3x3 against one 5x5, three 3x3 against one 7x7

//: 设输入输出都是 $C$ 个通道、特征图 $H \times W$，不计偏置。$n$ 个 3x3 卷积有 $n \cdot 9C^2$ 个权重，一个 $k \times k$ 卷积有 $k^2 C^2$ 个；MACs 都再乘以 $HW$。下面让引擎对具体的 $C = 64$、$56 \times 56$ 算出权重、MACs 和感受野，再除以 $C^2$ 和 $C^2HW$ 得到符号式中的系数。
//:en Let input and output both have $C$ channels on an $H \times W$ map, without biases. $n$ 3x3 convolutions have $n \cdot 9C^2$ weights, one $k \times k$ convolution $k^2 C^2$; the MACs are each multiplied by $HW$. Below, the engine computes weights, MACs and receptive field for a concrete $C = 64$ on $56 \times 56$, then divides by $C^2$ and $C^2HW$ to recover the coefficients of the symbolic formulas.
let C = 64, side = 56
func stackOf(_ count: Int, kernel: Int) -> Sequential {
    Sequential((0..<count).flatMap { _ -> [Module] in
        [Conv2D(inputChannels: C, outputChannels: C, kernelSize: kernel, padding: kernel / 2, bias: false), ReLU()]
    })
}
var designRows: [[any CustomStringConvertible]] = []
var coefficients: [String: Int] = [:]
for (label, count, kernel) in [("2 × 3×3", 2, 3), ("1 × 5×5", 1, 5), ("3 × 3×3", 3, 3), ("1 × 7×7", 1, 7)] {
    let s = try Analysis.summarize(stackOf(count, kernel: kernel), input: [1, C, side, side])
    let weights = s.total.parameters, macs = s.total.macs
    coefficients[label] = weights / (C * C)
    designRows.append([label, s.layers.last { $0.type == "Conv2D" }!.receptiveField.size, weights, "\(weights / (C * C)) C²", macs,
                       "\(macs / (C * C * side * side)) C²HW"])
}
nb.table(header: ["design", "receptive field", "weights", "= ", "MACs", "= "], rows: designRows,
         caption: Bilingual(zh: "C = 64、56×56 时小核堆叠与大核的对比（不计偏置）",
                            en: "Stacks of small kernels against one large kernel, C = 64 on 56×56 (no biases)"))
nb.show("2×3×3 / 5×5 weights", Double(coefficients["2 × 3×3"]!) / Double(coefficients["1 × 5×5"]!))
nb.show("3×3×3 / 7×7 weights", Double(coefficients["3 × 3×3"]!) / Double(coefficients["1 × 7×7"]!))
//> Table: C = 64、56×56 时小核堆叠与大核的对比（不计偏置）
//> design   receptive field  weights  =           MACs  =
//> -------  ---------------  -------  -----  ---------  -------
//> 2 × 3×3                5    73728  18 C²  231211008  18 C²HW
//> 1 × 5×5                5   102400  25 C²  321126400  25 C²HW
//> 3 × 3×3                7   110592  27 C²  346816512  27 C²HW
//> 1 × 7×7                7   200704  49 C²  629407744  49 C²HW
//> 2×3×3 / 5×5 weights: 0.7200
//> 3×3×3 / 7×7 weights: 0.5510

//: 感受野相同，堆叠的权重和 MACs 都更少，而且每两层之间多了一个 ReLU，非线性更强。下图画出两种设计的感受野：顶层一个元素向下看到的输入区域。
//:en The receptive fields are equal, the stacks need fewer weights and MACs, and they put a ReLU between every two layers, so they are more non-linear. The figures draw both designs: the input region that one element at the top sees.
nb.figure(ReceptiveFieldDiagram(stacks: [[3, 3], [5]]), name: "fig-03-rf-5x5",
          caption: Bilingual(zh: "两个 3x3 与一个 5x5 的感受野都是 5", en: "Two 3x3 and one 5x5 both see 5 pixels"))
nb.figure(ReceptiveFieldDiagram(stacks: [[3, 3, 3], [7]]), name: "fig-03-rf-7x7",
          caption: Bilingual(zh: "三个 3x3 与一个 7x7 的感受野都是 7", en: "Three 3x3 and one 7x7 both see 7 pixels"))
//> Figure: fig-03-rf-5x5.pdf — 两个 3x3 与一个 5x5 的感受野都是 5
//> Figure: fig-03-rf-7x7.pdf — 三个 3x3 与一个 7x7 的感受野都是 7

//: ## 有效感受野与训练对比
//:en ## Effective receptive fields and a trained comparison

//: 理论感受野只说明输出“可能”受哪些像素影响。有效感受野（effective receptive field）看实际影响有多大：取中心位置的输出，令它的梯度为 1（其余为 0），反向传播到输入，$|\partial y_{center} / \partial x|$ 的分布就是有效感受野。下面两个网络在 Fashion-MNIST 上比较：“3x3 堆叠”每一段用三个 3x3 卷积，“7x7”每一段用一个 7x7 卷积，两段之间是 2x2 池化；两者在第二段末的理论感受野相同。
//:en The theoretical receptive field only says which pixels *can* influence an output. The effective receptive field measures how much they do: take the output at the centre, give it gradient 1 (all others 0), backpropagate to the input; the distribution of $|\partial y_{center} / \partial x|$ is the effective receptive field. Two networks are compared on Fashion-MNIST: the "3x3 stack" uses three 3x3 convolutions per stage, the "7x7" one 7x7 convolution per stage, with a 2x2 pool between stages; both have the same theoretical receptive field at the end of the second stage.
func body(stacked: Bool) -> Sequential {
    func stageLayers(_ cin: Int, _ cout: Int) -> [Module] {
        stacked
            ? [Conv2D(inputChannels: cin, outputChannels: cout, kernelSize: 3, padding: 1), ReLU(),
               Conv2D(inputChannels: cout, outputChannels: cout, kernelSize: 3, padding: 1), ReLU(),
               Conv2D(inputChannels: cout, outputChannels: cout, kernelSize: 3, padding: 1), ReLU()]
            : [Conv2D(inputChannels: cin, outputChannels: cout, kernelSize: 7, padding: 3), ReLU()]
    }
    return Sequential(stageLayers(1, 8) + [MaxPool2D(kernelSize: 2, stride: 2)] + stageLayers(8, 16))
}
/// The body, then a 2x2 pool and a linear classifier on the 16×7×7 features.
func classifier(_ body: Sequential) -> Sequential {
    Sequential(body, MaxPool2D(kernelSize: 2, stride: 2), Flatten(), Linear(inputFeatures: 16 * 7 * 7, outputFeatures: 10))
}
for stacked in [true, false] {
    let s = try Analysis.summarize(body(stacked: stacked), input: [1, 1, 28, 28])
    nb.show(stacked ? "3x3 stack: receptive field at the centre output" : "7x7: receptive field at the centre output",
            s.layers.last { $0.type == "Conv2D" }!.receptiveField.size)
}
//> 3x3 stack: receptive field at the centre output: 20
//> 7x7: receptive field at the centre output: 20

//: 有效感受野的计算：输入 $x$ 需要梯度，`body` 的输出是 $[N, 16, 14, 14]$；在中心 $(7, 7)$ 处放一个全 1 的梯度（所有通道），反向传播后对 $N$ 张图取 $|x.grad|$ 的平均，再除以最大值。
//:en Computing the effective receptive field: the input $x$ requires a gradient, `body`'s output is $[N, 16, 14, 14]$; put a gradient of ones at the centre $(7, 7)$ (all channels), backpropagate, average $|x.grad|$ over the $N$ images and divide by the maximum.
func effectiveField(_ body: Module, images: Tensor) -> [Double] {
    let x = Tensor(shape: images.shape, values: images.scalars, requiresGrad: true)
    let y = body(x)                                               // [N, 16, 14, 14]
    let (n, c, h, w) = (y.shape[0], y.shape[1], y.shape[2], y.shape[3])
    var oneHot = [Float](repeating: 0, count: y.count)
    for i in 0..<n { for ch in 0..<c { oneHot[((i * c + ch) * h + h / 2) * w + w / 2] = 1 } }
    y.backward(Tensor(shape: y.shape, values: oneHot))
    let g = x.grad!.scalars
    var field = [Double](repeating: 0, count: 784)
    for i in 0..<n { for p in 0..<784 { field[p] += Double(abs(g[i * 784 + p])) } }
    let peak = field.max()!
    return field.map { $0 / peak }
}
struct Comparison: Codable {
    var runs: [TrainingRun]
    var fieldsAtInit: [[Double]]
    var fieldsTrained: [[Double]]
    var macs: [Int]
}
let trainCount = nb.isQuick ? 768 : 8000, epochs = nb.isQuick ? 1 : 3
let comparison = try nb.cached("stack-vs-large", trainCount, epochs, after: []) { () -> Comparison in
    let train = try FashionMNIST.load(.train).tensors(count: trainCount)
    let test = try FashionMNIST.load(.test).tensors(count: nb.isQuick ? 300 : 4000)
    let probe = Tensor(shape: [16, 1, 28, 28], values: Array(test.images.scalars[0..<(16 * 784)]))
    var result = Comparison(runs: [], fieldsAtInit: [], fieldsTrained: [], macs: [])
    for stacked in [true, false] {
        Random.seed(nb.seed)
        let b = body(stacked: stacked)
        let net = classifier(b)
        result.macs.append(try Analysis.summarize(net, input: [1, 1, 28, 28]).total.macs)
        result.fieldsAtInit.append(effectiveField(b, images: probe))
        result.runs.append(trainRun(stacked ? "3x3 stack" : "7x7", net, on: train, test: test,
                                    recipe: .alexNet(epochs: epochs, learningRate: 0.02), seed: nb.seed &+ 3))
        net.zeroGrad()
        result.fieldsTrained.append(effectiveField(b, images: probe))
    }
    return result
}
nb.figure(ImageGrid(grids: (comparison.fieldsAtInit + comparison.fieldsTrained).map { Grid(rows: 28, columns: 28, values: $0) },
                    labels: ["3×3, init", "7×7, init", "3×3, trained", "7×7, trained"],
                    colormap: .viridis, columns: 4, size: Size(440, 150)),
          name: "fig-03-erf",
          caption: Bilingual(zh: "有效感受野：中心输出对输入的梯度幅值（16 张测试图平均，按最大值归一化）",
                             en: "Effective receptive fields: gradient magnitude of the centre output with respect to the input (mean over 16 test images, scaled to a maximum of 1)"))
/// Share of the gradient mass within `radius` pixels (Chebyshev distance) of the centre.
func centralShare(_ field: [Double], radius: Int) -> Double {
    var inside = 0.0
    for r in 0..<28 { for c in 0..<28 where abs(r - 14) <= radius && abs(c - 14) <= radius { inside += field[r * 28 + c] } }
    return inside / field.reduce(0, +)
}
nb.table(header: ["design", "mass within ±3 px, init", "mass within ±3 px, trained"],
         rows: zip(["3x3 stack", "7x7"], 0..<2).map { name, i in
             [name, centralShare(comparison.fieldsAtInit[i], radius: 3), centralShare(comparison.fieldsTrained[i], radius: 3)]
                 as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "有效感受野集中在中心的程度", en: "How concentrated the effective receptive fields are"))
//> Figure: fig-03-erf.pdf — 有效感受野：中心输出对输入的梯度幅值（16 张测试图平均，按最大值归一化）
//> Table: 有效感受野集中在中心的程度
//> design     mass within ±3 px, init  mass within ±3 px, trained
//> ---------  -----------------------  --------------------------
//> 3x3 stack                   0.3740                      0.3721
//> 7x7                         0.1789                      0.1816

//: 两者的理论感受野相同（见上面的输出），但梯度集中在中心，越往边缘越弱，近似高斯形状（Luo 等，2016）；上表给出了中心 7x7 区域所占的比例。训练后的形状由数据决定。下表是训练结果：
//:en Both have the same theoretical receptive field (printed above), yet the gradient concentrates at the centre and fades towards the border, roughly like a Gaussian (Luo et al., 2016); the table above gives the share of the central 7x7 region. After training, the shape depends on the data. The training results:
nb.table(header: ["design", "params", "MACs", "train error", "test error"],
         rows: zip(comparison.runs, comparison.macs).map { run, macs in
             [run.name, run.parameters, macs, run.trainError.last!, run.testError.last!] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "Fashion-MNIST 上的 3x3 堆叠与 7x7（相同训练配置）",
                            en: "3x3 stack against 7x7 on Fashion-MNIST (same training configuration)"))
let times = comparison.runs.map { "\($0.name): \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
nb.note(zh: "训练用时（随机器负载变化，不做快照）：\(times)", en: "Training time (varies with the machine's load, not snapshotted): \(times)")
//> Table: Fashion-MNIST 上的 3x3 堆叠与 7x7（相同训练配置）
//> design     params     MACs  train error  test error
//> ---------  ------  -------  -----------  ----------
//> 3x3 stack   14906  2096416       0.8672      0.8367
//> 7x7         14538  1544480       0.7227      0.6867

//: 表中的数字来自这次运行（快速模式只训练了很少的步数，数字只说明代码能跑通）。注意这里两种设计的参数量和 MACs 相差不大，堆叠甚至略多：第一段从 1 个通道开始，一个 $1 \to 8$ 的 7x7 卷积只有 $49 \cdot 8$ 个权重，而堆叠除了 $1 \to 8$ 的 3x3 卷积，还有两个 $8 \to 8$ 的卷积。$18C^2$ 对 $25C^2$ 的节省只在输入输出通道数相同时成立；第二段（$8 \to 16$）的 7x7 已经比三个 3x3 贵。在这么少的周期里，更深的堆叠（没有批归一化）可能比 7x7 训练得更慢；VGG 的作者也遇到过深层网络难以从随机初始化开始训练的问题，他们用训练好的浅层网络（配置 A）的权重初始化更深的配置。
//:en The numbers come from this run (quick mode trains very few steps, so there they only show that the code runs). Note that the two designs have similar parameters and MACs here, the stack even slightly more: the first stage starts from 1 channel, and a $1 \to 8$ 7x7 convolution has only $49 \cdot 8$ weights, while the stack adds two $8 \to 8$ convolutions to its $1 \to 8$ 3x3 one. The $18C^2$ against $25C^2$ saving holds when input and output channels are equal; in the second stage ($8 \to 16$) the 7x7 is already dearer than three 3x3. In so few epochs the deeper stack (without batch normalization) can train more slowly than the 7x7 design; VGG's authors met the same difficulty of training deep nets from random initialisation and initialised their deeper configurations with the weights of the trained shallow one (configuration A).

//: ## 学习率：ReduceLROnPlateau
//:en ## Learning rate: ReduceLROnPlateau

//: VGG 训练时，如果验证准确率不再提高，学习率就乘以 0.1。PyTorch 的 `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=0.0001, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-08)` 实现了这个规则：被监视的值连续超过 `patience` 次没有比最好值改善 `threshold`（相对），学习率就乘以 `factor`。引擎的 `ReduceLROnPlateau` 按同样的规则工作。这里把上面 7x7 网络训练时每一步的损失当作监视值（每一步当作一个“周期”；一批一批的噪声让规则有机会触发），用讲义中的参数模拟学习率：
//:en VGG multiplies the learning rate by 0.1 when the validation accuracy stops improving. PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=0.0001, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-08)` implements the rule: when the monitored value has failed for more than `patience` times to beat the best by `threshold` (relative), the rate is multiplied by `factor`. The engine's `ReduceLROnPlateau` follows the same rules. Here the training loss of each step of the 7x7 network above stands in for the monitored value (each step treated as an "epoch"; the batch-to-batch noise gives the rule a chance to fire), and the rates are simulated with the slide's parameters:
let trace = comparison.runs[1].stepLoss   // the 7x7 run, which trains from the start; one step = one "epoch"
let plateau = ReduceLROnPlateau.simulate(metrics: trace, initialRate: 0.01,
                                         .init(mode: .min, factor: 0.1, patience: 10, threshold: 1e-4,
                                               thresholdMode: .relative, cooldown: 0, minLR: 0, eps: 1e-8))
nb.show("reductions", plateau.events.count)
nb.show("final rate", plateau.rates.last!)
nb.figure(LineChart(xLabel: "step (one \"epoch\")", yLabel: "training loss",
                    series: [.init("loss", x: trace.indices.map { Double($0 + 1) }, y: trace)],
                    events: plateau.events.map { LineChart.Event(x: Double($0.epoch + 1), label: "÷10") },
                    legend: .none, size: Size(420, 220)),
          name: "fig-03-plateau-loss",
          caption: Bilingual(zh: "监视的损失和 ReduceLROnPlateau 降低学习率的位置（竖线）",
                             en: "The monitored loss and where ReduceLROnPlateau lowers the rate (vertical lines)"))
nb.figure(LineChart(xLabel: "step (\"epoch\")", yLabel: "log10 learning rate",
                    series: [.init("rate", x: plateau.rates.indices.map { Double($0) }, y: plateau.rates.map { log10(Double($0)) })],
                    legend: .none, size: Size(420, 160)),
          name: "fig-03-plateau-rate",
          caption: Bilingual(zh: "模拟得到的学习率（取以 10 为底的对数）", en: "The simulated learning rate (base-10 logarithm)"))
//> reductions: 0
//> final rate: 0.01000
//> Figure: fig-03-plateau-loss.pdf — 监视的损失和 ReduceLROnPlateau 降低学习率的位置（竖线）
//> Figure: fig-03-plateau-rate.pdf — 模拟得到的学习率（取以 10 为底的对数）

//: 规则只在连续超过 `patience` 个“周期”都没有比最好值低 $10^{-4}$（相对）时才触发；上面打印了这次模拟中降低的次数。损失还在每隔几步创新低时，规则不会触发；真正停滞时，每过 `patience` + 1 个周期没有新的最好值，学习率就再乘以 `factor`。实际训练中监视的是每个周期的验证指标，`patience` 也按周期计。
//:en The rule fires only when more than `patience` "epochs" in a row fail to beat the best by a relative $10^{-4}$; the number of reductions in this simulation is printed above. While the loss still sets a new low every few steps the rule stays quiet; once it truly stalls, the rate is multiplied by `factor` whenever `patience` + 1 epochs pass without a new best. Real training monitors a validation metric per epoch, and `patience` counts epochs.

//: ## 小结
//:en ## Takeaways

//: - 感受野按 $l_k = l_{k-1} + (f_k - 1) \prod_{i<k} s_i$ 逐层增长；VGG-16 的 conv5_3 与 pool5 的值见第 2 节的表。
//: - $n$ 个 3x3 卷积与一个 $(2n+1) \times (2n+1)$ 卷积感受野相同，权重 $18C^2$ 对 $25C^2$、$27C^2$ 对 $49C^2$，MACs 同比例。
//: - 有效感受野集中在中心，比理论感受野小得多。
//: - 验证指标停滞时把学习率乘以 0.1：ReduceLROnPlateau。
//:en - The receptive field grows layer by layer as $l_k = l_{k-1} + (f_k - 1) \prod_{i<k} s_i$; VGG-16's values at conv5_3 and pool5 are in the table of Section 2.
//:en - $n$ 3x3 convolutions see as far as one $(2n+1) \times (2n+1)$ convolution, with $18C^2$ against $25C^2$ and $27C^2$ against $49C^2$ weights, and MACs in the same proportion.
//:en - The effective receptive field concentrates at the centre and is much smaller than the theoretical one.
//:en - Multiply the rate by 0.1 when the validation metric stalls: ReduceLROnPlateau.
//- hide
nb.exercise(zh: "$C$ 个输入、$C$ 个输出通道：三个 3x3 卷积和一个 7x7 卷积各有多少权重（不计偏置）？感受野各是多少？",
            en: "With $C$ input and $C$ output channels: how many weights (no biases) do three 3x3 convolutions and one 7x7 convolution have? What are their receptive fields?",
            grader: "stack-vs-large-kernel")
nb.exercise(zh: "实现感受野公式：给定每层的卷积核大小和步长，返回每层的感受野；用 VGG-16 检查（conv5_3 为 196）。",
            en: "Implement the receptive-field formula: given each layer's kernel size and stride, return each layer's receptive field; check it on VGG-16 (196 at conv5_3).",
            grader: "code-receptive-field")
nb.finish()
