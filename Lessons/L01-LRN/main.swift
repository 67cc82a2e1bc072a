//: # L01 · 局部响应归一化（LRN）
//:en # L01 · Local response normalization (LRN)

//: AlexNet（Krizhevsky 等，2012）在某些 ReLU 激活层之后加了一层**局部响应归一化**（Local Response Normalization，LRN）：同一位置上，一个通道的激活值除以它相邻几个通道激活值平方和的函数。论文报告它能加速训练；后来的 Inception-v2 用批归一化（BN）取代了它。本课用引擎复现讲义里的公式和例子，再看 AlexNet 的常数在一批激活上做了什么。
//:en AlexNet (Krizhevsky et al., 2012) follows some of its ReLU activations with a **local response normalization** (LRN) layer: at each position, a channel's activation is divided by a function of the squared activations of its neighbouring channels. The paper reports that it speeds up training; Inception-v2 later replaced it with batch normalization (BN). This lesson reproduces the lecture's formula and worked example with the engine, then looks at what AlexNet's constants do to a batch of activations.

//- hide
import CNN
import Foundation
import Notebook
import Render
import Weave

let nb = Notebook("l01-lrn")
Random.seed(nb.seed)

//: ## 公式
//:en ## The formula

//: $$b_{x,y}^i = a_{x,y}^i / \left( k + \alpha \sum_{j=\max(0,i-n/2)}^{\min(N-1,i+n/2)} (a_{x,y}^j)^2 \right)^\beta$$

//: $a_{x,y}^i$ 表示第 $i$ 个核在位置 $(x,y)$ 运用激活函数 ReLU 后的输出，$N$ 是通道总数，$n$ 是要归一化的窗口尺寸，$k, n, \alpha, \beta$ 是超参数。求和只跨通道，不跨空间位置；窗口在第 0 个和第 $N-1$ 个通道处被截断。
//:en $a_{x,y}^i$ is the output of kernel $i$ at position $(x,y)$ after the ReLU, $N$ is the number of channels, $n$ the size of the normalization window, and $k, n, \alpha, \beta$ are hyperparameters. The sum runs over channels only, never over positions; the window is clipped at channels 0 and $N-1$.

//: 下面把公式逐字写成代码（一个像素的 $N$ 个通道），之后用它核对引擎的 `localResponseNorm`。
//:en Below, the formula written out literally for the $N$ channels of one pixel; we use it to check the engine's `localResponseNorm`.
func lrnByHand(_ a: [Double], k: Double, alpha: Double, beta: Double, n: Int) -> [Double] {
    let N = a.count
    return (0..<N).map { i in
        let window = max(0, i - n / 2)...min(N - 1, i + n / 2)
        let energy = window.reduce(0.0) { $0 + a[$1] * a[$1] }
        return a[i] / pow(k + alpha * energy, beta)
    }
}

//: ## 讲义中的例子
//:en ## The lecture's worked example

//: 讲义的例子：$N = 4$，$(k, \alpha, \beta, n) = (0, 1, 1, 2)$，四个通道的值都是 1。位置 $(i, x, y) = (0, 0, 0)$ 的元素值为 1；$(i-1, x, y)$ 不存在，$(i+1, x, y)$ 的值为 1，因此归一化的值 $= 1 / (1^2 + 1^2) = 0.5$。
//:en The lecture's example: $N = 4$, $(k, \alpha, \beta, n) = (0, 1, 1, 2)$, all four channels equal to 1. The element at $(i, x, y) = (0, 0, 0)$ is 1; $(i-1, x, y)$ does not exist and $(i+1, x, y)$ is 1, so the normalized value is $1 / (1^2 + 1^2) = 0.5$.
let ones = Tensor.ones([1, 4, 1, 1])
let paper = localResponseNorm(ones, size: 2, alpha: 1, beta: 1, k: 0,
                              convention: .krizhevsky)
nb.show("b (Krizhevsky)", paper.scalars)
nb.show("b[0]", paper.scalars[0])
nb.show("by hand", lrnByHand([1, 1, 1, 1], k: 0, alpha: 1, beta: 1, n: 2))
//> b (Krizhevsky): [0.5000, 0.3333, 0.3333, 0.5000]
//> b[0]: 0.5000
//> by hand: [0.5000, 0.3333, 0.3333, 0.5000]

//: 通道 1 和 2 的窗口是 $\max(0, i-1) \ldots \min(3, i+1)$，包含三个通道，所以得到 $1/3$。
//:en Channels 1 and 2 have the window $\max(0, i-1) \ldots \min(3, i+1)$, three channels, hence $1/3$.

//: 同样的数字交给 PyTorch 的 `nn.LocalResponseNorm(2, alpha=1, beta=1, k=0)`，结果却是 $[2, 1, 1, 1]$：PyTorch 把 $\alpha$ 除以 $n$，而且窗口是 $i - \lfloor n/2 \rfloor \ldots i + \lfloor (n-1)/2 \rfloor$（偶数 $n$ 时不对称，越界处补零）。对通道 0：$1 / (0 + \frac{1}{2} (0^2 + 1^2)) = 2$。
//:en Give the same numbers to PyTorch's `nn.LocalResponseNorm(2, alpha=1, beta=1, k=0)` and the result is $[2, 1, 1, 1]$: PyTorch divides $\alpha$ by $n$, and its window is $i - \lfloor n/2 \rfloor \ldots i + \lfloor (n-1)/2 \rfloor$ (asymmetric for even $n$, zero-padded). For channel 0: $1 / (0 + \frac{1}{2} (0^2 + 1^2)) = 2$.
let torchStyle = localResponseNorm(ones, size: 2, alpha: 1, beta: 1, k: 0,
                                   convention: .pytorch)
nb.show("b (PyTorch)", torchStyle.scalars)
//> b (PyTorch): [2.000, 1.000, 1.000, 1.000]

//: ## AlexNet 的常数
//:en ## AlexNet's constants

//: AlexNet 在验证集上选定 $k = 2, n = 5, \alpha = 10^{-4}, \beta = 0.75$。激活值小的时候分母约为 $k^\beta = 2^{0.75} \approx 1.68$，LRN 只是把所有值乘以约 0.59；只有邻域能量 $\sum (a^j)^2$ 接近 $k / \alpha = 2 \times 10^4$ 时，抑制才明显。下面是一个像素上 8 个通道的例子。
//:en AlexNet chose $k = 2, n = 5, \alpha = 10^{-4}, \beta = 0.75$ on its validation set. For small activations the denominator is about $k^\beta = 2^{0.75} \approx 1.68$, so LRN merely scales everything by about 0.59; suppression only becomes strong when the neighbourhood energy $\sum (a^j)^2$ approaches $k / \alpha = 2 \times 10^4$. An example with 8 channels at one pixel:
let a: [Float] = [1, 5, 10, 40, 120, 40, 10, 5]
let x = Tensor(shape: [1, 8, 1, 1], values: a)
let alexnet = localResponseNorm(x, size: 5, alpha: 1e-4, beta: 0.75, k: 2,
                                convention: .krizhevsky)
let byHand = lrnByHand(a.map(Double.init), k: 2, alpha: 1e-4, beta: 0.75, n: 5)
let b = alexnet.scalars
nb.table(header: ["i", "a", "b", "b / a", "by hand"],
         rows: (0..<8).map { i in [i, a[i], b[i], b[i] / a[i], byHand[i]] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "AlexNet 常数下一个像素的 8 个通道",
                            en: "Eight channels of one pixel under AlexNet's constants"))
//> Table: AlexNet 常数下一个像素的 8 个通道
//> i      a       b   b / a  by hand
//> -  -----  ------  ------  -------
//> 0  1.000  0.5918  0.5918   0.5918
//> 1  5.000   2.794  0.5588    2.794
//> 2  10.00   3.816  0.3816    3.816
//> 3  40.00   14.78  0.3694    14.78
//> 4  120.0   44.27  0.3689    44.27
//> 5  40.00   14.78  0.3694    14.78
//> 6  10.00   3.816  0.3816    3.816
//> 7  5.000   2.794  0.5588    2.794

//: PyTorch 里写同一层要换算：窗口 5 为奇数时两种窗口相同，只需把 $\alpha$ 乘以 5，即 `nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)`。
//:en In PyTorch the same layer needs a conversion: with an odd window of 5 both windows agree, so only $\alpha$ is multiplied by 5: `nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)`.
let converted = localResponseNorm(x, size: 5, alpha: 5e-4, beta: 0.75, k: 2,
                                  convention: .pytorch)
let gap = zip(b, converted.scalars).map { abs($0 - $1) }.max()!
nb.show("same outputs (max gap < 1e-6)", gap < 1e-6)
//> same outputs (max gap < 1e-6): true

//: ## 抑制有多强
//:en ## How strong is the suppression

//: 把中心通道的输入 $a$ 从 0 扫到 300，其余 4 个邻居通道的平方和固定为 $S$，用引擎算出 $b$。$S = 0$ 时 $b$ 几乎是 $a$ 的 0.59 倍；邻居越强，同样的 $a$ 被压得越低，而且 $a$ 本身很大时曲线会弯下来（$\beta < 1$，所以 $b$ 仍随 $a$ 增长）。
//:en Sweep the centre channel's input $a$ from 0 to 300 with the squares of its 4 neighbours summing to $S$, and compute $b$ with the engine. With $S = 0$, $b$ is almost $0.59\,a$; the stronger the neighbours, the lower the same $a$ is pressed, and the curve bends when $a$ itself is large ($\beta < 1$, so $b$ still grows with $a$).
struct Curve: Codable { var energy: Double; var a: [Double]; var b: [Double] }
let curves = try nb.cached("response-curves", [0.0, 1e4, 5e4, 2e5], after: []) {
    [0.0, 1e4, 5e4, 2e5].map { energy -> Curve in
        let inputs = stride(from: 0.0, through: 300, by: 5).map { $0 }
        // One pixel per sample: channel 2 is the centre; channels 0, 1, 3, 4 share S.
        let neighbour = Float((energy / 4).squareRoot())
        var values: [Float] = []
        for v in inputs { values += [neighbour, neighbour, Float(v), neighbour, neighbour] }
        let out = localResponseNorm(Tensor(shape: [inputs.count, 5, 1, 1], values: values),
                                    size: 5, alpha: 1e-4, beta: 0.75, k: 2,
                                    convention: .krizhevsky).scalars
        return Curve(energy: energy, a: inputs, b: inputs.indices.map { Double(out[$0 * 5 + 2]) })
    }
}
let series = curves.map { LineChart.Series("S = \(Int($0.energy))", x: $0.a, y: $0.b) }
nb.figure(LineChart(xLabel: "a (输入 input)", yLabel: "b (LRN 输出 output)", series: series,
                    legend: .topLeft),
          name: "fig-01-lrn-response",
          caption: Bilingual(zh: "AlexNet 常数下 $b$ 随 $a$ 的变化，$S$ 为 4 个邻居通道的平方和",
                             en: "$b$ against $a$ under AlexNet's constants; "
                                 + "$S$ is the sum of squares of the 4 neighbouring channels"))
nb.show("b at a = 100", curves.map { $0.b[20] })
//> Figure: fig-01-lrn-response.pdf — AlexNet 常数下 $b$ 随 $a$ 的变化，$S$ 为 4 个邻居通道的平方和
//> b at a = 100: [43.87, 35.36, 21.02, 9.521]

//: ## 一批激活
//:en ## A batch of activations

//: AlexNet 第一层卷积输出 $96 \times 55 \times 55$。这里用形状相同的随机 ReLU 激活（各通道的尺度不同）代替真实图像，用 AlexNet 的常数归一化整批数据，统计 $b/a$。这一步较慢，结果存进实验缓存；只改讲解文字不会重算它。
//:en AlexNet's first convolution outputs $96 \times 55 \times 55$. We stand in random ReLU activations of that shape (each channel with its own scale) for real images, normalize the whole batch with AlexNet's constants and collect $b/a$. This step is slower, so its result goes into the experiment cache; editing the prose never recomputes it.
struct BatchStatistics: Codable {
    var images: Int
    var meanBefore: Double
    var meanAfter: Double
    var meanRatio: Double
    var minRatio: Double
    /// Mean b/a (where a > 0) over images and columns: channels 0..<32 by rows 0..<55.
    var ratioMap: [Double]
}
let batch = try nb.cached("alexnet-batch", nb.isQuick ? 2 : 512, after: []) { () -> BatchStatistics in
    let images = nb.isQuick ? 2 : 512, chunk = 16
    var generator = SeededGenerator(seed: nb.seed &+ 1)
    var sumA = 0.0, sumB = 0.0, sumRatio = 0.0, count = 0, minRatio = 1.0
    var mapSum = [Double](repeating: 0, count: 32 * 55), mapCount = [Double](repeating: 0, count: 32 * 55)
    for start in stride(from: 0, to: images, by: chunk) {
        let n = min(chunk, images - start)
        let x = Tensor.randomNormal([n, 96, 55, 55], generator: &generator)
        // Channel c has scale 5 + 45·(c mod 8)/7: some channels are loud, some quiet.
        x.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = max(0, p[i] * (5 + 45 * Float((i / 3025) % 8) / 7)) }
        }
        let y = localResponseNorm(x, size: 5, alpha: 1e-4, beta: 0.75, k: 2,
                                  convention: .krizhevsky)
        let (xs, ys) = (x.scalars, y.scalars)
        for i in 0..<xs.count where xs[i] > 0 {
            let r = Double(ys[i] / xs[i])
            sumA += Double(xs[i]); sumB += Double(ys[i]); sumRatio += r; count += 1
            minRatio = min(minRatio, r)
            let c = (i / 3025) % 96, row = (i / 55) % 55
            if c < 32 { mapSum[c * 55 + row] += r; mapCount[c * 55 + row] += 1 }
        }
    }
    return BatchStatistics(images: images, meanBefore: sumA / Double(count),
                           meanAfter: sumB / Double(count), meanRatio: sumRatio / Double(count),
                           minRatio: minRatio, ratioMap: zip(mapSum, mapCount).map { $0 / $1 })
}
nb.table(header: ["images", "mean a (a > 0)", "mean b", "mean b / a", "min b / a"],
         rows: [[batch.images, batch.meanBefore, batch.meanAfter, batch.meanRatio,
                 batch.minRatio] as [any CustomStringConvertible]],
         caption: Bilingual(zh: "AlexNet 常数下的一批激活",
                            en: "A batch of activations under AlexNet's constants"))
nb.figure(Heatmap(grid: Grid(rows: 32, columns: 55, values: batch.ratioMap),
                  colorBarLabel: "b / a", size: Size(380, 230)),
          name: "fig-02-lrn-ratio",
          caption: Bilingual(zh: "$b/a$ 的平均值（只计 $a > 0$）：行是通道 0–31，列是特征图的行 0–54。"
                                 + "尺度大的通道（每 8 个一循环）和它们的邻居被压得更低。",
                             en: "Mean $b/a$ (where $a > 0$): rows are channels 0–31, columns the rows 0–54 "
                                 + "of the feature map. Loud channels (a cycle of 8) and their neighbours are pressed lower."))
//> Table: AlexNet 常数下的一批激活
//> images  mean a (a > 0)  mean b  mean b / a  min b / a
//> ------  --------------  ------  ----------  ---------
//>      2           22.01   11.32      0.5438     0.2521
//> Figure: fig-02-lrn-ratio.pdf — $b/a$ 的平均值（只计 $a > 0$）：行是通道 0–31，列是特征图的行 0–54。尺度大的通道（每 8 个一循环）和它们的邻居被压得更低。

//: ## 小结
//:en ## Summary

//: - LRN 在每个位置上跨通道归一化：分母是 $k$ 加上窗口内平方和的 $\alpha$ 倍，再取 $\beta$ 次幂。
//: - 讲义的例子给出 0.5；同样的参数在 PyTorch 的约定下给出 $[2, 1, 1, 1]$，移植模型时要换算 $\alpha$ 和窗口。
//: - 在 AlexNet 的常数下，小激活只被统一缩放，强激活的邻居才被明显抑制。
//:en - LRN normalizes across channels at each position: the denominator is $k$ plus $\alpha$ times the sum of squares in the window, raised to $\beta$.
//:en - The lecture's example gives 0.5; the same parameters under PyTorch's convention give $[2, 1, 1, 1]$, so porting a model means converting $\alpha$ and the window.
//:en - Under AlexNet's constants small activations are merely rescaled; only neighbours of strong activations are clearly suppressed.
//- hide
nb.note(zh: "Inception-v2 之后的网络用批归一化取代了 LRN；VGG 的论文也报告 LRN 在他们的网络上没有帮助。",
        en: "From Inception-v2 on, networks replaced LRN with batch normalization; the VGG paper also reports that LRN did not help their networks.")
nb.exercise(zh: "实现 Krizhevsky 约定的 LRN 前向计算：输入形状 $[N, C, H, W]$，参数 $(k, n, \\alpha, \\beta)$。先用讲义的例子（应得 0.5）检查。",
            en: "Implement the forward pass of LRN in Krizhevsky's convention: input of shape $[N, C, H, W]$, parameters $(k, n, \\alpha, \\beta)$. Check it on the lecture's example first (it must give 0.5).",
            grader: "code-lrn-forward")
nb.finish()
