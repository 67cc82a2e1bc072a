import Foundation

/// One example of every chart and diagram type, on illustrative data (parameter counts and
/// ImageNet top-1 accuracies are torchvision's published figures; curves are synthetic).
/// `course gallery` and the tests draw these.
public enum Gallery {
    /// (file stem, graphic) for every chart and diagram type.
    public static func samples() -> [(name: String, graphic: any Graphic)] {
        var out: [(String, any Graphic)] = []
        // Synthetic training curves: exponential decay with learning-rate drops at epochs 30 and 60.
        let epochs = (1...90).map(Double.init)
        func curve(_ floor: Double, _ noise: Double) -> [Double] {
            epochs.map { e in
                let stage = e < 30 ? 0.0 : e < 60 ? 1 : 2
                return floor + (2.3 - floor) * exp(-e / 12) * pow(0.55, stage) * (1 + noise * 0.04 * sin(e * 0.9) * sin(e * 0.37)) + 0.25 * pow(0.45, stage)
            }
        }
        out.append(("line", LineChart(title: "ResNet-20 与 plain-20 训练损失 · training loss", xLabel: "epoch", yLabel: "loss",
                                      yScale: .log, series: [.init("ResNet-20", x: epochs, y: curve(0.05, 1)),
                                                              .init("plain-20", x: epochs, y: curve(0.12, 1.5), dashed: true)],
                                      annotations: [.init(x: 31, y: curve(0.05, 1)[30], text: "lr ÷ 10 pays off", offset: Point(40, -30))],
                                      events: [.init(x: 30, label: "lr ÷ 10"), .init(x: 60, label: "lr ÷ 10")], size: Size(400, 250))))
        let models = ["LeNet-5", "AlexNet", "VGG-16", "GoogLeNet", "ResNet-50", "DenseNet-121"]
        out.append(("bar", BarChart(title: "参数量 · Parameters (log scale)", valueLabel: "parameters", categories: models,
                                    series: [.init("parameters", [61_706, 61_100_840, 138_357_544, 6_624_904, 25_557_032, 7_978_856])],
                                    valueScale: .log, showValues: true, size: Size(400, 240))))
        out.append(("grouped-bar", BarChart(title: "ImageNet accuracy (torchvision weights)", valueLabel: "accuracy (%)",
                                            categories: ["AlexNet", "VGG-16", "GoogLeNet", "ResNet-50", "DenseNet-121"],
                                            series: [.init("top-1", [56.522, 71.592, 69.778, 76.130, 74.434]), .init("top-5", [79.066, 90.382, 89.530, 92.862, 91.972])],
                                            size: Size(400, 240))))
        out.append(("horizontal-bar", BarChart(title: "MACs per image (224×224)", valueLabel: "multiply–accumulates",
                                               categories: ["AlexNet", "VGG-16", "GoogLeNet", "ResNet-50"],
                                               series: [.init("MACs", [714e6, 15.47e9, 1.5e9, 4.09e9])], orientation: .horizontal,
                                               showValues: true, size: Size(400, 200))))
        out.append(("scatter", ScatterChart(title: "精度与参数量 · accuracy vs. parameters", xLabel: "parameters", yLabel: "top-1 accuracy (%)", xScale: .log,
                                            points: zip(zip([61.1e6, 138.4e6, 6.6e6, 25.6e6, 8.0e6, 11.7e6], [56.5, 71.6, 69.8, 76.1, 74.4, 69.8]),
                                                        ["AlexNet", "VGG-16", "GoogLeNet", "ResNet-50", "DenseNet-121", "ResNet-18"]).map {
                                                ScatterChart.Point2(x: $0.0.0, y: $0.0.1, label: $0.1)
                                            }, size: Size(400, 260))))
        let erf = Grid(x: -1...1, y: -1...1, rows: 21, columns: 21) { x, y in exp(-(x * x + y * y) / 0.18) }
        out.append(("heatmap", Heatmap(title: "有效感受野 · Effective receptive field", grid: erf, colorBarLabel: "|∂y/∂x|", size: Size(300, 260))))
        let loss = Grid(x: -2...2, y: -2...2, rows: 61, columns: 61) { x, y in
            0.6 * x * x + 1.2 * y * y + 0.5 * sin(2.2 * x) * cos(1.7 * y) + 0.3 * x * y + 1
        }
        out.append(("contour", ContourPlot(title: "Loss landscape (contours)", xLabel: "direction δ", yLabel: "direction η", grid: loss,
                                           xRange: -2...2, yRange: -2...2, size: Size(320, 290))))
        let coarse = Grid(x: -2...2, y: -2...2, rows: 31, columns: 31) { x, y in
            0.6 * x * x + 1.2 * y * y + 0.5 * sin(2.2 * x) * cos(1.7 * y) + 0.3 * x * y + 1
        }
        out.append(("surface", SurfacePlot(title: "Loss surface", grid: coarse, size: Size(340, 270))))
        let panels = [("SGD", 0.0), ("SGD + momentum", 0.6), ("RMSProp", 0.3), ("Adam", 0.45)].enumerated().map { i, p in
            LineChart(title: p.0, xLabel: "epoch", yLabel: "loss", series: [.init("train", y: (1...30).map { e in 0.2 + 2 * exp(-Double(e) * (0.08 + p.1 * 0.1)) })],
                      legend: .none)
        }
        out.append(("small-multiples", SmallMultiples(title: "Optimisers on the same problem (shared axes)", panels: panels, columns: 2, size: Size(400, 300))))
        let filters = (0..<16).map { k in
            Grid(rows: 5, columns: 5, values: (0..<25).map { i in
                let x = Double(i % 5) - 2, y = Double(i / 5) - 2, a = Double(k) * .pi / 8
                return cos(x * cos(a) + y * sin(a)) * exp(-(x * x + y * y) / 6) * (k % 2 == 0 ? 1 : -1)
            })
        }
        out.append(("image-grid", ImageGrid(title: "First-layer filters (5×5)", grids: filters, labels: (0..<16).map { "f\($0)" },
                                            colormap: .diverging, columns: 8, size: Size(400, 140))))
        out.append(("layer-stack", LayerStackDiagram(title: "LeNet-5", layers: [
            .init("input", kind: .input, outputShape: [1, 1, 28, 28]),
            .init("conv1", kind: .conv, detail: "5×5, 6, pad 2", outputShape: [1, 6, 28, 28]),
            .init("pool1", kind: .pool, detail: "2×2 avg", outputShape: [1, 6, 14, 14]),
            .init("conv2", kind: .conv, detail: "5×5, 16", outputShape: [1, 16, 10, 10]),
            .init("pool2", kind: .pool, detail: "2×2 avg", outputShape: [1, 16, 5, 5]),
            .init("fc1", kind: .dense, detail: "400 → 120", outputShape: [1, 120]),
            .init("fc2", kind: .dense, detail: "120 → 84", outputShape: [1, 84]),
            .init("fc3", kind: .output, detail: "84 → 10", outputShape: [1, 10]),
        ], size: Size(280, 300))))
        out.append(("residual-identity", ResidualBlockDiagram(title: "Residual block, identity shortcut")))
        out.append(("residual-projection", ResidualBlockDiagram(title: "Residual block, 1×1 projection", mainPath: ["3×3 conv, 128, /2", "BN, ReLU", "3×3 conv, 128", "BN"],
                                                                shortcut: .projection("1×1 conv, 128, /2"))))
        out.append(("dense-block", DenseBlockDiagram(title: "Dense block (k = 32)", inputChannels: 64, growthRate: 32, layers: 4)))
        out.append(("inception-naive", InceptionModuleDiagram(title: "Inception module, naive", variant: .naive)))
        out.append(("inception-bottleneck", InceptionModuleDiagram(title: "Inception module with 1×1 reductions", variant: .bottleneck)))
        out.append(("receptive-field", ReceptiveFieldDiagram(title: "两个 3×3 与一个 5×5 · two 3×3 vs one 5×5")))
        out.append(("lrn-window", LRNWindowDiagram(title: "LRN across channels (n = 5)", channels: 8, size: 5, focus: 3, preferredSize: Size(420, 165))))
        return out
    }
}
