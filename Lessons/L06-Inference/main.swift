//: # L06 · 推断：讲义的 PyTorch VGG 示例
//:en # L06 · Inference: the lecture's PyTorch VGG example

//: 讲义最后用 PyTorch 演示了怎样拿预训练的 VGG 给一张图片分类：准备网络（`torch.hub.load(..., 'vgg11', pretrained=True)`，`model.eval()`），准备数据（缩放到 256、中心裁剪 224、按 ImageNet 的均值和标准差归一化），前向传播得到 1000 个未归一化的分数，用 softmax 变成概率，最后按 top-5 列出类别名。本课在引擎里把这几步逐一做一遍。
//:en The lecture ends with a PyTorch demonstration of classifying an image with a pretrained VGG: prepare the network (`torch.hub.load(..., 'vgg11', pretrained=True)`, `model.eval()`), prepare the data (resize to 256, centre crop 224, normalize with the ImageNet mean and standard deviation), run the forward pass to get 1000 unnormalized scores, turn them into probabilities with softmax, and list the top-5 class names. This lesson does each step in the engine.

//- hide
import Analysis
import CNN
import Checkpoint
import Datasets
import Inference
import Foundation
import Notebook
import Render
import Training
import Weave
import Zoo

let nb = Notebook("l06-inference")
Random.seed(nb.seed)
try FileManager.default.createDirectory(at: nb.directory, withIntermediateDirectories: true)

//: ## 准备数据
//:en ## Preparing the data

//: 讲义下载了一张狗的照片（dog.jpg）。本课不依赖网络：默认用代码画一张 480x360 的风景图，存成 PNG 再读回来（`--image 文件` 或环境变量 `COURSE_IMAGE` 可以换成任何 PNG/JPEG 照片）。torchvision 的预处理与引擎的对应关系：
//:en The lecture downloads a photo of a dog (dog.jpg). This lesson does not depend on the network: by default it draws a 480x360 landscape in code, saves it as a PNG and reads it back (`--image FILE` or the environment variable `COURSE_IMAGE` substitutes any PNG/JPEG photo). torchvision's preprocessing and the engine's counterparts:

//: - `transforms.Resize(256)` → `Resize(shorterSide: 256)`
//: - `transforms.CenterCrop(224)` → `CenterCrop(size: 224)`
//: - `transforms.ToTensor()` → PNG/JPEG 解码，像素值 $k/255$
//: - `transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])` → `Normalize.imageNet`
//:en - `transforms.Resize(256)` → `Resize(shorterSide: 256)`
//:en - `transforms.CenterCrop(224)` → `CenterCrop(size: 224)`
//:en - `transforms.ToTensor()` → PNG/JPEG decoding, values $k/255$
//:en - `transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])` → `Normalize.imageNet`
let arguments = nb.options.remainingArguments
let imagePath = option("--image", environment: "COURSE_IMAGE", in: arguments)
let scenePath = nb.directory.appendingPathComponent("generated-scene.png").path
try PNG.write(generatedScene(), to: scenePath)
func loadRGB(_ path: String) throws -> Image {
    path.lowercased().hasSuffix(".png") ? try PNG.decode(file: path, mode: .rgb)
                                        : try JPEG.decode(file: path, mode: .rgb)
}
let input = try loadRGB(imagePath ?? scenePath)
let resized = Resize(shorterSide: 256)(input)
let cropped = CenterCrop(size: 224)(resized)
let normalized = Normalize.imageNet(cropped)
//- fold table and figure
func channelMeans(_ im: Image) -> [Float] {
    let plane = im.height * im.width
    return (0..<3).map { c in im.pixels[c * plane..<(c + 1) * plane].reduce(0, +) / Float(plane) }
}
nb.table(header: ["step", "shape [C, H, W]", "channel means"],
         rows: [["decoded", input.shape, channelMeans(input).map { String(format: "%.3f", $0) }.joined(separator: ", ")],
                ["Resize(256)", resized.shape, channelMeans(resized).map { String(format: "%.3f", $0) }.joined(separator: ", ")],
                ["CenterCrop(224)", cropped.shape, channelMeans(cropped).map { String(format: "%.3f", $0) }.joined(separator: ", ")],
                ["Normalize", normalized.shape, channelMeans(normalized).map { String(format: "%.3f", $0) }.joined(separator: ", ")]],
         caption: Bilingual(zh: "预处理的每一步", en: "Each step of the preprocessing"))
nb.figure(ImageGrid(tiles: [.init(raster(input), label: "input \(input.width)×\(input.height)"),
                            .init(raster(denormalized(normalized)), label: "crop 224×224")], columns: 2,
                    size: Size(420, 190)),
          name: "fig-06-preprocess",
          caption: Bilingual(zh: "输入图片与预处理后的 224x224 中心区域（已反归一化以便显示）",
                             en: "The input image and the preprocessed 224x224 centre (denormalized for display)"))
//> Table: 预处理的每一步
//> step             shape [C, H, W]  channel means
//> ---------------  ---------------  --------------------
//> decoded          [3, 360, 480]    0.451, 0.598, 0.622
//> Resize(256)      [3, 256, 341]    0.450, 0.598, 0.622
//> CenterCrop(224)  [3, 224, 224]    0.464, 0.611, 0.608
//> Normalize        [3, 224, 224]    -0.091, 0.690, 0.900
//> Figure: fig-06-preprocess.pdf — 输入图片与预处理后的 224x224 中心区域（已反归一化以便显示）

//: `Resize(256)` 只规定短边：长边按比例变成 $\lfloor 256 \cdot 480 / 360 \rfloor = 341$；之后的中心裁剪丢掉左右两边。最后一行的均值说明归一化把每个通道移到了 0 附近（对这张图不一定正好是 0，因为 ImageNet 的均值是整个训练集的均值）。`unsqueeze(0)` 对应于把 $[3, 224, 224]$ 变成批量为 1 的 $[1, 3, 224, 224]$。
//:en `Resize(256)` fixes only the shorter side: the longer one becomes $\lfloor 256 \cdot 480 / 360 \rfloor = 341$ in proportion, and the centre crop then cuts off both sides. The last row's means show normalization moving every channel towards 0 (not exactly 0 for this picture, since the ImageNet mean is that of the whole training set). `unsqueeze(0)` corresponds to reshaping $[3, 224, 224]$ into a batch of one, $[1, 3, 224, 224]$.
//- show
let batch = normalized.tensor().reshaped([1, 3, 224, 224])
nb.show("input batch", batch.shape)
//> input batch: [1, 3, 224, 224]

//: ## 类别名
//:en ## The class names

//: 讲义从 pytorch/hub 下载 `imagenet_classes.txt`。本课用套件 `Inference` 模块里的 `ImageNet.classNames`（`course classify` 用的也是它），顺序与 torchvision 的 `VGG11_Weights.IMAGENET1K_V1.meta["categories"]` 相同（第 $i$ 行就是第 $i$ 个输出）。它与 pytorch/hub 的文件在两个重名类别上不同：torchvision 把重名的两个 “crane” 之一写作 “crane bird”，两个 “maillot” 之一写作 “maillot tank suit”。
//:en The lecture downloads `imagenet_classes.txt` from pytorch/hub. This lesson uses `ImageNet.classNames` from the kit's `Inference` module (the list `course classify` uses), in the order of torchvision's `VGG11_Weights.IMAGENET1K_V1.meta["categories"]` (line $i$ is output $i$). It differs from the pytorch/hub file in the two duplicated names: torchvision renames one of the two "crane" classes "crane bird" and one of the two "maillot" classes "maillot tank suit".
let categories = ImageNet.classNames
nb.show("classes", categories.count)
nb.show("classes 258, 259", [categories[258], categories[259]])
nb.show("distinct names", Set(categories).count)
//> classes: 1000
//> classes 258, 259: ["Samoyed", "Pomeranian"]
//> distinct names: 1000

//: ## 准备网络：真实的权重
//:en ## Preparing the network: real weights

//: `torch.hub.load(..., pretrained=True)`（以及 `torchvision.models.vgg11(weights="IMAGENET1K_V1")`）第一次运行时把权重下载到 PyTorch 的 hub 缓存：`$TORCH_HOME/hub/checkpoints/`，`TORCH_HOME` 默认是 `~/.cache/torch`，所以通常是 `~/.cache/torch/hub/checkpoints/vgg11-8a719046.pth`。把这个文件（或 vgg16、resnet50 等任何 torchvision 分类权重）交给本课：`--weights 文件` 或环境变量 `COURSE_VGG_WEIGHTS`；模型名从文件名前缀推断（`vgg16-397923af.pth` → `vgg16`），也可以用 `--model` / `COURSE_VGG_MODEL` 指定。引擎直接读 PyTorch 的 `.pth`（zip + pickle）或 `.safetensors`，按 state_dict 的键装进模型库里同名的模型。
//:en `torch.hub.load(..., pretrained=True)` (and `torchvision.models.vgg11(weights="IMAGENET1K_V1")`) downloads the weights on first use into PyTorch's hub cache, `$TORCH_HOME/hub/checkpoints/`, with `TORCH_HOME` defaulting to `~/.cache/torch`, so typically `~/.cache/torch/hub/checkpoints/vgg11-8a719046.pth`. Give that file (or vgg16, resnet50 or any torchvision classification weights) to this lesson with `--weights FILE` or the environment variable `COURSE_VGG_WEIGHTS`; the model name is inferred from the file name's prefix (`vgg16-397923af.pth` → `vgg16`) or given with `--model` / `COURSE_VGG_MODEL`. The engine reads PyTorch's `.pth` (zip + pickle) or `.safetensors` directly and loads the state_dict keys into the zoo model of the same name.
let weightsPath = option("--weights", environment: "COURSE_VGG_WEIGHTS", in: arguments)
if let weightsPath {
    let file = URL(fileURLWithPath: weightsPath)
    let inferred = String(file.lastPathComponent.prefix { $0 != "-" && $0 != "." })
    let modelName = option("--model", environment: "COURSE_VGG_MODEL", in: arguments) ?? inferred
    let model = try Zoo.model(named: modelName)                 // model = torch.hub.load(...)
    let report = try model.loadStateDict(try readCheckpoint(file))
    model.eval()                                                // model.eval()
    let output = withNoGrad { model(batch) }                    // with torch.no_grad(): ...
    let probabilities = softmax(output).scalars                 // softmax(output[0], dim=0)
    let top5 = topK(probabilities, 5)                           // torch.topk(probabilities, 5)
    let lines = top5.map { "\(categories[$0.index]) \($0.probability)" }
    let image = imagePath ?? "generated-scene.png"
    nb.note(zh: "已载入 \(file.lastPathComponent)（\(modelName)，\(report)）。"
                + "图片 \(image) 的 top-5：\n\n" + lines.joined(separator: "\n\n"),
            en: "Loaded \(file.lastPathComponent) (\(modelName), \(report)). "
                + "Top-5 for \(image):\n\n" + lines.joined(separator: "\n\n"))
} else {
    nb.note(zh: "没有给出权重文件（`--weights` 或 `COURSE_VGG_WEIGHTS` 未设置），所以这里不运行真实的 VGG。"
                + "下面用随机初始化的网络演示流水线，再用一个当场训练、存盘、读回的小模型演示完整的推断。",
            en: "No weights file was given (`--weights` or `COURSE_VGG_WEIGHTS` unset), so the real VGG does not run here. "
                + "Below, a randomly initialised network demonstrates the pipeline, and a small model trained, saved and "
                + "read back on the spot demonstrates the whole inference.")
}

//: 有权重时，本课打印的 top-5 与讲义的 PyTorch 代码对同一张图的结果一致（讲义对 dog.jpg 的结果是 Samoyed 0.667、Pomeranian 0.162……）；引擎在浮点像素上缩放，而 PIL 在 8 位图像上每一遍缩放后取整，所以概率可能在千分位上有差别。
//:en With weights, the top-5 this lesson prints agrees with the lecture's PyTorch code on the same image (the lecture's result for dog.jpg is Samoyed 0.667, Pomeranian 0.162, …); the engine resizes float pixels while PIL rounds an 8-bit image after each resize pass, so probabilities can differ in the third decimal.

//: ## 没有训练的网络
//:en ## An untrained network

//: 同样的流水线交给一个随机初始化的 VGG-11（与讲义的 `vgg11` 结构相同，只是没有训练过）。输出仍是 1000 个分数，softmax 之后的概率却几乎是均匀的：熵接近 $\ln 1000$，最大的概率也只比 $1/1000$ 大一点。类别名只有配上训练好的权重才有意义。
//:en The same pipeline, given a randomly initialised VGG-11 (the lecture's `vgg11` architecture, untrained). The output is still 1000 scores, but after softmax the probabilities are almost uniform: the entropy is close to $\ln 1000$ and the largest probability barely exceeds $1/1000$. Class names only mean something with trained weights.
let untrained = try Zoo.model(named: nb.isQuick ? "resnet18" : "vgg11")
untrained.eval()
let scores = withNoGrad { untrained(batch) }
let flat = softmax(scores).scalars
let entropy = flat.reduce(0.0) { $0 - ($1 > 0 ? Double($1) * log(Double($1)) : 0) }
nb.show("scores", scores.shape)
nb.show("sum of probabilities ≈ 1", abs(flat.reduce(0, +) - 1) < 1e-3)
nb.show("entropy / ln 1000 > 0.99", entropy / log(1000.0) > 0.99)
nb.show("max probability < 0.01", flat.max()! < 0.01)
//> scores: [1, 1000]
//> sum of probabilities ≈ 1: true
//> entropy / ln 1000 > 0.99: true
//> max probability < 0.01: true

//: ## 完整的推断：一个小模型
//:en ## The whole inference with a small model

//: 为了让没有 ImageNet 权重的读者也能看到完整的推断，本课当场在 Fashion-MNIST 上训练一个 LeNet-5（ReLU 版本），用 safetensors 格式存盘（和 `.pth` 一样是 state_dict），再把它读进一个新建的模型；然后把一张测试图片存成 PNG，从 PNG 读回，前向传播、softmax、top-5。训练结果存进实验缓存。
//:en So that a reader without ImageNet weights still sees the whole inference, the lesson trains a LeNet-5 (the ReLU version) on Fashion-MNIST on the spot, saves it in the safetensors format (a state_dict, like `.pth`), and reads it into a freshly built model; then it saves a test image as PNG, reads the PNG back, and runs the forward pass, softmax and top-5. The training result goes into the experiment cache.
let trained = try nb.cachedDirectory("train-lenet", nb.isQuick, after: []) { folders in
    let (count, epochs) = nb.isQuick ? (2_000, 1) : (20_000, 3)
    let (images, labels) = try FashionMNIST.load(.train).tensors(count: count)
    let net = try Zoo.model(named: "lenet5_relu")
    let batches = TensorBatchSource(images: images, labels: labels, batchSize: 64, seed: nb.seed)
    try Training.fit(model: net, train: batches,
                     optimizer: SGD(model: net, learningRate: 0.05, momentum: 0.9), epochs: epochs,
                     loss: { crossEntropy(logits: $0, labels: $1) },
                     options: FitOptions(seed: nb.seed, progress: .silent, recordSteps: false))
    let file = folders.output.appendingPathComponent("lenet5-fashion.safetensors")
    try writeCheckpoint(StateDict(module: net), to: file)
}
let checkpoint = trained.appendingPathComponent("lenet5-fashion.safetensors")
let lenet = try Zoo.model(named: "lenet5_relu")
let loaded = try lenet.loadStateDict(try readCheckpoint(checkpoint))
lenet.eval()
nb.show("load_state_dict", loaded)
nb.show("checkpoint tensors", try readCheckpoint(checkpoint).keys)

let test = try FashionMNIST.load(.test)
let samplePath = nb.directory.appendingPathComponent("fashion-test-0.png").path
try PNG.write(test.item(0).image, to: samplePath)
let sample = try PNG.decode(file: samplePath, mode: .gray)
let logits = withNoGrad { lenet(sample.tensor().reshaped([1, 1, 28, 28])) }
let lenetProbabilities = softmax(logits).scalars
nb.show("true class", FashionMNIST.classNames[test.item(0).label])
//> load_state_dict: <All keys matched successfully>
//> checkpoint tensors: ["features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "classifier.1.weight", "classifier.1.bias", "classifier.3.weight", "classifier.3.bias", "classifier.5.weight", "classifier.5.bias"]
//> true class: Ankle boot
//- fold table and figure
nb.table(header: ["rank", "class", "probability"],
         rows: topK(lenetProbabilities, 5).enumerated().map { r, p -> [any CustomStringConvertible] in
             [r + 1, FashionMNIST.classNames[p.index], String(format: "%.3f", p.probability)]
         },
         caption: Bilingual(zh: "从 PNG 读回的测试图片：top-5", en: "The test image read back from PNG: top-5"))
let top5 = topK(lenetProbabilities, 5)
nb.figure(SideBySide(panels: [
              ImageGrid(tiles: [.init(raster(sample), label: "test image 0")], columns: 1,
                        size: Size(150, 170)),
              BarChart(valueLabel: "probability", categories: top5.map { FashionMNIST.classNames[$0.index] },
                       series: [.init("p", top5.map { Double($0.probability) })], orientation: .horizontal,
                       showValues: true, size: Size(290, 170))]),
          name: "fig-06-fashion-sample",
          caption: Bilingual(zh: "分类的测试图片（28x28，灰度）和 top-5 概率", en: "The test image being classified (28x28, grey) and its top-5 probabilities"))
//> Table: 从 PNG 读回的测试图片：top-5
//> rank  class       probability
//> ----  ----------  -----------
//>    1  Ankle boot        0.367
//>    2  Sneaker           0.232
//>    3  Sandal            0.147
//>    4  Bag               0.114
//>    5  Pullover          0.041
//> Figure: fig-06-fashion-sample.pdf — 分类的测试图片（28x28，灰度）和 top-5 概率

//: ## 批量为 1 的延迟
//:en ## Batch-1 latency

//: 讲义的示例一次只推断一张图。下面测量模型库中各模型批量为 1 的前向时间：先预热一次，再取若干次的中位数（评估模式，不建计算图）。时间取决于机器和当时的负载，所以只画成图，不作为固定的数；MACs 列由引擎计数。快速模式只测小模型。
//:en The lecture's example infers one image at a time. Below, the batch-1 forward time of zoo models: one warm-up pass, then the median of several runs (evaluation mode, no graph). Times depend on the machine and its load at the moment, so they are only plotted, not quoted as fixed numbers; the MACs column is counted by the engine. Quick mode measures only small models.
struct Latency: Codable { var model: String; var macs: Int; var milliseconds: Double }
let latencyModels = nb.isQuick ? ["lenet5", "resnet20", "alexnet"]
                               : ["lenet5", "resnet20", "alexnet", "googlenet", "resnet18", "resnet50", "densenet121",
                                  "vgg11", "vgg16"]
let latencies = try nb.cached("latency", latencyModels, after: []) { () -> [Latency] in
    try latencyModels.map { name in
        let model = try Zoo.model(named: name), shape = Zoo.entry(named: name)!.inputShape
        let macs = try Analysis.summarize(model, input: [1] + shape).total.macs
        let ms = medianLatency(model, input: shape, runs: nb.isQuick ? 3 : 5)
        return Latency(model: name, macs: macs, milliseconds: ms)
    }
}
//- fold table, chart and the measured times
nb.table(header: ["model", "input", "MACs"],
         rows: latencies.map { l -> [any CustomStringConvertible] in
             let s = Zoo.entry(named: l.model)!.inputShape
             return [l.model, "\(s[1])×\(s[2])", l.macs >= 1_000_000_000 ? String(format: "%.2f G", Double(l.macs) / 1e9)
                                                                   : String(format: "%.1f M", Double(l.macs) / 1e6)]
         },
         caption: Bilingual(zh: "测量延迟的模型", en: "The models timed"))
nb.figure(BarChart(categoryLabel: "model", valueLabel: "median batch-1 latency (ms)",
                   categories: latencies.map(\.model), series: [.init("ms", latencies.map(\.milliseconds))],
                   orientation: .horizontal, valueScale: .log, showValues: true, size: Size(440, 40 + 24 * Double(latencies.count))),
          name: "fig-06-latency",
          caption: Bilingual(zh: "批量为 1 的前向延迟（中位数，本机）", en: "Batch-1 forward latency (median, this machine)"))
nb.note(zh: "本次测得的中位延迟（ms）与吞吐（GMAC/s）：" + latencies.map {
            "\($0.model) \(String(format: "%.1f", $0.milliseconds)) ms（\(String(format: "%.1f", Double($0.macs) / $0.milliseconds / 1e6)) GMAC/s）"
        }.joined(separator: "，"),
        en: "Median latencies measured in this run (ms) and throughput (GMAC/s): " + latencies.map {
            "\($0.model) \(String(format: "%.1f", $0.milliseconds)) ms (\(String(format: "%.1f", Double($0.macs) / $0.milliseconds / 1e6)) GMAC/s)"
        }.joined(separator: ", "))
//> Table: 测量延迟的模型
//> model     input    MACs
//> --------  -------  -------
//> lenet5    28×28    0.4 M
//> resnet20  32×32    40.6 M
//> alexnet   224×224  714.2 M
//> Figure: fig-06-latency.pdf — 批量为 1 的前向延迟（中位数，本机）

//: 延迟大致随 MACs 增长，但不成正比：小模型的时间主要花在每层的固定开销上，GMAC/s 很低；大的卷积层能让矩阵乘法（sgemm）跑满两个核。
//:en Latency grows roughly with MACs but not in proportion: small models spend their time on per-layer overheads and reach few GMAC/s, while large convolutions keep the matrix multiplication (sgemm) busy on both cores.

//: ## 小结
//:en ## Summary

//: - 推断 = 与训练时相同的预处理（Resize 256、CenterCrop 224、Normalize）+ 评估模式的前向传播 + softmax + top-k。
//: - torchvision 的权重在 `$TORCH_HOME/hub/checkpoints/`（默认 `~/.cache/torch/hub/checkpoints/`）；引擎直接读取 `.pth` 和 `.safetensors`。
//: - 类别名的顺序必须与权重训练时的输出顺序一致；没有训练过的网络给出几乎均匀的概率。
//:en - Inference = the training-time preprocessing (Resize 256, CenterCrop 224, Normalize) + a forward pass in evaluation mode + softmax + top-k.
//:en - torchvision's weights live in `$TORCH_HOME/hub/checkpoints/` (by default `~/.cache/torch/hub/checkpoints/`); the engine reads `.pth` and `.safetensors` directly.
//:en - The class names must be in the order of the outputs the weights were trained with; an untrained network gives almost uniform probabilities.
//- hide
nb.finish()
