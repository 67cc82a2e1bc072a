//: # L05 · CNN 架构总结
//:en # L05 · Summary of the CNN architectures

//: 讲义用几张表总结了 AlexNet、VGG、GoogLeNet、ResNet 和 DenseNet：是否单一路径、是否用小卷积核、有多深；输入大小、参数量、MACs；以及一张来自综述论文（Sze 等，2017，“TABLE II”）的详细指标表。本课不抄这些表，而是用引擎从模型库（zoo）里的实现重新生成它们；数字和讲义不同的地方，算出差多少，并说明原因。最后画出 ILSVRC 历年冠军的 top-5 错误率，以及 torchvision 模型公开的 top-1 精度与 MACs 的关系。
//:en The lecture sums up AlexNet, VGG, GoogLeNet, ResNet and DenseNet in a few tables: single path or not, small kernels or not, how deep; input size, parameter size and MACs; and a detailed table of metrics from a survey paper (Sze et al., 2017, "TABLE II"). This lesson does not copy those tables: it regenerates them with the engine from the implementations in the model zoo, and where the numbers differ from the slides it computes by how much and explains why. At the end come the ILSVRC winners' top-5 error by year and the published top-1 accuracy of torchvision's models against their MACs.

//- hide
import Analysis
import CNN
import Foundation
import Notebook
import Render
import Weave
import Zoo

let nb = Notebook("l05-summary")
Random.seed(nb.seed)

//: ## 怎样测量
//:en ## How the figures are measured

//: 每个模型在一个“元张量”（只有形状，没有数值）上前向一遍。`Analysis.summarize` 数参数和 MACs（卷积和全连接层的乘加次数，一次乘加记 1 MAC）；另一个小的跟踪器（`DepthTracer`，见本课的 Architecture.swift）沿数据流记录每个张量之前最长路径上的卷积层和全连接层个数，并看网络里有没有 `add`（残差）或 `concat`（多分支、密集连接）——有就不是单一路径。模型要分配真实的权重，较大的网络要花几秒，所以结果存进实验缓存。
//:en Each model runs one forward pass on a "meta tensor" (shapes only, no values). `Analysis.summarize` counts parameters and MACs (multiply-accumulates of conv and fully connected layers, one multiply-add = 1 MAC); a small tracer (`DepthTracer`, in this lesson's Architecture.swift) follows the data flow, counting the conv and linear layers on the longest path to every tensor, and notes whether the network has an `add` (residual) or a `concat` (branches, dense connections), which makes it not a single path. The models allocate real weights, which takes seconds for the big ones, so the results go into the experiment cache.
let names = ["lenet5", "alexnet", "alexnet_original", "vgg16", "vgg19", "googlenet",
             "googlenet_original", "inception_v3", "resnet18", "resnet34", "resnet50",
             "resnet152", "densenet121", "densenet264"]
// Variants by options: auxiliary classifiers on, and ResNet-50 with the paper's stride (v1).
let variants: [(String, String, ZooOptions)] = [
    ("googlenet+aux", "googlenet", ZooOptions(auxiliaryHeads: true)),
    ("googlenet_original+aux", "googlenet_original", ZooOptions(auxiliaryHeads: true)),
    ("resnet50 v1", "resnet50", ZooOptions(stride: .v1)),
]
let cards = try nb.cached("architecture-cards", names, after: []) {
    () -> [String: ArchitectureCard] in
    var out: [String: ArchitectureCard] = [:]
    for name in names {
        out[name] = try architectureCard(try Zoo.model(named: name), name: name,
                                         input: Zoo.entry(named: name)!.inputShape)
    }
    for (label, name, options) in variants {
        out[label] = try architectureCard(try Zoo.model(named: name, options: options),
                                          name: label, input: [3, 224, 224])
    }
    return out
}
func card(_ name: String) -> ArchitectureCard { cards[name]! }
nb.show("ResNet-50 parameters", grouped(card("resnet50").totalWeights))
nb.show("VGG-16 parameters", grouped(card("vgg16").totalWeights))
//> ResNet-50 parameters: 25,557,032
//> VGG-16 parameters: 138,357,544

//: ## 表一：路径、卷积核、深度
//:en ## Table 1: paths, kernels, depth

//: 深度按讲义的习惯数“带权重的层”（卷积层和全连接层）在最长路径上的个数：AlexNet 的 8 层、VGG 的 16/19 层、GoogLeNet 的 22 层都是这样数的。“小卷积核”一列给出卷积核尺寸的集合和 $k \le 3$ 的卷积层所占的比例：ResNet 和 DenseNet 只有第一层是 7x7，其余都是 1x1 或 3x3；GoogLeNet v1 有 5x5（torchvision 的版本把它换成了 3x3），Inception-v3 用分解后的 1x7、7x1。DenseNet-264 数出来是 265 层：按它的配置（6、12、64、48 个稠密层）$1 + 2 \times 130 + 3 + 1 = 265$，名字里的 264 少算了一层，这是该网络命名上一个已知的出入。
//:en Depth is counted the way the lecture does, as the number of layers with weights (conv and fully connected) on the longest path: that is how AlexNet has 8 layers, VGG 16/19 and GoogLeNet 22. The "small kernels" column gives the set of kernel sizes and the share of conv layers with $k \le 3$: ResNet and DenseNet have a single 7x7 layer at the input and 1x1 or 3x3 elsewhere; GoogLeNet v1 has 5x5 (torchvision's version replaced them with 3x3), Inception-v3 uses the factorised 1x7 and 7x1. DenseNet-264 counts 265 layers: its configuration (6, 12, 64, 48 dense layers) gives $1 + 2 \times 130 + 3 + 1 = 265$, one more than its name, a known quirk of that network's naming.
//- fold the slide's values; table
let table1 = ["alexnet_original", "vgg16", "vgg19", "googlenet_original", "inception_v3", "resnet34", "resnet152",
              "densenet121", "densenet264"]
let slideTable1 = ["alexnet_original": ("yes", "no", "8"), "vgg16": ("yes", "yes", "16"),
                   "vgg19": ("yes", "yes", "19"), "googlenet_original": ("no", "no (V1)", "22"),
                   "inception_v3": ("no", "yes (V3)", "—"), "resnet34": ("no", "yes", "34"),
                   "resnet152": ("no", "yes", "152"), "densenet121": ("no", "yes", "121"),
                   "densenet264": ("no", "yes", "264")]
nb.table(header: ["model", "single path?", "kernel sizes", "k ≤ 3", "depth", "slide"],
         rows: table1.map { n -> [any CustomStringConvertible] in
             let c = card(n), s = slideTable1[n]!
             return [n, c.singlePath ? "yes" : "no", c.kernelSizes.joined(separator: ","),
                     String(format: "%.0f%%", 100 * c.smallKernelShare), c.weightedDepth, "\(s.0) / \(s.1) / \(s.2)"]
         },
         caption: Bilingual(zh: "单一路径？小卷积核？深度（引擎测量，右列为讲义）",
                            en: "Single path? Small kernels? Depth (measured by the engine; right: the slide)"))
//> Table: 单一路径？小卷积核？深度（引擎测量，右列为讲义）
//> model               single path?  kernel sizes           k ≤ 3  depth  slide
//> ------------------  ------------  ---------------------  -----  -----  -----------------
//> alexnet_original    yes           3,5,11                 60%        8  yes / no / 8
//> vgg16               yes           3                      100%      16  yes / yes / 16
//> vgg19               yes           3                      100%      19  yes / yes / 19
//> googlenet_original  no            1,3,5,7                82%       22  no / no (V1) / 22
//> inception_v3        no            1,3,5,1×3,1×7,3×1,7×1  69%       48  no / yes (V3) / —
//> resnet34            no            1,3,7                  97%       34  no / yes / 34
//> resnet152           no            1,3,7                  99%      152  no / yes / 152
//> densenet121         no            1,3,7                  99%      121  no / yes / 121
//> densenet264         no            1,3,7                  100%     265  no / yes / 264

//: ## 表二：输入、参数量、MACs
//:en ## Table 2: input, parameter size, MACs

//: 讲义的“参数量”以 MB 为单位。把参数个数乘以 4 字节（float32）再除以 $2^{20}$（MiB），就得到讲义的数：例如 torchvision 的 AlexNet 有 61,100,840 个参数，$61100840 \times 4 / 2^{20} = 233.1$，正是讲义的 233 MB。下表同时给出除以 $10^6$ 的 MB，两者差 4.9%。
//:en The slide gives parameter size in MB. Multiplying the parameter count by 4 bytes (float32) and dividing by $2^{20}$ (MiB) reproduces the slide: torchvision's AlexNet, for example, has 61,100,840 parameters and $61100840 \times 4 / 2^{20} = 233.1$, the slide's 233 MB. The table also gives MB as $10^6$ bytes; the two differ by 4.9%.
//- fold the slide's values; table
let table2: [(String, String, String)] = [("alexnet", "233 MB", "727 M"), ("vgg16", "528 MB", "16 G"),
                                          ("vgg19", "548 MB", "20 G"), ("googlenet", "51 MB", "2 G"),
                                          ("googlenet+aux", "51 MB", "2 G"), ("googlenet_original+aux", "51 MB", "2 G"),
                                          ("resnet18", "45 MB", "2 G"), ("resnet34", "83 MB", "4 G"),
                                          ("densenet121", "31 MB", "3 G")]
nb.table(header: ["model", "params", "MiB", "MB", "MACs", "slide MB", "slide MACs"],
         rows: table2.map { (n, mb, macs) -> [any CustomStringConvertible] in
             let c = card(n)
             return [n, short(c.totalWeights, digits: 4), String(format: "%.1f", c.mebibytes),
                     String(format: "%.1f", c.megabytes), short(c.totalMACs), mb, macs]
         },
         caption: Bilingual(zh: "参数量和 MACs（引擎）与讲义；输入都是 224x224；MiB = 参数 × 4 / $2^{20}$，MB = 参数 × 4 / $10^6$",
                            en: "Parameter size and MACs (engine) against the slide; all inputs 224x224; "
                                + "MiB = parameters × 4 / $2^{20}$, MB = parameters × 4 / $10^6$"))
//> Table: 参数量和 MACs（引擎）与讲义；输入都是 224x224；MiB = 参数 × 4 / $2^{20}$，MB = 参数 × 4 / $10^6$
//> model                   params    MiB     MB  MACs   slide MB  slide MACs
//> ----------------------  ------  -----  -----  -----  --------  ----------
//> alexnet                 61.10M  233.1  244.4  714M   233 MB    727 M
//> vgg16                   138.4M  527.8  553.4  15.5G  528 MB    16 G
//> vgg19                   143.7M  548.0  574.7  19.6G  548 MB    20 G
//> googlenet               6.625M   25.3   26.5  1.50G  51 MB     2 G
//> googlenet+aux           13.00M   49.6   52.0  1.51G  51 MB     2 G
//> googlenet_original+aux  13.38M   51.0   53.5  1.59G  51 MB     2 G
//> resnet18                11.69M   44.6   46.8  1.81G  45 MB     2 G
//> resnet34                21.80M   83.2   87.2  3.66G  83 MB     4 G
//> densenet121             7.979M   30.4   31.9  2.83G  31 MB     3 G
//- show
nb.show("AlexNet params × 4 / 2^20", Double(card("alexnet").totalWeights * 4) / 1_048_576)
nb.show("MiB / MB", 1e6 / 1_048_576)
//> AlexNet params × 4 / 2^20: 233.1
//> MiB / MB: 0.9537

//: 读这张表：
//:
//: - VGG、ResNet、DenseNet 的 MiB 与讲义一致（四舍五入）；讲义的 MACs 只保留 1 位有效数字，引擎的数四舍五入后与之相同。
//: - GoogLeNet 的 51 MB 对应带两个辅助分类器（auxiliary classifiers）的原版网络（googlenet_original+aux 一行）：辅助分类器只在训练时用，参数却几乎和主干一样多（下面打印的数）；去掉它们（torchvision 推断时的默认做法），参数量只有一半左右（googlenet 一行）。
//: - AlexNet 的 MACs 见下一节。
//:en Reading the table:
//:en
//:en - For VGG, ResNet and DenseNet the MiB agree with the slide (rounded); the slide keeps one significant digit of MACs, and the engine's figures round to the same.
//:en - GoogLeNet's 51 MB is the original network with its two auxiliary classifiers (the googlenet_original+aux row): they are used only in training but hold nearly as many parameters as the trunk (printed below); without them (torchvision's default for inference) about half remains (the googlenet row).
//:en - AlexNet's MACs are the subject of the next section.
nb.show("GoogLeNet (original) aux-head parameters",
        grouped(card("googlenet_original+aux").totalWeights - card("googlenet_original").totalWeights))
//> GoogLeNet (original) aux-head parameters: 6,379,728

//: ## 讲义的数字从哪里来
//:en ## Where the slide's numbers come from

//: **AlexNet。** 原版 AlexNet（Krizhevsky 等，2012）分成两个“塔”（tower），在两块 GPU 上各算一半通道；引擎用分组卷积（groups = 2）表示它，通道为 96-256-384-384-256，输入 227x227，带 LRN。torchvision 的 AlexNet 是单塔的变体（64-192-384-256-256，无 LRN，输入 224x224），来自 Krizhevsky 2014 年的“one weird trick”论文。两者的参数和 MACs 都不同：
//:en **AlexNet.** The original AlexNet (Krizhevsky et al., 2012) is split into two towers that each compute half of the channels on one of two GPUs; the engine expresses that as grouped convolution (groups = 2), channels 96-256-384-384-256, 227x227 input, with LRN. torchvision's AlexNet is a one-tower variant (64-192-384-256-256, no LRN, 224x224 input) from Krizhevsky's 2014 "one weird trick" paper. Parameters and MACs differ:
//- fold table
let alexRows: [(String, String)] = [("alexnet", "torchvision, one tower, 224"), ("alexnet_original", "paper, two towers, 227")]
nb.table(header: ["model", "variant", "params", "conv MACs", "FC MACs", "MACs", "vs 727M", "vs 724M"],
         rows: alexRows.map { (n, v) -> [any CustomStringConvertible] in
             let c = card(n)
             return [n, v, grouped(c.totalWeights), short(c.convMACs), short(c.fcMACs), short(c.totalMACs),
                     String(format: "%+.1f%%", 100 * (Double(c.totalMACs) / 727e6 - 1)),
                     String(format: "%+.1f%%", 100 * (Double(c.totalMACs) / 724e6 - 1))]
         },
         caption: Bilingual(zh: "AlexNet 的两种实现", en: "The two AlexNets"))
//> Table: AlexNet 的两种实现
//> model             variant                          params  conv MACs  FC MACs  MACs  vs 727M  vs 724M
//> ----------------  ---------------------------  ----------  ---------  -------  ----  -------  -------
//> alexnet           torchvision, one tower, 224  61,100,840  656M       58.6M    714M  -1.8%    -1.4%
//> alexnet_original  paper, two towers, 227       60,965,224  666M       58.6M    724M  -0.4%    +0.1%

//: 讲义的 233 MB 正是 torchvision 单塔版本的参数量（MiB）。727 M MACs 与两个版本都只差 2% 以内，离原版两塔网络（Sze 等的 TABLE II 记为 724 M）更近，它的出处无法从实现确定。两塔的分组卷积让第 2、4、5 层每个卷积核只看一半的输入通道，这几层的参数和 MACs 因此减半；两个版本的总参数却相近，因为六千多万个参数里绝大部分在全连接层。
//:en The slide's 233 MB is exactly the parameter size (MiB) of torchvision's one-tower network. Its 727 M MACs are within 2% of both versions, closest to the original two-tower network (724 M in Sze et al.'s TABLE II); where that figure comes from cannot be settled from the implementations. The two towers' grouped convolutions let each kernel of layers 2, 4 and 5 see only half of the input channels, halving those layers' parameters and MACs; the totals stay close because the fully connected layers hold most of the parameters.

//: **ResNet-50。** 原论文的 ResNet-50（v1）在每个阶段第一个瓶颈块的第一个 1x1 卷积上做步长 2 的下采样；torchvision 的版本（常称 v1.5）把步长移到 3x3 卷积上，多算一些 MACs，top-1 精度约高 0.5%。参数完全相同。
//:en **ResNet-50.** The paper's ResNet-50 (v1) downsamples with stride 2 in the first 1x1 convolution of each stage's first bottleneck block; torchvision's version (often called v1.5) moves the stride to the 3x3 convolution, which costs more MACs and gains about 0.5% top-1 accuracy. The parameters are identical.
//- fold table
let (v1, v15) = (card("resnet50 v1"), card("resnet50"))
nb.table(header: ["ResNet-50", "params", "MACs", "vs TABLE II 3.9G"],
         rows: [["v1 (paper)", grouped(v1.totalWeights), short(v1.totalMACs, digits: 4),
                 String(format: "%+.1f%%", 100 * (Double(v1.totalMACs) / 3.9e9 - 1))],
                ["v1.5 (torchvision)", grouped(v15.totalWeights), short(v15.totalMACs, digits: 4),
                 String(format: "%+.1f%%", 100 * (Double(v15.totalMACs) / 3.9e9 - 1))]],
         caption: Bilingual(zh: "ResNet-50 v1 与 v1.5", en: "ResNet-50 v1 and v1.5"))
//> Table: ResNet-50 v1 与 v1.5
//> ResNet-50               params  MACs    vs TABLE II 3.9G
//> ------------------  ----------  ------  ----------------
//> v1 (paper)          25,557,032  3.858G  -1.1%
//> v1.5 (torchvision)  25,557,032  4.089G  +4.9%

//: ## TABLE II
//:en ## TABLE II

//: 下表按 TABLE II 的行重新测量。卷积部分与全连接部分分开数；“其他”是 BN 的 $\gamma, \beta$。AlexNet 用原版两塔网络（输入 227），GoogLeNet 用原版（5x5 分支、无辅助分类器），ResNet-50 用论文的 v1。
//:en The table re-measures TABLE II row by row, with the convolutional and fully connected parts counted separately; "other" is BN's $\gamma, \beta$. AlexNet is the original two-tower network (227 input), GoogLeNet the original (5x5 branches, no auxiliary classifiers), ResNet-50 the paper's v1.
//- fold table
let table2Models = ["lenet5", "alexnet_original", "vgg16", "googlenet_original", "resnet50 v1"]
let t2 = table2Models.map(card)
func row(_ label: String, _ f: (ArchitectureCard) -> String) -> [any CustomStringConvertible] { [label] + t2.map(f) }
nb.table(header: ["metric", "LeNet-5", "AlexNet", "VGG-16", "GoogLeNet v1", "ResNet-50"],
         rows: [row("input") { "\($0.input[1])×\($0.input[2])" },
                row("# CONV layers") { "\($0.convLayers)" },
                row("depth (# CONV)") { "\($0.convDepth)" },
                row("filter sizes") { $0.kernelSizes.joined(separator: ",") },
                row("# channels") { $0.convInputChannels.text },
                row("# filters") { $0.convFilters.text },
                row("stride") { $0.strides.map(String.init).joined(separator: ",") },
                row("CONV weights") { short($0.convWeights) },
                row("CONV MACs") { short($0.convMACs) },
                row("# FC layers") { "\($0.fcLayers)" },
                row("FC inputs") { $0.fcInputs.text },
                row("FC outputs") { $0.fcOutputs.text },
                row("FC weights") { short($0.fcWeights) },
                row("FC MACs") { short($0.fcMACs) },
                row("other (BN) weights") { short($0.otherWeights) },
                row("total weights") { short($0.totalWeights) },
                row("total MACs") { short($0.totalMACs) }],
         caption: Bilingual(zh: "TABLE II 的指标（引擎测量）", en: "The metrics of TABLE II (measured by the engine)"))
//> Table: TABLE II 的指标（引擎测量）
//> metric              LeNet-5  AlexNet    VGG-16      GoogLeNet v1  ResNet-50
//> ------------------  -------  ---------  ----------  ------------  ---------
//> input               28×28    227×227    224×224     224×224       224×224
//> # CONV layers       2        5          13          57            53
//> depth (# CONV)      2        5          13          21            49
//> filter sizes        5        3,5,11     3           1,3,5,7       1,3,7
//> # channels          1–6      3–384      3–512       3–832         3–2048
//> # filters           6–16     96–384     64–512      16–384        64–2048
//> stride              1        1,4        1           1,2           1,2
//> CONV weights        2.57k    2.33M      14.7M       5.97M         23.5M
//> CONV MACs           358k     666M       15.3G       1.58G         3.86G
//> # FC layers         3        3          3           1             1
//> FC inputs           84–400   4096–9216  4096–25088  1024          2048
//> FC outputs          10–120   1000–4096  1000–4096   1000          1000
//> FC weights          59.1k    58.6M      124M        1.02M         2.05M
//> FC MACs             58.9k    58.6M      124M        1.02M         2.05M
//> other (BN) weights  0        0          0           0             53.1k
//> total weights       61.7k    61.0M      138M        7.00M         25.6M
//> total MACs          417k     724M       15.5G       1.58G         3.86G

//: 与讲义比较总数（讲义的数为 TABLE II 原文）：
//:en The totals against the slide (TABLE II as printed):
//- fold the slide's totals; table
let slideTotals: [(weights: Double, macs: Double, convWeights: Double, convMACs: Double)] = [
    (60e3, 341e3, 2.6e3, 283e3), (61e6, 724e6, 2.3e6, 666e6), (138e6, 15.5e9, 14.7e6, 15.3e9),
    (7e6, 1.43e9, 6.0e6, 1.43e9), (25.5e6, 3.9e9, 23.5e6, 3.86e9)]
func percent(_ a: Int, _ b: Double) -> String { String(format: "%+.1f%%", 100 * (Double(a) / b - 1)) }
nb.table(header: ["model", "weights", "Δ", "MACs", "Δ", "CONV weights Δ", "CONV MACs Δ"],
         rows: zip(t2, slideTotals).map { c, s -> [any CustomStringConvertible] in
             [c.name, short(c.totalWeights), percent(c.totalWeights, s.weights), short(c.totalMACs),
              percent(c.totalMACs, s.macs), percent(c.convWeights, s.convWeights), percent(c.convMACs, s.convMACs)]
         },
         caption: Bilingual(zh: "引擎测量与 TABLE II 的差别（Δ = 引擎 / 讲义 − 1）",
                            en: "Engine measurements against TABLE II (Δ = engine / slide − 1)"))
//> Table: 引擎测量与 TABLE II 的差别（Δ = 引擎 / 讲义 − 1）
//> model               weights  Δ      MACs   Δ       CONV weights Δ  CONV MACs Δ
//> ------------------  -------  -----  -----  ------  --------------  -----------
//> lenet5              61.7k    +2.8%  417k   +22.1%  -1.1%           +26.4%
//> alexnet_original    61.0M    -0.1%  724M   +0.1%   +1.5%           -0.0%
//> vgg16               138M     +0.3%  15.5G  -0.2%   +0.1%           +0.3%
//> googlenet_original  7.00M    -0.0%  1.58G  +10.7%  -0.4%           +10.6%
//> resnet50 v1         25.6M    +0.2%  3.86G  -1.1%   -0.2%           -0.1%

//: - **LeNet-5** 差得最多，因为 TABLE II 的“LeNet 5”其实是 Caffe 的 LeNet（卷积 20、50 个滤波器，全连接 500、10，见表中的 “20, 50”“10, 500”），而模型库实现的是 LeCun 1998 的 LeNet-5（6、16 个滤波器，C5 用 5x5 卷积，全连接 84、10，输入补零到 32x32）。
//: - **AlexNet**、**VGG-16** 与讲义的总数相差不到百分之一；GoogLeNet 的权重也是如此（TABLE II 的全连接 1 M 是四舍五入，引擎的数见下）。GoogLeNet 的 MACs 却比 TABLE II 的 1.43 G 多约 11%；论文本身说 GoogLeNet 的预算是“15 亿次乘加”，引擎的数与论文更接近，1.43 G 的来历无法从实现确定。
//: - **ResNet-50** 的参数比 TABLE II 多出的部分就是 BN 的 $\gamma, \beta$（TABLE II 不计）；卷积 MACs 与 3.86 G 一致（v1）。torchvision 的 ResNet-50 参数总数（本课开头打印的数）包括这些 BN 参数。
//:en - **LeNet-5** differs most, because TABLE II's "LeNet 5" is actually Caffe's LeNet (conv with 20 and 50 filters, fully connected 500 and 10: see "20, 50" and "10, 500" in the table), whereas the zoo implements LeCun's 1998 LeNet-5 (6 and 16 filters, C5 as a 5x5 convolution, fully connected 84 and 10, input padded to 32x32).
//:en - **AlexNet** and **VGG-16** agree with the slide's totals to within a percent, and so do GoogLeNet's weights (TABLE II's 1 M for the fully connected layer is rounded; the engine's count is printed below). GoogLeNet's MACs, however, exceed TABLE II's 1.43 G by about 11%; the paper itself gives GoogLeNet a budget of "1.5 billion multiply-adds", closer to the engine's count, and where 1.43 G comes from cannot be settled from the implementations.
//:en - **ResNet-50**: its parameters beyond TABLE II's are BN's $\gamma, \beta$ (not counted there); the conv MACs match 3.86 G (v1). torchvision's ResNet-50 total (printed at the start of this lesson) includes those BN parameters.
//- show
nb.show("ResNet-50 BN parameters", grouped(card("resnet50 v1").otherWeights))
nb.show("GoogLeNet v1 FC weights", grouped(card("googlenet_original").fcWeights))
//> ResNet-50 BN parameters: 53,120
//> GoogLeNet v1 FC weights: 1,025,000

//: ## ILSVRC 历年冠军
//:en ## ILSVRC winners by year

//: ImageNet 大规模视觉识别挑战赛（ILSVRC）分类任务的冠军 top-5 错误率。数据来源：2010–2014 年见 Russakovsky 等（2015，IJCV）对挑战赛的总结，人类的 5.1% 也出自该文（Karpathy 的实验）；2015 年 ResNet 见 He 等（2016）；2016 年 Trimps-Soushen 和 2017 年 SENet 见 ILSVRC 2016、2017 的官方结果（SENet 另见 Hu 等，2018）。这些是公开发表的数字，不是引擎算的。
//:en Top-5 error of the winners of the ImageNet Large Scale Visual Recognition Challenge (ILSVRC) classification task. Sources: 2010–2014 from Russakovsky et al. (2015, IJCV), the challenge's retrospective, which also reports the human 5.1% (Karpathy's experiment); 2015 ResNet from He et al. (2016); 2016 Trimps-Soushen and 2017 SENet from the official ILSVRC 2016 and 2017 results (SENet also in Hu et al., 2018). These are published figures, not computed by the engine.
//- fold the published figures; chart
let winners: [(Int, String, Double)] = [(2010, "NEC", 28.2), (2011, "XRCE", 25.8), (2012, "AlexNet", 16.4),
                                        (2013, "ZFNet", 11.7), (2014, "GoogLeNet", 6.7), (2015, "ResNet", 3.57),
                                        (2016, "Trimps-Soushen", 2.99), (2017, "SENet", 2.25)]
let years = winners.map { Double($0.0) }
nb.figure(LineChart(xLabel: "year", yLabel: "top-5 error (%)", yRange: 0...30,
                    series: [.init("ILSVRC winner", x: years, y: winners.map(\.2), marker: .circle),
                             .init("human (5.1%)", x: [2010, 2017], y: [5.1, 5.1], dashed: true)],
                    annotations: winners.filter { [2012, 2014, 2015, 2017].contains($0.0) }.map {
                        .init(x: Double($0.0), y: $0.2, text: "\($0.1) \($0.2)%",
                              offset: $0.0 == 2017 ? Point(-70, -34) : Point(24, -22))
                    },
                    legend: .topRight, size: Size(440, 260)),
          name: "fig-05-ilsvrc",
          caption: Bilingual(zh: "ILSVRC 分类冠军的 top-5 错误率（2010–2017）与人类的 5.1%",
                             en: "Top-5 error of the ILSVRC classification winners (2010–2017) and the human 5.1%"))
nb.show("first year below the human 5.1%", winners.first { $0.2 < 5.1 }!.0)
//> Figure: fig-05-ilsvrc.pdf — ILSVRC 分类冠军的 top-5 错误率（2010–2017）与人类的 5.1%
//> first year below the human 5.1%: 2015

//: ## 精度与计算量
//:en ## Accuracy against computation

//: torchvision 为它的每个预训练权重（IMAGENET1K_V1）公布了 ImageNet 验证集上的 top-1 精度（单中心裁剪）。横轴是引擎算出的 MACs（对数坐标），纵轴是公布的精度。VGG 用的计算量最多，精度却不如 ResNet-50 和 DenseNet-121；GoogLeNet 和 ResNet-18 只用 VGG-16 大约十分之一的 MACs，精度只低两个百分点左右。
//:en torchvision publishes the ImageNet validation top-1 accuracy (single centre crop) of each of its pretrained weights (IMAGENET1K_V1). The x axis is the engine's MACs (log scale), the y axis the published accuracy. VGG spends the most computation yet trails ResNet-50 and DenseNet-121; GoogLeNet and ResNet-18 use roughly a tenth of VGG-16's MACs and lose only about two points of accuracy.
//- fold the published figures; chart and table
let published: [(String, Double)] = [("alexnet", 56.522), ("vgg16", 71.592), ("vgg19", 72.376), ("googlenet", 69.778),
                                     ("inception_v3", 77.294), ("resnet18", 69.758), ("resnet34", 73.314),
                                     ("resnet50", 76.13), ("resnet152", 78.312), ("densenet121", 74.434)]
let families = ["alexnet", "vgg", "googlenet", "inception", "resnet", "densenet"]
nb.figure(ScatterChart(xLabel: "GMACs (engine, log scale)", yLabel: "top-1 accuracy (%, torchvision)", xScale: .log,
                       points: published.map { n, acc in
                           .init(x: Double(card(n).totalMACs) / 1e9, y: acc, label: n,
                                 group: families.firstIndex { n.hasPrefix($0) }!)
                       },
                       size: Size(440, 280)),
          name: "fig-05-accuracy-macs",
          caption: Bilingual(zh: "torchvision 公布的 top-1 精度与引擎算出的 MACs", en: "torchvision's published top-1 accuracy against the engine's MACs"))
nb.table(header: ["model", "MACs", "params", "top-1 (%)", "top-1 per GMAC"],
         rows: published.map { n, acc -> [any CustomStringConvertible] in
             [n, short(card(n).totalMACs), short(card(n).totalWeights), acc,
              String(format: "%.1f", acc / (Double(card(n).totalMACs) / 1e9))]
         },
         caption: Bilingual(zh: "公布的精度（torchvision 文档）与引擎的计数", en: "Published accuracy (torchvision documentation) and the engine's counts"))
//> Figure: fig-05-accuracy-macs.pdf — torchvision 公布的 top-1 精度与引擎算出的 MACs
//> Table: 公布的精度（torchvision 文档）与引擎的计数
//> model         MACs   params  top-1 (%)  top-1 per GMAC
//> ------------  -----  ------  ---------  --------------
//> alexnet       714M   61.1M       56.52            79.1
//> vgg16         15.5G  138M        71.59             4.6
//> vgg19         19.6G  144M        72.38             3.7
//> googlenet     1.50G  6.62M       69.78            46.6
//> inception_v3  5.71G  23.8M       77.29            13.5
//> resnet18      1.81G  11.7M       69.76            38.5
//> resnet34      3.66G  21.8M       73.31            20.0
//> resnet50      4.09G  25.6M       76.13            18.6
//> resnet152     11.5G  60.2M       78.31             6.8
//> densenet121   2.83G  7.98M       74.43            26.3

//: ## 小结
//:en ## Summary

//: - 讲义的表可以从实现重新算出；MB 是参数个数 × 4 字节 / $2^{20}$。
//: - 讲义中 AlexNet 的 233 MB 和 727 M 来自两个不同的网络（torchvision 的单塔版和原版的两塔版）；TABLE II 的 “LeNet 5” 是 Caffe 的 LeNet；ResNet-50 的 v1 和 v1.5 参数相同、MACs 不同。
//: - ILSVRC 冠军的 top-5 错误率从 2012 年 AlexNet 的 16.4% 降到 2017 年 SENet 的 2.25%，2015 年起低于人类的 5.1%。
//:en - The lecture's tables can be recomputed from the implementations; MB is parameters × 4 bytes / $2^{20}$.
//:en - The slide's AlexNet figures of 233 MB and 727 M come from two different networks (torchvision's one tower and the original two towers); TABLE II's "LeNet 5" is Caffe's LeNet; ResNet-50 v1 and v1.5 have the same parameters and different MACs.
//:en - The winners' top-5 error fell from AlexNet's 16.4% in 2012 to SENet's 2.25% in 2017, below the human 5.1% from 2015 on.
//- hide
nb.exercise(zh: "ResNet-50 的 conv3_x 阶段第一个瓶颈块：输入 256 通道、输出 512 通道、步长 2。它的投影捷径（projection shortcut，1x1 卷积 + BN）有多少参数？输入 56x56 时有多少 MACs？",
            en: "The first bottleneck block of ResNet-50's conv3_x stage takes 256 channels to 512 with stride 2. How many parameters does its projection shortcut (1x1 convolution + BN) have, and how many MACs on a 56x56 input?",
            grader: "resnet-projection")
nb.exercise(zh: "DenseNet-121 的第一个 dense block：输入 64 通道，增长率 $k = 32$，6 层。block 的输出有多少通道？过渡层（压缩 0.5）之后呢？",
            en: "DenseNet-121's first dense block: 64 input channels, growth rate $k = 32$, 6 layers. How many channels does the block output, and how many after the transition layer (compression 0.5)?",
            grader: "densenet-channels")
nb.exercise(zh: "用 `course summary` 或 `Analysis.summarize` 查出 VGG-19 和 ResNet-152 的参数个数，并换算成讲义的 MB（× 4 / $2^{20}$）。",
            en: "Look up the parameter counts of VGG-19 and ResNet-152 with `course summary` or `Analysis.summarize`, and convert them to the slide's MB (× 4 / $2^{20}$).",
            grader: "zoo-parameters")
nb.finish()
