//: # L02 · LeNet-5 与 AlexNet
//:en # L02 · LeNet-5 and AlexNet

//: LeNet-5（LeCun 等，1998）是第一个采用“卷积-池化-卷积-池化”结构的网络，在 MNIST 上取得了极好的结果；它的激活函数是 tanh，梯度消失问题严重。AlexNet（Krizhevsky 等，2012）是第一个在图像识别任务上取得巨大成功的 CNN：卷积核尺寸大（11x11），第一次用 ReLU 作为非线性激活函数，用 LRN 加速训练，执行重叠池化，并把网络横跨两个 GPU，每个 GPU 上运行一半的通道。本课用引擎把这些说法逐一算出来、训练出来。
//:en LeNet-5 (LeCun et al., 1998) was the first network built as convolution-pooling-convolution-pooling, and it did very well on MNIST; its activation is tanh, which suffers badly from vanishing gradients. AlexNet (Krizhevsky et al., 2012) was the first CNN with a breakthrough on image recognition: large kernels (11x11), ReLU as the non-linearity for the first time, LRN to speed up training, overlapping pooling, and the network split across two GPUs, each running half of the channels. This lesson computes and trains each of these claims with the engine.

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

let nb = Notebook("l02-lenet-alexnet")
Random.seed(nb.seed)

//: ## LeNet-5：形状、参数与 MACs
//:en ## LeNet-5: shapes, parameters and MACs

//: `Analysis.summarize` 让模型对一个只有形状的输入跑一遍前向，逐层记下输出形状、参数量和乘加次数（MACs，只计卷积层和全连接层）。输入是 $1 \times 28 \times 28$ 的灰度图，第一层卷积补 2 圈零，所以特征图尺寸与论文的 32x32 输入相同。
//:en `Analysis.summarize` runs the model forward on a shape-only input and records, layer by layer, the output shape, the parameters and the multiply-accumulates (MACs, counted for conv and linear layers only). The input is a $1 \times 28 \times 28$ grey image; the first convolution pads by 2, so the feature maps have the sizes of the paper's 32x32 input.
let lenet = LeNet5(variant: .classic)
let lenetSummary = try Analysis.summarize(lenet, input: [1, 1, 28, 28], name: "LeNet-5")
let lenetRows = lenetSummary.layers.filter { $0.type != "Flatten" }
nb.table(header: ["layer", "type", "output", "params", "MACs"],
         rows: lenetRows.map { [$0.name, $0.type, $0.outputShape.dropFirst().map(String.init).joined(separator: "×"),
                                $0.parameters, $0.macs] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "LeNet-5 的逐层形状、参数量与 MACs", en: "LeNet-5 layer by layer: shapes, parameters, MACs"))
nb.show("total parameters", lenetSummary.total.parameters)
nb.show("total MACs", lenetSummary.total.macs)
//> Table: LeNet-5 的逐层形状、参数量与 MACs
//> layer         type       output    params    MACs
//> ------------  ---------  --------  ------  ------
//> features.0    Conv2D     6×28×28      156  117600
//> features.1    Tanh       6×28×28        0       0
//> features.2    AvgPool2D  6×14×14        0       0
//> features.3    Conv2D     16×10×10    2416  240000
//> features.4    Tanh       16×10×10       0       0
//> features.5    AvgPool2D  16×5×5         0       0
//> classifier.1  Linear     120        48120   48000
//> classifier.2  Tanh       120            0       0
//> classifier.3  Linear     84         10164   10080
//> classifier.4  Tanh       84             0       0
//> classifier.5  Linear     10           850     840
//> total parameters: 61706
//> total MACs: 416520

//: 卷积层的参数只有 $5 \times 5 \times C_{in} \times C_{out}$ 个权重加偏置，却占了大部分计算；全连接层正相反。下图把同一张表画成层叠图。
//:en The conv layers own few parameters ($5 \times 5 \times C_{in} \times C_{out}$ weights plus biases) yet do most of the computation; the fully connected layers are the opposite. The figure draws the same table as a layer stack.
func blockKind(_ type: String) -> BlockKind {
    switch type {
    case "Conv2D": .conv
    case "AvgPool2D", "MaxPool2D": .pool
    case "Linear": .dense
    case "LocalResponseNorm": .norm
    case "Dropout": .dropout
    default: .activation
    }
}
let stack = [LayerStackDiagram.Layer("input", kind: .input, detail: "1×28×28", outputShape: [1, 1, 28, 28])]
    + lenetRows.filter { $0.type != "Tanh" }.map { row in
        LayerStackDiagram.Layer(row.name, kind: blockKind(row.type), detail: "\(row.type), \(row.parameters) params",
                                outputShape: row.outputShape)
    }
nb.figure(LayerStackDiagram(layers: stack), name: "fig-02-lenet-stack",
          caption: Bilingual(zh: "LeNet-5 的层叠图（形状与参数量来自引擎）",
                             en: "LeNet-5 as a layer stack (shapes and parameter counts from the engine)"))
//> Figure: fig-02-lenet-stack.pdf — LeNet-5 的层叠图（形状与参数量来自引擎）

//: ## tanh 与 ReLU
//:en ## tanh versus ReLU

//: tanh 的导数 $1 - \tanh^2(x)$ 最大为 1，输入稍大就接近 0；反向传播时每经过一层都要乘上它，越靠前的层梯度越小。ReLU 在正半轴上导数恒为 1。先看初始化时同一批数据在各层权重上产生的梯度范数（把 LeNet-5 的 tanh 换成 ReLU，其余不变）。
//:en The derivative of tanh, $1 - \tanh^2(x)$, is at most 1 and close to 0 once the input is moderately large; backpropagation multiplies by it at every layer, so the earlier the layer, the smaller its gradient. ReLU's derivative is exactly 1 on the positive half-axis. First, the gradient norms that one batch produces on each layer's weights at initialisation (LeNet-5 with tanh replaced by ReLU, everything else unchanged).
/// LeNet-5 with a chosen activation and average pooling (only the non-linearity differs).
func lenet5(activation: String) -> Module {
    func act() -> Module { activation == "tanh" ? Tanh() : ReLU() }
    return Sequential(
        Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 2), act(), AvgPool2D(kernelSize: 2),
        Conv2D(inputChannels: 6, outputChannels: 16, kernelSize: 5), act(), AvgPool2D(kernelSize: 2), Flatten(),
        Linear(inputFeatures: 400, outputFeatures: 120), act(),
        Linear(inputFeatures: 120, outputFeatures: 84), act(),
        Linear(inputFeatures: 84, outputFeatures: 10))
}
let train = try FashionMNIST.load(.train).tensors(count: nb.isQuick ? 1024 : 12000)
let test = try FashionMNIST.load(.test).tensors(count: nb.isQuick ? 500 : 5000)
nb.show("training / test images", [train.labels.count, test.labels.count])

var gradientRows: [[any CustomStringConvertible]] = []
var gradientNorms: [String: [Double]] = [:]
for activation in ["tanh", "ReLU"] {
    Random.seed(nb.seed)
    let net = lenet5(activation: activation)
    let batch = Tensor(shape: [128, 1, 28, 28], values: Array(train.images.scalars[0..<(128 * 784)]))
    crossEntropy(logits: net(batch), labels: Array(train.labels[0..<128])).backward()
    let weights = net.namedParameters().filter { $0.name.hasSuffix("weight") }
    gradientNorms[activation] = weights.map { w in Double(w.tensor.grad!.scalars.reduce(0) { $0 + $1 * $1 }).squareRoot() }
}
for (i, name) in ["conv1", "conv2", "fc1", "fc2", "fc3"].enumerated() {
    gradientRows.append([name, gradientNorms["tanh"]![i], gradientNorms["ReLU"]![i]])
}
nb.table(header: ["weights", "‖∇‖ tanh", "‖∇‖ ReLU"], rows: gradientRows,
         caption: Bilingual(zh: "初始化时各层权重的梯度范数（同一批 128 张图）",
                            en: "Gradient norm of each layer's weights at initialisation (one batch of 128 images)"))
nb.show("conv1 / fc3 gradient, tanh", gradientNorms["tanh"]![0] / gradientNorms["tanh"]![4])
nb.show("conv1 / fc3 gradient, ReLU", gradientNorms["ReLU"]![0] / gradientNorms["ReLU"]![4])
//> training / test images: [1024, 500]
//> Table: 初始化时各层权重的梯度范数（同一批 128 张图）
//> weights  ‖∇‖ tanh  ‖∇‖ ReLU
//> -------  --------  --------
//> conv1     0.04503  0.008130
//> conv2     0.06270   0.02846
//> fc1       0.08866   0.04252
//> fc2       0.05174   0.01923
//> fc3       0.05243   0.02435
//> conv1 / fc3 gradient, tanh: 0.8589
//> conv1 / fc3 gradient, ReLU: 0.3338

//: 接着按 AlexNet 的训练配置训练两种网络：带动量的 SGD（讲义的形式 $v^{t+1} = \mu v^t - \alpha \nabla_W L$，$W^{t+1} = W^t + v^{t+1}$，动量因子 $\mu = 0.9$），学习率 0.01，权重衰减 $5 \times 10^{-4}$，批量大小 128。训练代码见 LessonKit 模块（Sources/LessonKit）中的 `trainRun`：每一步记录这一批的训练误差。快速模式只用一小部分数据训练少量步数，完整模式训练几个周期。
//:en Next, train both networks with AlexNet's configuration: SGD with momentum (the slide's form $v^{t+1} = \mu v^t - \alpha \nabla_W L$, $W^{t+1} = W^t + v^{t+1}$, momentum $\mu = 0.9$), learning rate 0.01, weight decay $5 \times 10^{-4}$, batch size 128. The training code is `trainRun` in the LessonKit module (Sources/LessonKit): every step records the training error of its batch. Quick mode trains a few steps on a small subset; full mode trains a few epochs.
let activationEpochs = nb.isQuick ? 3 : 4
let activationRuns = try nb.cached("tanh-vs-relu", activationEpochs, train.labels.count, after: []) {
    ["tanh", "ReLU"].map { activation -> TrainingRun in
        Random.seed(nb.seed)
        return trainRun(activation, lenet5(activation: activation), on: train, test: test,
                        recipe: .alexNet(epochs: activationEpochs, learningRate: 0.01), seed: nb.seed &+ 7)
    }
}
let window = nb.isQuick ? 2 : 15
nb.figure(LineChart(xLabel: "step", yLabel: "training error (batch, windowed)",
                    series: activationRuns.map { run in
                        let y = windowMeans(run.stepError, width: window)
                        return LineChart.Series(run.name, x: y.indices.map { Double(($0 + 1) * window) }, y: y,
                                                dashed: run.name == "tanh")
                    }, legend: .topRight, size: Size(400, 240)),
          name: "fig-02-tanh-relu",
          caption: Bilingual(zh: "LeNet-5 在 Fashion-MNIST 上的训练误差：tanh（虚线）与 ReLU（实线），每 \(window) 步取平均",
                             en: "Training error of LeNet-5 on Fashion-MNIST: tanh (dashed) and ReLU (solid), averaged over \(window) steps"))
//> Figure: fig-02-tanh-relu.pdf — LeNet-5 在 Fashion-MNIST 上的训练误差：tanh（虚线）与 ReLU（实线），每 2 步取平均

//: AlexNet 论文的图 1 用“训练误差降到 25% 需要多少轮”来比较两种激活函数。下面对我们的曲线做同样的读数（取 ReLU 最终误差与 25% 中较大的一个作为目标，保证两条曲线都有机会到达）。
//:en Figure 1 of the AlexNet paper compares the two activations by how long each takes to reach a 25% training error. The same reading of our curves (the target is the larger of 25% and ReLU's final error, so that both curves can reach it):
let target = max(0.25, activationRuns[1].trainError.last!)
let stepsTanh = stepsToReach(target, in: activationRuns[0].stepError, width: window)
let stepsReLU = stepsToReach(target, in: activationRuns[1].stepError, width: window)
nb.table(header: ["activation", "train error per epoch", "test error per epoch", "steps to target"],
         rows: zip(activationRuns, [stepsTanh, stepsReLU]).map { run, steps in
             [run.name, run.trainError, run.testError, steps.map { String($0) } ?? "not reached"] as [any CustomStringConvertible]
         },
         caption: Bilingual(zh: "tanh 与 ReLU：每个周期末的误差与到达目标所需步数",
                            en: "tanh and ReLU: errors at the end of each epoch and steps to the target"))
nb.show("target training error", target)
if let t = stepsTanh, let r = stepsReLU { nb.show("speed-up of ReLU (steps tanh / steps ReLU)", Double(t) / Double(r)) }
else {
    let missed = zip(activationRuns, [stepsTanh, stepsReLU]).filter { $0.1 == nil }.map(\.0.name)
    nb.show("did not reach the target within the run", missed)
}
//> Table: tanh 与 ReLU：每个周期末的误差与到达目标所需步数
//> activation  train error per epoch     test error per epoch      steps to target
//> ----------  ------------------------  ------------------------  ---------------
//> tanh        [0.8799, 0.8721, 0.8623]  [0.8920, 0.8920, 0.8680]                2
//> ReLU        [0.9092, 0.8760, 0.8799]  [0.9080, 0.8760, 0.8840]               16
//> target training error: 0.8799
//> speed-up of ReLU (steps tanh / steps ReLU): 0.1250

//: 论文在一个 4 层 CNN（CIFAR-10）上测得 ReLU 快 6 倍。在 5 层的 LeNet-5 上，上表的读数可能小得多，甚至 tanh 更快：梯度范数表显示，在 PyTorch 默认初始化下 tanh 的输入很小，tanh 几乎是线性的，初始化时 tanh 网络前面几层的梯度并不比 ReLU 网络小。梯度消失出现在 tanh 饱和之后：$|x|$ 变大时 $1 - \tanh^2(x)$ 趋于 0，层数越多，这些小因子相乘得越多；ReLU 的优势在更深、更大的网络（如 AlexNet）上才明显。
//:en The paper measured ReLU to be six times faster on a 4-layer CNN (CIFAR-10). On the 5-layer LeNet-5 the reading of the table above can be much smaller, or even favour tanh: the gradient-norm table shows that under PyTorch's default initialisation the tanh inputs are small, tanh is almost linear, and at initialisation the early layers of the tanh network do not receive smaller gradients than the ReLU network's. Vanishing gradients set in once tanh saturates: as $|x|$ grows, $1 - \tanh^2(x)$ goes to 0, and the more layers, the more such small factors are multiplied; ReLU's advantage shows on deeper, larger networks such as AlexNet.

//: ## AlexNet 第一层的 MACs
//:en ## MACs of AlexNet's first layer

//: 讲义问：第一个卷积层的 MAC 数是多少？每个输出元素需要 $11 \times 11 \times 3$ 次乘加，输出有 $55 \times 55 \times 96$ 个元素。按公式计算，再让引擎对原版 AlexNet（输入 227x227，参见 Zoo 中的说明）做一遍汇总，两者必须相同。
//:en The slide asks: how many MACs does the first conv layer take? Each output element needs $11 \times 11 \times 3$ multiply-accumulates and there are $55 \times 55 \times 96$ outputs. Compute it from the formula, then let the engine summarize the original AlexNet (227x227 input, see the note in the Zoo); the two must agree.
let formulaMACs = 11 * 11 * 3 * 55 * 55 * 96
let alexnet = AlexNet()
let alexSummary = try Analysis.summarize(alexnet, input: [1, 3, 227, 227], name: "AlexNet")
let conv1 = alexSummary.layers[0]
nb.show("11·11·3·55·55·96", formulaMACs)
nb.show("engine: \(conv1.name) output", conv1.outputShape)
nb.show("engine: \(conv1.name) MACs", conv1.macs)
nb.show("equal", formulaMACs == conv1.macs)
nb.show("in millions (the slide's 105.4M)", Double(conv1.macs) / 1e6)
//> 11·11·3·55·55·96: 105415200
//> engine: features.0 output: [1, 96, 55, 55]
//> engine: features.0 MACs: 105415200
//> equal: true
//> in millions (the slide's 105.4M): 105.4

//: 整个 AlexNet 的卷积层和全连接层如下表。卷积层的参数只占一小部分，MACs 却主要来自卷积层。
//:en The conv and fully connected layers of the whole AlexNet are below. The conv layers hold a small share of the parameters but most of the MACs.
let alexRows = alexSummary.layers.filter { $0.type == "Conv2D" || $0.type == "Linear" }
nb.table(header: ["layer", "type", "output", "params", "MACs"],
         rows: alexRows.map { [$0.name, $0.type, $0.outputShape.dropFirst().map(String.init).joined(separator: "×"),
                               $0.parameters, $0.macs] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "原版 AlexNet 的卷积层与全连接层", en: "Conv and fully connected layers of the original AlexNet"))
let convMACs = alexRows.filter { $0.type == "Conv2D" }.reduce(0) { $0 + $1.macs }
nb.show("total parameters", alexSummary.total.parameters)
nb.show("total MACs", alexSummary.total.macs)
nb.show("share of MACs in conv layers", Double(convMACs) / Double(alexSummary.total.macs))
//> Table: 原版 AlexNet 的卷积层与全连接层
//> layer         type    output       params       MACs
//> ------------  ------  ---------  --------  ---------
//> features.0    Conv2D  96×55×55      34944  105415200
//> features.4    Conv2D  256×27×27    307456  223948800
//> features.8    Conv2D  384×13×13    885120  149520384
//> features.10   Conv2D  384×13×13    663936  112140288
//> features.12   Conv2D  256×13×13    442624   74760192
//> classifier.1  Linear  4096       37752832   37748736
//> classifier.4  Linear  4096       16781312   16777216
//> classifier.6  Linear  1000        4097000    4096000
//> total parameters: 60965224
//> total MACs: 724406816
//> share of MACs in conv layers: 0.9191

//: ## LRN
//:en ## LRN

//: AlexNet 在 conv1 和 conv2 的 ReLU 之后各有一层 LRN（$k = 2, n = 5, \alpha = 10^{-4}, \beta = 0.75$）。公式、讲义的例子（0.5）和各框架的约定见第 1 课 L01。
//:en AlexNet puts an LRN layer after the ReLU of conv1 and of conv2 ($k = 2, n = 5, \alpha = 10^{-4}, \beta = 0.75$). The formula, the slide's worked example (0.5) and the frameworks' conventions are in lesson L01.
let lrnCheck = localResponseNorm(Tensor.ones([1, 4, 1, 1]), size: 2, alpha: 1, beta: 1, k: 0, convention: .krizhevsky)
nb.show("slide's example, b[0]", lrnCheck.scalars[0])
nb.show("LRN layers in AlexNet", alexSummary.layers.filter { $0.type == "LocalResponseNorm" }.map(\.name))
//> slide's example, b[0]: 0.5000
//> LRN layers in AlexNet: ["features.2", "features.6"]

//: ## 重叠池化
//:en ## Overlapping pooling

//: AlexNet 的池化窗口（3x3）比步长（2）大，相邻窗口有重叠。输出尺寸 $\lfloor (H - k)/s \rfloor + 1$ 由引擎算出：在 AlexNet 的三个池化位置上，3x3/2 与不重叠的 2x2/2 给出同样大小的输出，重叠池化并不多花输出尺寸，只是每个输出看到更多输入。
//:en AlexNet's pooling window (3x3) is larger than its stride (2), so neighbouring windows overlap. The output size $\lfloor (H - k)/s \rfloor + 1$ comes from the engine: at AlexNet's three pooling sites, 3x3/2 and the non-overlapping 2x2/2 give outputs of the same size; overlapping costs no output resolution, each output simply sees more inputs.
let poolRows = [55, 27, 13].map { size -> [any CustomStringConvertible] in
    let x = Tensor.zeros([1, 1, size, size])
    let overlapping = MaxPool2D(kernelSize: 3, stride: 2)(x).shape[2]
    let plain = MaxPool2D(kernelSize: 2, stride: 2)(x).shape[2]
    return [size, overlapping, plain]
}
nb.table(header: ["input H = W", "3×3 stride 2", "2×2 stride 2"], rows: poolRows,
         caption: Bilingual(zh: "池化输出尺寸（引擎计算）", en: "Pooling output sizes (computed by the engine)"))
//> Table: 池化输出尺寸（引擎计算）
//> input H = W  3×3 stride 2  2×2 stride 2
//> -----------  ------------  ------------
//>          55            27            27
//>          27            13            13
//>          13             6             6

//: ## 双塔结构即分组卷积
//:en ## The two towers as grouped convolution

//: AlexNet 把 conv2、conv4、conv5 的通道分在两块 GPU 上，每个滤波器只看同一块 GPU 上的一半输入通道。这就是 `groups = 2` 的分组卷积：权重形状从 $[F, C, k, k]$ 变成 $[F, C/2, k, k]$。以 conv2（96 → 256，5x5）为例：
//:en AlexNet splits the channels of conv2, conv4 and conv5 across two GPUs; each filter sees only the half of the input channels on its own GPU. That is a grouped convolution with `groups = 2`: the weight shape goes from $[F, C, k, k]$ to $[F, C/2, k, k]$. For conv2 (96 → 256, 5x5):
var groupRows: [[any CustomStringConvertible]] = []
var groupCounts: [Int] = []
for groups in [1, 2] {
    let conv = Conv2D(inputChannels: 96, outputChannels: 256, kernelSize: 5, padding: 2, groups: groups)
    let summary = try Analysis.summarize(conv, input: [1, 96, 27, 27])
    groupCounts.append(conv.weight.count)
    groupRows.append([groups, conv.weight.shape, conv.weight.count, conv.parameterCount, summary.total.macs])
}
nb.table(header: ["groups", "weight shape", "weights", "params (with bias)", "MACs"], rows: groupRows,
         caption: Bilingual(zh: "conv2 不分组与分两组", en: "conv2 with one group and with two"))
nb.show("weights ratio (groups 2 / groups 1)", Double(groupCounts[1]) / Double(groupCounts[0]))
//> Table: conv2 不分组与分两组
//> groups  weight shape     weights  params (with bias)       MACs
//> ------  ---------------  -------  ------------------  ---------
//>      1  [256, 96, 5, 5]   614400              614656  447897600
//>      2  [256, 48, 5, 5]   307200              307456  223948800
//> weights ratio (groups 2 / groups 1): 0.5000

//: 权重和 MACs 都正好减半（偏置不变）。下面两图是 conv2 的连接矩阵：行是 256 个输出滤波器，列是 96 个输入通道，亮的格子表示该滤波器使用该输入通道；分两组后只剩对角线上的两块，也就是两块 GPU。
//:en Weights and MACs are exactly halved (the biases stay). The two figures show conv2's connectivity: rows are the 256 output filters, columns the 96 input channels, a bright cell means the filter uses that channel; with two groups only the two diagonal blocks remain, one per GPU.
func connectivity(_ conv: Conv2D) -> Grid {
    let perGroupIn = conv.weight.shape[1], perGroupOut = conv.outputChannels / conv.groups
    var values: [Double] = []
    for f in 0..<conv.outputChannels {
        for c in 0..<conv.inputChannels { values.append(c / perGroupIn == f / perGroupOut ? 1 : 0) }
    }
    return Grid(rows: conv.outputChannels, columns: conv.inputChannels, values: values)
}
for groups in [1, 2] {
    // A fixed 0...1 range: a grid of all ones must read as "all connected", not as a mid-grey.
    nb.figure(Heatmap(title: groups == 1 ? "groups = 1" : "groups = 2 (two towers)",
                      grid: connectivity(Conv2D(inputChannels: 96, outputChannels: 256, kernelSize: 5, groups: groups)),
                      colormap: .viridis, range: 0...1, colorBarLabel: "connected", size: Size(230, 280)),
              name: "fig-02-grouped-conv-\(groups)",
              caption: Bilingual(zh: "AlexNet conv2 的连接矩阵（groups = \(groups)）：行为输出滤波器（256），列为输入通道（96）",
                                 en: "Connectivity of AlexNet's conv2 (groups = \(groups)): rows are output filters (256), columns input channels (96)"))
}
//> Figure: fig-02-grouped-conv-1.pdf — AlexNet conv2 的连接矩阵（groups = 1）：行为输出滤波器（256），列为输入通道（96）
//> Figure: fig-02-grouped-conv-2.pdf — AlexNet conv2 的连接矩阵（groups = 2）：行为输出滤波器（256），列为输入通道（96）

//: ## Dropout 与重叠池化：训练误差与测试误差之差
//:en ## Dropout and overlapping pooling: the gap between training and test error

//: AlexNet 在前两个全连接层前用 dropout（丢弃率 0.5，最后一层 FC 没有）。讲义也说重叠池化“不容易过拟合”。用一个小的 AlexNet 式网络在少量训练图像上做 2x2 实验：池化 3x3/2 或 2x2/2，dropout 0.5 或不用；训练配置与上面相同。过拟合的程度用“测试误差减训练误差”衡量。
//:en AlexNet applies dropout (rate 0.5) before its first two fully connected layers (not the last). The slide also says overlapping pooling makes overfitting less likely. A 2x2 experiment with a small AlexNet-style network on few training images: pooling 3x3/2 or 2x2/2, dropout 0.5 or none; the training configuration as above. Overfitting is measured as test error minus training error.
/// conv(8, 5x5) - ReLU - pool - conv(16, 5x5) - ReLU - pool - [dropout] - fc 128 - ReLU - [dropout] - fc 10.
func smallAlexNet(poolKernel: Int, dropout: Float) -> Module {
    let features = Sequential(
        Conv2D(inputChannels: 1, outputChannels: 8, kernelSize: 5, padding: 2), ReLU(), MaxPool2D(kernelSize: poolKernel, stride: 2),
        Conv2D(inputChannels: 8, outputChannels: 16, kernelSize: 5, padding: 2), ReLU(), MaxPool2D(kernelSize: poolKernel, stride: 2),
        Flatten())
    let flat = features(Tensor.zeros([1, 1, 28, 28])).shape[1]
    return Sequential(features, Dropout(probability: dropout), Linear(inputFeatures: flat, outputFeatures: 128), ReLU(),
                      Dropout(probability: dropout), Linear(inputFeatures: 128, outputFeatures: 10))
}
let gapImages = nb.isQuick ? 384 : 2000, gapEpochs = nb.isQuick ? 2 : 10
let gapRuns = try nb.cached("dropout-pooling-gap", gapImages, gapEpochs, after: []) {
    let small = (images: Tensor(shape: [gapImages, 1, 28, 28], values: Array(train.images.scalars[0..<(gapImages * 784)])),
                 labels: Array(train.labels[0..<gapImages]))
    let testCount = min(2000, test.labels.count)
    let testSmall = (images: Tensor(shape: [testCount, 1, 28, 28], values: Array(test.images.scalars[0..<(testCount * 784)])),
                     labels: Array(test.labels[0..<testCount]))
    return [(3, Float(0)), (3, Float(0.5)), (2, Float(0)), (2, Float(0.5))].map { pool, p -> TrainingRun in
        Random.seed(nb.seed)
        return trainRun("pool \(pool)×\(pool)/2, dropout \(p)", smallAlexNet(poolKernel: pool, dropout: p),
                        on: small, test: testSmall, recipe: .alexNet(epochs: gapEpochs, learningRate: 0.01), seed: nb.seed &+ 11)
    }
}
nb.table(header: ["configuration", "params", "train error", "test error", "gap"],
         rows: gapRuns.map { [$0.name, $0.parameters, $0.trainError.last!, $0.testError.last!,
                              $0.testError.last! - $0.trainError.last!] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "小 AlexNet 式网络：池化方式与 dropout 对训练/测试误差之差的影响",
                            en: "A small AlexNet-style network: pooling and dropout against the train/test gap"))
nb.figure(LineChart(xLabel: "epoch", yLabel: "test error − training error",
                    series: gapRuns.map { run in
                        LineChart.Series(run.name, x: run.testError.indices.map { Double($0 + 1) },
                                         y: zip(run.testError, run.trainError).map { $0 - $1 },
                                         marker: .circle, dashed: run.name.hasSuffix("0.0"))
                    }, legend: .topLeft, size: Size(400, 240)),
          name: "fig-02-gap",
          caption: Bilingual(zh: "训练/测试误差之差随周期的变化（虚线：不用 dropout）",
                             en: "Train/test gap per epoch (dashed: no dropout)"))
//> Table: 小 AlexNet 式网络：池化方式与 dropout 对训练/测试误差之差的影响
//> configuration            params  train error  test error       gap
//> -----------------------  ------  -----------  ----------  --------
//> pool 3×3/2, dropout 0.0   78570       0.8698      0.8760  0.006208
//> pool 3×3/2, dropout 0.5   78570       0.8854      0.8960   0.01058
//> pool 2×2/2, dropout 0.0  105194       0.8828      0.9060   0.02319
//> pool 2×2/2, dropout 0.5  105194       0.8828      0.9060   0.02319
//> Figure: fig-02-gap.pdf — 训练/测试误差之差随周期的变化（虚线：不用 dropout）

//: 表和图中的数字来自这次运行。dropout 在训练时随机丢掉一半的全连接输入，训练误差因此下降得更慢，但测试误差与训练误差之差通常更小；两种池化之间的差别要小得多，在这么小的实验里可能被随机性淹没——论文报告重叠池化把 top-1 错误率降低了 0.4%，这是在 ImageNet 规模上才看得出的效果。
//:en The numbers in the table and the figure come from this run. Dropout randomly removes half of the fully connected inputs during training, so the training error falls more slowly, but the gap between test and training error is usually smaller; the difference between the two poolings is much smaller and can drown in the noise of an experiment this small: the paper reports that overlapping pooling lowered the top-1 error by 0.4%, an effect that shows at ImageNet scale.

//: ## AlexNet 的训练配置
//:en ## AlexNet's training configuration

//: 本课所有训练都用了讲义中的配置（数据扩充除外）：
//:en Every training run of this lesson used the slide's configuration (apart from data augmentation):
let recipe = SGD(model: lenet, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4, form: .slide)
nb.table(header: ["setting", "value"],
         rows: [["batch size", 128], ["initial learning rate", recipe.learningRate], ["momentum μ", recipe.momentum],
                ["weight decay", recipe.groups[0].weightDecay], ["update", "v ← μv − α∇L, W ← W + v (\(recipe.form.rawValue))"],
                ["dropout (FC, not the last)", 0.5]],
         caption: Bilingual(zh: "AlexNet 的训练配置", en: "AlexNet's training configuration"))
//> Table: AlexNet 的训练配置
//> setting                     value
//> --------------------------  -------------------------------
//> batch size                  128
//> initial learning rate       0.01000
//> momentum μ                  0.9000
//> weight decay                0.0005000
//> update                      v ← μv − α∇L, W ← W + v (slide)
//> dropout (FC, not the last)  0.5000

//: ## 小结
//:en ## Takeaways

//: - LeNet-5 的参数主要在全连接层，计算主要在卷积层；AlexNet 也是如此，只是规模大得多。
//: - ReLU 的导数在正半轴恒为 1，不会像饱和的 tanh 那样一层层缩小梯度；在浅的 LeNet-5 上两者差别不大，论文的 6 倍是在更深的网络上测得的。
//: - AlexNet 第一层的 MACs 按 $11 \times 11 \times 3 \times 55 \times 55 \times 96$ 计算，与引擎的统计完全一致。
//: - 双塔结构就是 `groups = 2` 的分组卷积，权重和 MACs 减半。
//: - Dropout 缩小训练误差与测试误差之差；重叠池化不改变输出尺寸。
//:en - LeNet-5's parameters sit mostly in the fully connected layers and its computation in the conv layers; so do AlexNet's, at a far larger scale.
//:en - ReLU's derivative is 1 on the positive half-axis, so it does not shrink the gradient layer after layer as a saturated tanh does; on the shallow LeNet-5 the two are close; the paper's six-fold speed-up was measured on a deeper network.
//:en - The MACs of AlexNet's first layer, $11 \times 11 \times 3 \times 55 \times 55 \times 96$, agree exactly with the engine's count.
//:en - The two towers are a grouped convolution with `groups = 2`: weights and MACs are halved.
//:en - Dropout narrows the gap between training and test error; overlapping pooling does not change the output size.
//- hide
nb.exercise(zh: "输入 $3 \\times 227 \\times 227$，卷积核 $11 \\times 11$、步长 4、不补零、96 个滤波器：输出形状是什么？",
            en: "Input $3 \\times 227 \\times 227$, an $11 \\times 11$ kernel, stride 4, no padding, 96 filters: what is the output shape?",
            grader: "conv-output-shape")
nb.exercise(zh: "同一层有多少个权重（含偏置）？", en: "How many weights (with biases) does that layer have?",
            grader: "conv-weights")
nb.exercise(zh: "同一层需要多少次乘加（MACs）？", en: "How many multiply-accumulates (MACs) does that layer take?",
            grader: "conv-macs")
nb.exercise(zh: "AlexNet 的 conv4（384 → 384，3x3，groups = 2）有多少个参数？不分组时呢？",
            en: "How many parameters does AlexNet's conv4 (384 → 384, 3x3, groups = 2) have? And without groups?",
            grader: "grouped-conv-weights")
nb.exercise(zh: "$27 \\times 27$ 的特征图经过 3x3、步长 2 的最大池化，输出尺寸是多少？",
            en: "A $27 \\times 27$ feature map goes through 3x3 max pooling with stride 2: what is the output size?",
            grader: "pool-output-size")
nb.exercise(zh: "按讲义的 LRN 公式，$N = 4$、$(k, \\alpha, \\beta, n) = (0, 1, 1, 2)$、四个通道都为 1 时，通道 1 的输出是多少？",
            en: "With the slide's LRN formula, $N = 4$, $(k, \\alpha, \\beta, n) = (0, 1, 1, 2)$ and all four channels equal to 1, what is the output of channel 1?",
            grader: "lrn-value")
nb.exercise(zh: "实现 Krizhevsky 约定的 LRN 前向计算，并用讲义的例子（0.5）检查。",
            en: "Implement the forward pass of LRN in Krizhevsky's convention and check it on the slide's example (0.5).",
            grader: "code-lrn-forward")
nb.finish()
