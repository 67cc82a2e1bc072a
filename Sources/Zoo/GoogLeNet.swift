// Original paper: C. Szegedy, W. Liu, Y. Jia, P. Sermanet, S. Reed, D. Anguelov, D. Erhan,
// V. Vanhoucke, A. Rabinovich, "Going Deeper with Convolutions", CVPR 2015 (Table 1, Figure 3).
//
// `GoogLeNet(style: .torchvision)` (zoo name `googlenet`) is torchvision's port, with its keys:
// deviations from the paper are batch norm after every conv (conv without bias, ε = 0.001),
// no LRN, a 3x3 instead of 5x5 conv in each module's third branch, max pools in ceil mode,
// dropout 0.2 instead of 0.4, and auxiliary heads off by default (torchvision drops them from
// its released weights; 6,624,904 parameters without them). torchvision's `transform_input`
// (re-normalising ImageNet inputs for Google's weights) is not reproduced.
//
// `GoogLeNet(style: .original)` (zoo name `googlenet_original`) follows the paper: convs with bias
// and ReLU, LRN (PyTorch/Caffe convention, size 5, α = 1e-4, β = 0.75) after the stem's pool and
// after conv3x3, 5x5 third branches, a 7x7 average pool, dropout 0.4. Deviation: paddings and
// ceil-mode pools as in the Caffe reference model (the paper does not list them).
import CNN

/// An auxiliary classifier: avg pool 5x5/3 (original) or adaptive 4x4 (torchvision) → 1x1 conv
/// to 128 → FC 1024 → dropout 0.7 → FC classes.
///
/// - Shape: [N, C, 14, 14] → [N, classes]
public final class InceptionAuxiliary: Module {
    public let conv: Module, fc1: Linear, fc2: Linear
    let style: InceptionStyle
    let drop = Dropout(probability: 0.7)

    public init(inputChannels: Int, classes: Int, style: InceptionStyle) {
        self.style = style
        conv = style == .torchvision ? ConvNormReLU(inputChannels, 128, kernel: 1) : ConvReLU(inputChannels, 128, kernel: 1)
        fc1 = Linear(inputFeatures: 2048, outputFeatures: 1024)
        fc2 = Linear(inputFeatures: 1024, outputFeatures: classes)
        super.init()
        register("conv", conv); register("fc1", fc1); register("fc2", fc2)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let pooled = style == .torchvision ? adaptiveAvgPool2d(x, outputSize: (4, 4))
                                           : avgPool2d(x, kernelSize: (5, 5), stride: (3, 3))
        return fc2(drop(fc1(conv(pooled).flattened()).relu()))
    }
}

/// GoogLeNet (Inception v1), 22 layers with parameters.
///
/// - Shape: [N, 3, 224, 224] → [N, classes]. In training with auxiliary heads, `auxiliaryOutputs`
///   holds the two auxiliary logits of the last forward pass (for the 0.3-weighted losses).
public final class GoogLeNet: Module {
    public let style: InceptionStyle
    public let aux1: InceptionAuxiliary?, aux2: InceptionAuxiliary?
    /// Logits of the auxiliary heads from the last training-mode forward pass.
    public private(set) var auxiliaryOutputs: [Tensor] = []
    let stem: [Module], stage3: [Module], stage4: [Module], stage5: [Module], head: [Module]

    public init(style: InceptionStyle = .torchvision, classes: Int = 1000, auxiliaryHeads: Bool = false) {
        self.style = style
        let tv = style == .torchvision
        func unit(_ name: String, _ i: Int, _ o: Int, _ k: Int, _ s: Int = 1) -> (String, Module) {
            (name, tv ? ConvNormReLU(i, o, kernel: k, stride: s, padding: k / 2) : ConvReLU(i, o, kernel: k, stride: s, padding: k / 2))
        }
        func pool(_ name: String, _ k: Int = 3) -> (String, Module) { (name, MaxPool2D(kernelSize: k, stride: 2, ceilMode: true)) }
        func lrn(_ name: String) -> (String, Module) { (name, LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 1)) }
        func inception(_ name: String, _ c: Int, _ a: Int, _ b: Int, _ d: Int, _ e: Int, _ f: Int, _ g: Int) -> (String, Module) {
            (name, InceptionModule(inputChannels: c, ch1x1: a, ch3x3reduce: b, ch3x3: d, ch5x5reduce: e, ch5x5: f,
                                   poolProjection: g, style: style))
        }
        var stemParts = [unit("conv1", 3, 64, 7, 2), pool("maxpool1")]
        if !tv { stemParts.append(lrn("lrn1")) }
        stemParts += [unit("conv2", 64, 64, 1), unit("conv3", 64, 192, 3)]
        if !tv { stemParts.append(lrn("lrn2")) }
        stemParts.append(pool("maxpool2"))
        let s3 = [inception("inception3a", 192, 64, 96, 128, 16, 32, 32), inception("inception3b", 256, 128, 128, 192, 32, 96, 64),
                  pool("maxpool3")]
        let s4 = [inception("inception4a", 480, 192, 96, 208, 16, 48, 64), inception("inception4b", 512, 160, 112, 224, 24, 64, 64),
                  inception("inception4c", 512, 128, 128, 256, 24, 64, 64), inception("inception4d", 512, 112, 144, 288, 32, 64, 64),
                  inception("inception4e", 528, 256, 160, 320, 32, 128, 128), pool("maxpool4", 2)]
        let s5 = [inception("inception5a", 832, 256, 160, 320, 32, 128, 128), inception("inception5b", 832, 384, 192, 384, 48, 128, 128)]
        aux1 = auxiliaryHeads ? InceptionAuxiliary(inputChannels: 512, classes: classes, style: style) : nil
        aux2 = auxiliaryHeads ? InceptionAuxiliary(inputChannels: 528, classes: classes, style: style) : nil
        let headParts: [(String, Module)] = [
            ("avgpool", tv ? AdaptiveAvgPool2D(outputSize: 1) as Module : AvgPool2D(kernelSize: 7, stride: 1)),
            ("dropout", Dropout(probability: tv ? 0.2 : 0.4)),
            ("fc", Linear(inputFeatures: 1024, outputFeatures: classes)),
        ]
        stem = stemParts.map(\.1); stage3 = s3.map(\.1); stage4 = s4.map(\.1); stage5 = s5.map(\.1); head = headParts.map(\.1)
        super.init()
        // torchvision's registration order: stem, inception 3-5, aux heads, avgpool, dropout, fc.
        for (n, m) in stemParts + s3 + s4 + s5 { register(n, m) }
        if let aux1, let aux2 { register("aux1", aux1); register("aux2", aux2) }
        for (n, m) in headParts { register(n, m) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        auxiliaryOutputs = []
        var y = stage3.reduce(stem.reduce(x) { $1($0) }) { $1($0) }
        for (i, m) in stage4.enumerated() {
            y = m(y)
            // The heads branch off after inception4a (index 0) and inception4d (index 3).
            if isTraining, i == 0, let aux1 { auxiliaryOutputs.append(aux1(y)) }
            if isTraining, i == 3, let aux2 { auxiliaryOutputs.append(aux2(y)) }
        }
        y = stage5.reduce(y) { $1($0) }
        let pooled = head[1](head[0](y)).flattened()
        return head[2](pooled)
    }
}
