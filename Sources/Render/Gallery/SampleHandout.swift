import Foundation

extension Gallery {
    /// A two-page handout in Chinese and English: headings, Markdown prose with inline math and
    /// cross-references, a list, a Swift listing, a table, a figure and two call-outs.
    public static func sampleHandoutBlocks() -> [Block] {
        let samples = Dictionary(uniqueKeysWithValues: samples().map { ($0.name, $0.graphic) })
        return [
            .heading("AlexNet 的第一层 · The first layer of AlexNet", label: "sec:alexnet"),
            .paragraph("""
                AlexNet（Krizhevsky 等，2012）的第一层用 96 个 $11 x 11 x 3$ 的卷积核，步长为 4。输入为 $224 x 224 x 3$ 时，\
                输出特征图为 $55 x 55 x 96$。这一层的乘加次数是一个经典的练习，见 @tab:cost。

                The first layer of AlexNet applies 96 kernels of size $11 x 11 x 3$ with **stride 4**; each output value is \
                $a_{x,y}^i$, the activity of kernel *i* at position (x, y). Local response normalisation then divides it by \
                $(k + \\alpha \\sum_j (a_{x,y}^j)^2)^\\beta$ with `k = 2`, `n = 5`, $\\alpha = 10^{-4}$ and $\\beta = 0.75$ (@fig:lrn).
                """),
            .paragraph("""
                - 重叠池化：$3 x 3$ 窗口，步长 2（overlapping pooling）。
                - ReLU instead of tanh: training is several times faster.
                - Dropout 0.5 in the first two fully connected layers; see [the paper](https://papers.nips.cc).
                """),
            .figure(Figure(samples["lrn-window"]!, caption: "LRN 的通道窗口：通道 3 与其相邻的 n = 5 个通道。The LRN window around channel 3.", label: "fig:lrn", width: 0.85)),
            .heading("计算量 · Cost", level: 2),
            .paragraph("A convolution layer costs $K^2 C_{in} C_{out} H_{out} W_{out}$ multiply–accumulates. 下面的代码逐层计算它："),
            .code("""
                /// Multiply–accumulates of a convolution layer (one image).
                func convMACs(kernel k: Int, inChannels cin: Int, outChannels cout: Int, outSize: Int) -> Int {
                    k * k * cin * cout * outSize * outSize   // 11·11·3·96·55·55 = 105,415,200 for AlexNet conv1
                }
                let macs = convMACs(kernel: 11, inChannels: 3, outChannels: 96, outSize: 55)
                print("conv1: \\(macs) MACs")  // 输出：conv1: 105415200 MACs
                """),
            .table(Table(header: ["Layer 层", "Kernel", "Output", "MACs"],
                         rows: [["conv1", "11×11, 96, /4", "55×55×96", "105.4M"],
                                ["conv2", "5×5, 256", "27×27×256", "223.9M"],
                                ["conv3", "3×3, 384", "13×13×384", "149.5M"],
                                ["conv4", "3×3, 384", "13×13×384", "224.3M"],
                                ["conv5", "3×3, 256", "13×13×256", "149.5M"]],
                         alignment: [.left, .left, .left, .right],
                         caption: "AlexNet 卷积层的计算量（单塔、无分组）· Convolution cost of AlexNet (single tower, no groups)", label: "tab:cost")),
            .callout(.note, "conv2、conv4 和 conv5 在原论文中分成两组（两块 GPU），所以实际乘加次数是表中的一半。The original splits them into two groups."),
            .heading("感受野 · Receptive fields", level: 2, label: "sec:rf"),
            .paragraph("两个 $3 x 3$ 卷积层的感受野等于一个 $5 x 5$ 卷积层（@fig:rf），但权重只有 $18C^2$ 而不是 $25C^2$，中间还多了一次非线性。The receptive field grows as $l_k = l_{k-1} + (f_k - 1) \\prod_{i<k} s_i$."),
            .figure(Figure(samples["receptive-field"]!, caption: "两个 3×3 卷积与一个 5×5 卷积看到同样的 5×5 窗口。Two 3×3 layers see the same window as one 5×5 layer.", label: "fig:rf", width: 0.9)),
            .callout(.exercise, "计算三个 $3 x 3$ 卷积层（步长 1）的感受野，并与一个 $7 x 7$ 层比较权重数。Compute the receptive field of three stacked 3×3 layers and compare the weights with one 7×7 layer (see @sec:rf)."),
        ]
    }

    /// The sample handout alone (two A4 pages).
    public static func sampleHandout() -> Document {
        Document(title: "L02 · AlexNet：局部响应归一化与计算量", subtitle: "Local response normalisation and the cost of a layer",
                 author: "CNN 架构课程 · CNN architectures course", date: "2024", language: .zh, footer: "CourseKit",
                 blocks: sampleHandoutBlocks())
    }

    /// The gallery: every chart and diagram type with a caption, then the sample handout.
    public static func document() -> Document {
        var doc = Document(title: "Render gallery · 图表示例", subtitle: "Every chart and diagram type of the kit, then a sample handout",
                           language: .en, tableOfContents: true, header: "CourseKit render gallery")
        let all = samples()
        let charts = ["line", "bar", "grouped-bar", "horizontal-bar", "scatter", "heatmap", "contour", "surface", "small-multiples", "image-grid"]
        doc.append(.heading("Charts"))
        doc.append(.paragraph("Each chart below is drawn from plain data with the kit's theme (Okabe–Ito palette, DejaVu and Noto CJK SC fonts). Line and bar charts use nice 1-2-5 ticks, log axes where the data spans decades, and SI suffixes (K, M, G)."))
        for (name, g) in all where charts.contains(name) {
            doc.append(.figure(Figure(g, caption: "`\(name)`: \(describe(name))", label: "fig:\(name)", width: 0.8)))
        }
        doc.append(.pageBreak)
        doc.append(.heading("Network diagrams"))
        for (name, g) in all where !charts.contains(name) {
            doc.append(.figure(Figure(g, caption: "`\(name)`: \(describe(name))", label: "fig:\(name)", width: 0.95)))
        }
        doc.append(.pageBreak)
        doc.append(.heading("Sample handout · 示例讲义"))
        doc.append(contentsOf: sampleHandoutBlocks().map { block in
            if case let .heading(t, level, label) = block { return .heading(t, level: min(level + 1, 3), label: label) }
            return block
        })
        return doc
    }

    static func describe(_ name: String) -> String {
        switch name {
        case "line": "two series on a log y axis, learning-rate drops as event markers, an annotation"
        case "bar": "parameters of six networks on a log scale, values printed on the bars"
        case "grouped-bar": "top-1 and top-5 accuracy side by side"
        case "horizontal-bar": "multiply–accumulates per image, horizontal bars"
        case "scatter": "accuracy against parameters with labelled points"
        case "heatmap": "a Gaussian effective receptive field with its colour bar"
        case "contour": "labelled iso-loss lines by marching squares over a faint shaded field"
        case "surface": "the same landscape as a shaded 3-D surface"
        case "small-multiples": "four panels that share their axes"
        case "image-grid": "sixteen 5×5 filters on a shared diverging scale"
        case "layer-stack": "LeNet-5 as a layer stack with output shapes"
        case "residual-identity": "a basic residual block with an identity shortcut"
        case "residual-projection": "a down-sampling block with a 1×1 projection shortcut"
        case "dense-block": "a dense block: every layer sees the concatenation of all earlier outputs"
        case "inception-naive": "the naive inception module"
        case "inception-bottleneck": "the inception module with 1×1 reductions"
        case "receptive-field": "two stacked 3×3 convolutions against one 5×5"
        case "lrn-window": "the cross-channel window of local response normalisation"
        default: name
        }
    }
}
