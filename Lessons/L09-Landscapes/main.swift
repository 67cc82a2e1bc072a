//: # L09 · 损失曲面
//:en # L09 · Loss landscapes

//: 讲义说跳跃连接让损失曲面更平滑，所以深的 ResNet 好训练。这句话来自 Li 等（2018）的图：他们把训练好的网络的权重 $\theta^*$ 沿两个随机方向移动，画出 $L(\theta^* + \alpha\delta + \beta\eta)$。56 层的普通网络的曲面崎岖、布满局部极小，ResNet-56 的曲面近似一个凸的碗。本课用同样的方法，看第 8 课训练好的四个网络：普通网络与 ResNet，20 层与 56 层。
//:en The lecture says skip connections make the loss surface smoother, which is why deep ResNets train well. The claim comes from the figures of Li et al. (2018): they move the trained weights $\theta^*$ along two random directions and draw $L(\theta^* + \alpha\delta + \beta\eta)$. The surface of a 56-layer plain net is rugged and full of local minima; that of ResNet-56 is close to a convex bowl. This lesson applies the same method to the four nets trained in lesson 8: plain and ResNet, 20 and 56 layers.

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

let nb = Notebook("l09-landscapes")
Random.seed(nb.seed)
func fmt(_ x: Double) -> String { String(format: "%.3g", x) }

//: ## 滤波器归一化的随机方向
//:en ## Filter-normalised random directions

//: 随机方向 $d$ 从标准正态分布中取，形状与权重相同。直接用它有一个问题：带 BN 的网络对权重的尺度不敏感（把一层的权重乘以 10，BN 之后输出不变），同样长度的一步，对权重小的层是大扰动，对权重大的层几乎没有影响，不同网络的图也没法比。Li 等的做法是按滤波器归一化：卷积层权重 $[O, I, k, k]$ 有 $O$ 个滤波器，把 $d$ 的第 $i$ 个滤波器缩放到 $\theta$ 的第 $i$ 个滤波器的范数：
//:en A random direction $d$ is drawn from a standard normal distribution with the shape of the weights. Used as it is, it has a problem: a net with BN does not care about the scale of its weights (multiply one layer's weights by 10 and BN's output stays the same), so a step of one length is a large perturbation for a layer with small weights and almost nothing for one with large weights, and plots of different nets cannot be compared. Li et al. normalise per filter: a conv weight $[O, I, k, k]$ has $O$ filters, and the $i$-th filter of $d$ is rescaled to the norm of the $i$-th filter of $\theta$:

//: $$d_i \leftarrow \frac{d_i}{\lVert d_i \rVert} \lVert \theta_i \rVert$$

//: 全连接层的每一行当作一个滤波器。和论文一样，BN 的参数和偏置不扰动（方向在那里为 0）。`filterNormalize` 做一层的缩放，`WeightDirection.filterNormalized` 对整个网络做：
//:en Each row of a fully connected layer counts as a filter. As in the paper, BN parameters and biases are not perturbed (the direction is 0 there). `filterNormalize` rescales one layer, `WeightDirection.filterNormalized` a whole net:
let w: [Float] = [3, 4, 0, 0, 1, 0, 0, 0]          // two filters: norms 5 and 1
let d: [Float] = [1, 0, 0, 0, 0, 2, 0, 0]          // two filters: norms 1 and 2
nb.show("filter-normalised", filterNormalize(d, like: w, filters: 2))
nb.show("whole-layer normalised", filterNormalize(d, like: w, filters: 1))
//> filter-normalised: [5.000, 0, 0, 0, 0, 1.000, 0, 0]
//> whole-layer normalised: [2.280, 0, 0, 0, 0, 4.561, 0, 0]

//: 按滤波器归一化后，第一个滤波器长度为 5、第二个为 1，与权重的两个滤波器一致；整层归一化（$\lVert\theta\rVert = \sqrt{26}$，$\lVert d\rVert = \sqrt 5$）只保证总长度相同，小滤波器会被推得太远。
//:en After filter normalisation the first filter has length 5 and the second length 1, like the weights' filters; whole-layer normalisation ($\lVert\theta\rVert = \sqrt{26}$, $\lVert d\rVert = \sqrt 5$) only matches the total length and pushes the small filter too far.

//: ## 训练好的网络
//:en ## The trained networks

//: 网络从第 8 课的输出文件夹读取（`Output/l08-depth/nets-<模式>/`，safetensors）。如果找不到（例如单独运行本课），本课用 LessonKit 里同一个训练函数 `trainDepthNet` 和同样的预算自己训练。
//:en The nets are read from lesson 8's output folder (`Output/l08-depth/nets-<mode>/`, safetensors). If they are missing (when this lesson runs on its own, say), this lesson trains them itself with the same function from LessonKit, `trainDepthNet`, and the same budget.
let dataset = DepthDataset.fromEnvironment()
let budget = DepthBudget.forMode(quick: nb.isQuick, paper: nb.isPaper)
let (shallow, deep) = (budget.shallow, budget.deep)
let nets = budget.pairNets
let l08Folder = nb.outputRoot.appendingPathComponent("l08-depth/nets-\(nb.mode.rawValue)", isDirectory: true)
var models: [String: CIFARResNet] = [:]
var weightFiles: [String: URL] = [:]
for net in nets {
    if let m = try loadDepthNet(net, dataset: dataset, from: l08Folder) {
        models[net.name] = m
        weightFiles[net.name] = l08Folder.appendingPathComponent("\(net.fileStem).safetensors")
    }
}
let missing = nets.filter { models[$0.name] == nil }
if !missing.isEmpty {
    nb.note(zh: "没有找到第 8 课的 \(missing.map(\.name).joined(separator: "、"))（\(l08Folder.lastPathComponent)），本课用 `trainDepthNet` 和第 8 课的预算自己训练。",
            en: "Lesson 8's \(missing.map(\.name).joined(separator: ", ")) not found (\(l08Folder.lastPathComponent)); this lesson trains them itself with `trainDepthNet` and lesson 8's budget.")
}
for net in missing {
    let folder = try nb.cachedDirectory("train-own", net, dataset, budget, after: []) { f in
        let (_, model) = trainDepthNet(net, channels: dataset.channels, data: try budget.load(dataset), recipe: budget.recipe,
                                       seed: nb.seed &+ UInt64(net.depth))
        try saveDepthNet(model, net, dataset: dataset, in: f.output)
    }
    models[net.name] = try loadDepthNet(net, dataset: dataset, from: folder)!
    weightFiles[net.name] = folder.appendingPathComponent("\(net.fileStem).safetensors")
}
nb.show("nets", nets.map(\.name))
//> nets: ["plain-8", "ResNet-8", "plain-14", "ResNet-14"]

//: ## 计算损失曲面
//:en ## Computing the landscapes

//: 损失在固定的一批训练图上计算（eval 模式，BN 用训练结束后按最终权重重新算出的均值和方差，见第 8 课），$\alpha, \beta \in [-1, 1]$。每个网络用自己的两个滤波器归一化方向（随机种子相同）。下面的图画的是这一个切片；衡量平滑的两个数在默认模式下是三个切片（三对随机方向）的平均，因为 9x9 的切片只有 49 个内部格点，一个切片的比例太粗。每个格点要对这批图做一次前向传播，所以网格是本课最花时间的部分；结果进实验缓存。默认模式用较粗的网格，`--paper` 模式用更细的网格和更多图片。
//:en The loss is computed on a fixed set of training images (eval mode: BN uses the mean and variance recomputed with the final weights after training, see lesson 8), with $\alpha, \beta \in [-1, 1]$. Each net gets its own two filter-normalised directions (same random seeds). The figures below draw this slice; the two smoothness numbers further down are, in the default mode, the mean over three slices (three pairs of random directions), because a 9x9 slice has only 49 interior points, too few for a share to be read from one. Every grid point costs one forward pass over these images, so the grids are the expensive part of this lesson; the results go into the experiment cache. The default mode uses a coarse grid, `--paper` a finer one and more images.
let (gridSteps, lineSteps, probeCount) = nb.isQuick ? (5, 5, 32) : nb.isPaper ? (15, 29, 256) : (9, 17, 64)
let extent = 1.0
nb.show("grid", "\(gridSteps) x \(gridSteps), α, β in [-\(extent), \(extent)]")
nb.show("1-D points", lineSteps)
nb.show("images per loss", probeCount)
//> grid: 5 x 5, α, β in [-1.0, 1.0]
//> 1-D points: 5
//> images per loss: 32
struct Landscape: Codable { var grid: LossGrid; var line: [Double]; var lineError: [Double]; var directionNorm: Double; var weightNorm: Double }
var computed: [String: Landscape] = [:]
for net in nets {
    computed[net.name] = try nb.cached("landscape", net, dataset, budget, gridSteps, lineSteps, probeCount, extent,
                                         reads: [weightFiles[net.name]!], after: []) { () -> Landscape in
        let model = models[net.name]!
        let data = try budget.load(dataset)
        let probe = LandscapeProbe(model: model, images: firstRows(data.train.images, probeCount),
                                   labels: Array(data.train.labels[..<probeCount]))
        let d1 = WeightDirection.filterNormalized(for: model, seed: nb.seed &+ 101)
        let d2 = WeightDirection.filterNormalized(for: model, seed: nb.seed &+ 202)
        let grid = LossGrid.compute(net.name, probe: probe, d1, d2, steps: gridSteps, extent: extent)
        let alphas = (0..<lineSteps).map { -extent + 2 * extent * Double($0) / Double(lineSteps - 1) }
        let line = alphas.map { probe.evaluate([d1], [$0]) }
        let weights = model.parameters().filter { $0.rank >= 2 }
        let weightNorm = sqrt(weights.reduce(0.0) { $0 + $1.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } })
        return Landscape(grid: grid, line: line.map(\.loss), lineError: line.map(\.error), directionNorm: d1.norm, weightNorm: weightNorm)
    }
}
let landscapes = computed
// More slices through the same θ* (other random direction pairs) for the smoothness measures:
// one 9x9 slice has only 49 interior points, too few for a share to be read from one run. Paper
// mode's 15x15 slice has 169.
let sliceCount = nb.isPaper ? 1 : nb.isQuick ? 2 : 3
var sliceGrids: [String: [LossGrid]] = nets.reduce(into: [:]) { $0[$1.name] = [landscapes[$1.name]!.grid] }
for net in nets {
    for k in 1..<max(sliceCount, 1) {
        let grid = try nb.cached("landscape-slice", net, dataset, budget, gridSteps, probeCount, extent, k,
                                 reads: [weightFiles[net.name]!], after: []) { () -> LossGrid in
            let model = models[net.name]!
            let data = try budget.load(dataset)
            let probe = LandscapeProbe(model: model, images: firstRows(data.train.images, probeCount),
                                       labels: Array(data.train.labels[..<probeCount]))
            let d1 = WeightDirection.filterNormalized(for: model, seed: nb.seed &+ 101 &+ 1000 * UInt64(k))
            let d2 = WeightDirection.filterNormalized(for: model, seed: nb.seed &+ 202 &+ 1000 * UInt64(k))
            return LossGrid.compute(net.name, probe: probe, d1, d2, steps: gridSteps, extent: extent)
        }
        sliceGrids[net.name]!.append(grid)
    }
}
let slices = sliceGrids
/// Mean of `measure` over a net's slices.
func sliceMean(_ name: String, _ measure: (LossGrid) -> Double) -> Double {
    let grids = slices[name]!
    return grids.map(measure).reduce(0, +) / Double(grids.count)
}
nb.table(header: ["net", "‖θ‖ (conv, fc)", "‖δ‖", "loss at θ*"],
         rows: nets.map { n in let l = landscapes[n.name]!; return [n.name, l.weightNorm, l.directionNorm, l.grid.center] as [any CustomStringConvertible] },
         caption: Bilingual(zh: "权重与方向的范数（按滤波器归一化后两者相等）", en: "Norms of the weights and the direction (equal after filter normalisation)"))
//> Table: 权重与方向的范数（按滤波器归一化后两者相等）
//> net        ‖θ‖ (conv, fc)    ‖δ‖  loss at θ*
//> ---------  --------------  -----  ----------
//> plain-8             9.206  9.206       1.991
//> ResNet-8            9.217  9.217       1.920
//> plain-14            12.57  12.57       2.037
//> ResNet-14           12.58  12.58       1.766

//: ## 等高线与曲面
//:en ## Contours and surfaces

//: 等高线画的是 $\log_{10} L$，在 $-1$ 到 1 之间每 0.25 一条（损失每乘以约 1.78 一条），再往上是 1.5、2、3、4、5，两张图用同样的等高线值，可以直接比较：线越密，损失变化越快。底色只是示意，每张图各自归一化。
//:en The contours show $\log_{10} L$, one line every 0.25 from $-1$ to 1 (every factor of about 1.78 in the loss), then 1.5, 2, 3, 4 and 5, with the same levels in both plots, so they compare directly: the denser the lines, the faster the loss changes. The background shading is only a guide, scaled per plot.
let logLevels = Array(stride(from: -1.0, through: 1.0, by: 0.25)) + [1.5, 2, 3, 4, 5]   // loss 0.1, 0.18, …, 10, 32, …, 10⁵
func contour(_ name: String) -> ContourPlot {
    let g = landscapes[name]!.grid
    return ContourPlot(title: name, xLabel: "α", yLabel: "β",
                       grid: Grid(rows: g.steps, columns: g.steps, values: g.values.map { log10(max($0, 1e-6)) }),
                       xRange: -extent...extent, yRange: -extent...extent, levels: logLevels, size: Size(250, 230))
}
nb.figure(SideBySide(panels: [contour("plain-\(deep)"), contour("ResNet-\(deep)")]), name: "fig-09-contour-deep",
          caption: Bilingual(zh: "plain-\(deep) 与 ResNet-\(deep) 的损失等高线（log10 损失，等高线值相同）",
                             en: "Loss contours of plain-\(deep) and ResNet-\(deep) (log10 loss, same levels)"))
nb.figure(SideBySide(panels: [contour("plain-\(shallow)"), contour("ResNet-\(shallow)")]), name: "fig-09-contour-shallow",
          caption: Bilingual(zh: "plain-\(shallow) 与 ResNet-\(shallow) 的损失等高线", en: "Loss contours of plain-\(shallow) and ResNet-\(shallow)"))
//> Figure: fig-09-contour-deep.pdf — plain-14 与 ResNet-14 的损失等高线（log10 损失，等高线值相同）
//> Figure: fig-09-contour-shallow.pdf — plain-8 与 ResNet-8 的损失等高线

//: 曲面图画的是损失本身，截断在同一个上限（四个网络中心损失最大值的 4 倍，至少为 5），两个曲面的高度用同一个刻度。
//:en The surfaces show the loss itself, cut at one common ceiling (4 times the largest centre loss of the four nets, at least 5), so both surfaces share one height scale.
let ceiling = max(5.0, 4 * (nets.map { landscapes[$0.name]!.grid.center }.max() ?? 1))
func surface(_ name: String) -> SurfacePlot {
    let g = landscapes[name]!.grid
    return SurfacePlot(title: name, grid: Grid(rows: g.steps, columns: g.steps, values: g.values.map { min($0, ceiling) }),
                       zLabel: "loss (cut at \(fmt(ceiling)))", zRange: 0...ceiling, size: Size(250, 220))
}
nb.figure(SideBySide(panels: [surface("plain-\(deep)"), surface("ResNet-\(deep)")]), name: "fig-09-surface-deep",
          caption: Bilingual(zh: "plain-\(deep) 与 ResNet-\(deep) 的损失曲面（同一高度刻度）",
                             en: "Loss surfaces of plain-\(deep) and ResNet-\(deep) (one height scale)"))
nb.figure(SideBySide(panels: [surface("plain-\(shallow)"), surface("ResNet-\(shallow)")]), name: "fig-09-surface-shallow",
          caption: Bilingual(zh: "plain-\(shallow) 与 ResNet-\(shallow) 的损失曲面", en: "Loss surfaces of plain-\(shallow) and ResNet-\(shallow)"))
//> Figure: fig-09-surface-deep.pdf — plain-14 与 ResNet-14 的损失曲面（同一高度刻度）
//> Figure: fig-09-surface-shallow.pdf — plain-8 与 ResNet-8 的损失曲面

//: ## 一维曲线
//:en ## One-dimensional curves

//: 沿第一个方向 $\delta$ 的一维切片 $L(\theta^* + \alpha\delta)$，四个网络画在一起（纵轴取对数）：
//:en The one-dimensional slice $L(\theta^* + \alpha\delta)$ along the first direction $\delta$, the four nets together (log vertical axis):
let alphas = (0..<lineSteps).map { -extent + 2 * extent * Double($0) / Double(lineSteps - 1) }
let lineColors = ["plain-\(shallow)": Color(hex: 0xE69F00), "plain-\(deep)": Color(hex: 0xB03A00),
                  "ResNet-\(shallow)": Color(hex: 0x56B4E9), "ResNet-\(deep)": Color(hex: 0x08306B)]
nb.figure(LineChart(xLabel: "α", yLabel: "training loss (log scale)", yScale: .log,
                    series: nets.map { .init($0.name, x: alphas, y: landscapes[$0.name]!.line, color: lineColors[$0.name],
                                             dashed: $0.kind == .none) },
                    legend: .topLeft, size: Size(420, 240)),
          name: "fig-09-lines",
          caption: Bilingual(zh: "沿一个滤波器归一化方向的一维损失曲线：普通网络（虚线）与 ResNet（实线）",
                             en: "Loss along one filter-normalised direction: plain nets (dashed) and ResNets (solid)"))
//> Figure: fig-09-lines.pdf — 沿一个滤波器归一化方向的一维损失曲线：普通网络（虚线）与 ResNet（实线）

//: ## 量一量“平滑”
//:en ## Measuring "smooth"

//: 讲义用自己的话对比两张曲面：没有残差连接时“噪声，容易陷入本地最优点”，有残差连接时“平滑，容易优化”。图看起来平不平滑是主观的，这里用两个数来量：
//:en The slide contrasts the two surfaces in its own words: without shortcuts "noisy, easy to get stuck in local optima", with them "smooth, easy to optimise". Whether a picture looks smooth is subjective, so two numbers measure it:

//: - **非凸比例**（衡量讲义的说法）：在每个内部格点上用有限差分算出这个二维切片的 2x2 Hessian（元素为 $L_{\alpha\alpha}$、$L_{\alpha\beta}$、$L_{\beta\beta}$），统计最小特征值为负（曲面在某个方向上向下弯）的格点所占比例。凸的碗处处为 0；有噪声的曲面——格点之间起伏不平——比例高，因为每个鼓包都在某个方向上向下弯。Li 等画的是完整 Hessian 的 $|\lambda_{min}/\lambda_{max}|$，这里问的是同一个问题，只是限于图中的这个二维切片。
//: - **固定距离处的损失上升**（作为参照）：网格上到中心距离约为 $r$ 的点的平均损失减去中心的损失，$r = 0.5$ 和 $r = 1$。方向已按滤波器归一化，距离 1 相当于每个滤波器都移动了与它自身一样长的一步，不同网络之间可以比较。它量的是陡，不是平滑：网络停在一个又深又窄的谷底（也就是训练得好）时它大，停在一片高的平台上时它小。讲义并没有说到陡不陡。
//:en - **Non-convex share** (the measure of the slide's claim): at every interior grid point, the 2x2 Hessian of this two-dimensional slice (entries $L_{\alpha\alpha}$, $L_{\alpha\beta}$, $L_{\beta\beta}$) from finite differences; the share of points where its smaller eigenvalue is negative (the surface bends down in some direction). A convex bowl scores 0 everywhere; a noisy surface, with bumps and dips between the grid points, scores high, because every bump bends down in some direction. Li et al. map $|\lambda_{min}/\lambda_{max}|$ of the full Hessian; this asks the same question of the two-dimensional slice the plots show.
//:en - **Rise at a fixed distance** (for reference): the mean loss of the grid points at distance about $r$ from the centre minus the loss at the centre, for $r = 0.5$ and $r = 1$. The directions are filter-normalised, so distance 1 moves every filter by a step as long as the filter itself, which makes nets comparable. It measures steepness, not smoothness: it is large when the net sits at the bottom of a deep, narrow basin (that is, when it trained well) and small when it sits on a high plateau. The slide says nothing about steepness.
struct Smoothness { var nonConvex: Double; var perSlice: [Double]; var rise05: Double; var rise1: Double; var center: Double }
let smoothness: [String: Smoothness] = nets.reduce(into: [:]) { table, n in
    table[n.name] = Smoothness(nonConvex: sliceMean(n.name, \.nonConvexShare), perSlice: slices[n.name]!.map(\.nonConvexShare),
                               rise05: sliceMean(n.name) { $0.rise(atRadius: 0.5) }, rise1: sliceMean(n.name) { $0.rise(atRadius: 1) },
                               center: landscapes[n.name]!.grid.center)
}
let rows = nets.map { n -> [any CustomStringConvertible] in
    let m = smoothness[n.name]!
    return [n.name, m.center, m.nonConvex, m.perSlice.map { String(format: "%.2f", $0) }.joined(separator: " / "), m.rise05, m.rise1]
}
nb.table(header: ["net", "loss at θ*", "non-convex share", "per slice", "rise at r = 0.5", "rise at r = 1"], rows: rows,
         caption: Bilingual(zh: "损失曲面的平滑程度（\(sliceCount) 个切片的平均）", en: "How smooth the landscapes are (mean of \(sliceCount) slice\(sliceCount == 1 ? "" : "s"))"))
let pd = smoothness["plain-\(deep)"]!, rd = smoothness["ResNet-\(deep)"]!
let ps = smoothness["plain-\(shallow)"]!, rs = smoothness["ResNet-\(shallow)"]!
let smoother = pd.nonConvex > rd.nonConvex
let deepGap = pd.nonConvex - rd.nonConvex, shallowGap = ps.nonConvex - rs.nonConvex
let residualSteeper = rd.rise05 > pd.rise05
// ln 10: the cross-entropy of a uniform guess over the 10 classes.
let plainUntrained = pd.center >= 0.9 * log(10.0)
nb.show("plain-\(deep) has the larger non-convex share", smoother)
nb.note(zh: "本次运行的非凸比例：plain-\(deep) \(fmt(pd.nonConvex))，ResNet-\(deep) \(fmt(rd.nonConvex))；plain-\(shallow) \(fmt(ps.nonConvex))，ResNet-\(shallow) \(fmt(rs.nonConvex))。"
            + (smoother ? "深的普通网络的切片在更多的格点上向下弯：它的曲面更不平滑" : "这次深的普通网络的切片并不比 ResNet 的更不凸")
            + (smoother && deepGap > shallowGap ? "，而且两者之差（\(fmt(deepGap))）比浅的一对（\(fmt(shallowGap))）大。" : "。")
            + "距离 0.5 处的上升：plain-\(deep) \(fmt(pd.rise05))，ResNet-\(deep) \(fmt(rd.rise05))；距离 1 处分别为 \(fmt(pd.rise1)) 和 \(fmt(rd.rise1))；中心的损失分别为 \(fmt(pd.center)) 和 \(fmt(rd.center))。"
            + (residualSteeper ? "ResNet-\(deep) 停在更低的损失上，四周升得更快：它的谷更深。" : "plain-\(deep) 的损失在四周升得更快。")
            + (plainUntrained ? "注意：plain-\(deep) 中心的损失接近 ln 10 ≈ 2.30，即对 10 类均匀猜测的损失——这次它几乎没有训练起来（见第 8 课），所以它的 θ* 还停在未训练网络的平台上：等高线图里那一大片平坦的区域就是这个平台，非凸比例数的是平台上的细小起伏，而不是一个训练出来的谷。" : ""),
        en: "This run's non-convex shares: plain-\(deep) \(fmt(pd.nonConvex)), ResNet-\(deep) \(fmt(rd.nonConvex)); plain-\(shallow) \(fmt(ps.nonConvex)), ResNet-\(shallow) \(fmt(rs.nonConvex))."
            + (smoother ? " The deep plain net's slice bends down at more of its points: its surface is the less smooth one" : " This time the deep plain net's slice is not the less convex one")
            + (smoother && deepGap > shallowGap ? ", and the gap (\(fmt(deepGap))) is larger than the shallow pair's (\(fmt(shallowGap)))." : ".")
            + " Rise at distance 0.5: plain-\(deep) \(fmt(pd.rise05)), ResNet-\(deep) \(fmt(rd.rise05)); at distance 1, \(fmt(pd.rise1)) and \(fmt(rd.rise1)); the losses at the centre are \(fmt(pd.center)) and \(fmt(rd.center))."
            + (residualSteeper ? " ResNet-\(deep) sits at the lower loss and its loss rises faster around it: its basin is the deeper one." : " plain-\(deep)'s loss rises the faster around its centre.")
            + (plainUntrained ? " Note: plain-\(deep)'s loss at the centre is close to ln 10 ≈ 2.30, the loss of a uniform guess over 10 classes: this time it hardly trained at all (see lesson 8), so its θ* still sits on the plateau of an untrained net. The wide flat region of its contour plot is that plateau, and its non-convex share counts the small ripples on it, not a trained basin." : ""))
//> Table: 损失曲面的平滑程度（2 个切片的平均）
//> net        loss at θ*  non-convex share  per slice    rise at r = 0.5  rise at r = 1
//> ---------  ----------  ----------------  -----------  ---------------  -------------
//> plain-8         1.991            0.2222  0.33 / 0.11            1.829          21.13
//> ResNet-8        1.920           0.05556  0.11 / 0.00            2.121          17.54
//> plain-14        2.037            0.4444  0.44 / 0.44            14.48          344.5
//> ResNet-14       1.766            0.5556  0.56 / 0.56            7.638          106.8
//> plain-14 has the larger non-convex share: false

//: 本次的数字见上面的注记和表。Li 等的图里，深的普通网络的曲面杂乱，ResNet-56 的曲面像一个凸的碗。我们的网络训练得很短（步数见第 8 课的注记），网格也粗（9x9，每个损失只用 64 张图），这些数只能说明趋势；`--paper` 模式用更细的网格（15x15）和更多图片（256 张）。这么短的训练里，“陡”和“平滑”可能各说各的：训练得最差的普通网络停在高得多的损失上，权重也大得多（见范数表），四周可能是一片起伏不平的平台——非凸比例高，上升却小；ResNet 停在一个谷底，谷壁升得快，但谷是凸的。Li 等的网络训练到了收敛，普通网络的曲面既陡又乱。浅的一对（20 层）跳跃连接的作用小得多，两者的差别也应当小。
//:en This run's numbers are in the note and the table above. In Li et al.'s figures the deep plain net's surface is chaotic, while ResNet-56's looks like a convex bowl. Our nets trained for very few steps (lesson 8's note gives the count) and the grid is coarse (9x9, each loss on 64 images), so these numbers show a trend only; `--paper` mode uses a finer grid (15x15) and more images (256). After so short a training, "steep" and "smooth" can part ways: the plain net that trained worst sits at a much higher loss with much larger weights (see the table of norms), possibly on an uneven plateau, with a high non-convex share but a small rise; the ResNet sits at the bottom of a basin whose walls rise fast, but the basin is convex. Li et al.'s nets were trained to convergence, and there the plain net's surface is both steep and chaotic. For the shallow pair (20 layers), skip connections matter much less, and the two should differ less.

//: ## 小结
//:en ## Takeaways

//: - 滤波器归一化：$d_i \leftarrow d_i \lVert\theta_i\rVert / \lVert d_i\rVert$，BN 参数与偏置不动；这样不同网络的图可以比较。
//: - 深的普通网络的损失曲面不平滑：非凸的部分多；ResNet 的更平滑、更接近凸的碗。本次测得的数字见上。损失离开 $\theta^*$ 升得多快是另一回事：它取决于网络训练进了多深的谷。
//:en - Filter normalisation: $d_i \leftarrow d_i \lVert\theta_i\rVert / \lVert d_i\rVert$, with BN parameters and biases left alone, so plots of different nets compare.
//:en - A deep plain net's loss surface is not smooth: much of it is non-convex; a ResNet's is smoother and closer to a convex bowl. The numbers measured in this run are above. How fast the loss rises away from $\theta^*$ is another matter: it depends on how deep a basin the net trained into.
//- hide
nb.exercise(zh: "给定一个卷积层的权重和一个随机方向，按滤波器归一化这个方向。",
            en: "Given a conv layer's weights and a random direction, normalise the direction filter by filter.",
            grader: "filter-normalization")
nb.finish()
