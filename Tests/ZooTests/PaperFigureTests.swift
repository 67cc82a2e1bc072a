import Testing
import CNN
import Zoo
import Analysis
import _TestSupport

@Suite("Paper and lecture figures")
struct PaperFigureTests {
    /// He et al. 2016, Table 6 and Sec. 4.2. ResNet-20 by hand: conv1 432 + bn 32; stage 1: 3·(2·2304 + 64);
    /// stage 2: 4608 + 9216 + 128 + 2·(2·9216 + 128); stage 3: 18432 + 36864 + 256 + 2·(2·36864 + 256); fc 650.
    @Test func cifarResNetOptionAParameters() throws {
        let stage1 = 3 * (2 * 2304 + 64), stage2 = 4608 + 9216 + 128 + 2 * (2 * 9216 + 128)
        let stage3 = 18432 + 36864 + 256 + 2 * (2 * 36864 + 256)
        let byHand: Int = 432 + 32 + stage1 + stage2 + stage3 + 650
        #expect(byHand == 269_722)
        let published: [(Int, Double)] = [(20, 0.27), (32, 0.46), (44, 0.66), (56, 0.85), (110, 1.7)]
        for (depth, millions) in published {
            let net = try withMetaParameters { try Zoo.model(named: "resnet\(depth)") }
            let digits = depth == 110 ? 10.0 : 100.0   // the table rounds 1.7M to one decimal
            #expect((Double(net.parameterCount) / 1e6 * digits).rounded() / digits == millions, "ResNet-\(depth): \(net.parameterCount)")
            if depth == 20 { #expect(net.parameterCount == 269_722) }
            // Option A adds no parameters, so the plain twin has exactly as many.
            let plain = try withMetaParameters { try Zoo.model(named: "plain\(depth)") }
            #expect(plain.parameterCount == net.parameterCount)
        }
    }

    /// Option B adds two projections: 16→32 (512 + 64 BN) and 32→64 (2048 + 128 BN).
    @Test func cifarResNetOptionBAddsTheProjections() throws {
        let b = try withMetaParameters { try Zoo.model(named: "resnet20", options: ZooOptions(shortcut: .optionB)) }
        #expect(b.parameterCount == 269_722 + 512 + 64 + 2048 + 128)
        #expect(b.stateDict().contains { $0.name == "layer2.0.downsample.0.weight" })
        #expect(throws: ZooError.self) { try Zoo.model(named: "resnet20", options: ZooOptions(shortcut: CIFARShortcut.none)) }
    }

    /// 156 + 2,416 + 48,120 + 10,164 + 850, the layout documented in LeNet.swift.
    @Test func leNet5Parameters() throws {
        #expect(try Zoo.model(named: "lenet5").parameterCount == 156 + 2416 + 48120 + 10164 + 850)
        #expect(try Zoo.model(named: "lenet5").parameterCount == 61_706)
        #expect(try Zoo.model(named: "lenet5_relu").parameterCount == 61_706)
    }

    /// The lecture: 55·55·96 outputs, each 11·11·3 multiply-adds = 105,415,200.
    @Test func alexNetConv1MACs() throws {
        let net = try withMetaParameters { try Zoo.model(named: "alexnet_original") }
        let s = try Analysis.summarize(net, input: [1, 3, 227, 227])
        let conv1 = try #require(s.layers.first { $0.name == "features.0" })
        #expect(conv1.outputShape == [1, 96, 55, 55])
        #expect(conv1.macs == 55 * 55 * 96 * 11 * 11 * 3)
        #expect(conv1.macs == 105_415_200)
        // Two towers: conv2 sees 48 of the 96 channels per group.
        #expect(net.stateDict().first { $0.name == "features.4.weight" }?.tensor.shape == [256, 48, 5, 5])
    }

    /// Receptive fields of the lecture: AlexNet conv5 163, pool5 195; VGG-16 conv5_3 196, pool5 212.
    @Test func receptiveFieldsOfAlexNetAndVGG16() throws {
        let alex = try Analysis.summarize(withMetaParameters { try Zoo.model(named: "alexnet_original") }, input: [1, 3, 227, 227])
        #expect(alex.layers.first { $0.name == "features.12" }?.receptiveField.size == 163)   // conv5
        #expect(alex.layers.first { $0.name == "features.14" }?.receptiveField.size == 195)   // pool5
        let vgg = try Analysis.summarize(withMetaParameters { try Zoo.model(named: "vgg16") }, input: [1, 3, 224, 224])
        #expect(vgg.layers.first { $0.name == "features.28" }?.receptiveField.size == 196)    // conv5_3
        #expect(vgg.layers.first { $0.name == "features.30" }?.receptiveField.size == 212)    // pool5
        #expect(vgg.layers.first { $0.name == "features.30" }?.receptiveField.jump == 32)
    }

    /// The lecture's exercise: a 5x5 branch from 64 to 64 channels, naive vs 1x1 reduction to 32.
    @Test func inceptionBottleneckExercise() throws {
        let naive = inceptionBranch(kernel: 5, inputChannels: 64, outputChannels: 64)
        let bottleneck = inceptionBranch(kernel: 5, inputChannels: 64, outputChannels: 64, reduction: 32)
        #expect(naive.parameterCount == 5 * 5 * 64 * 64 + 64)
        #expect(naive.parameterCount == 102_464)
        #expect(bottleneck.parameterCount == (64 * 32 + 32) + (5 * 5 * 32 * 64 + 64))
        #expect(bottleneck.parameterCount == 53_344)
        for i in [1, 7, 28] {
            #expect(try Analysis.summarize(naive, input: [1, 64, i, i]).total.macs == 102_400 * i * i)
            #expect(try Analysis.summarize(bottleneck, input: [1, 64, i, i]).total.macs == 53_248 * i * i)
        }
    }

    /// Huang et al. 2017, Table 2: DenseNet-BC (L = 100, k = 12) has 0.8M parameters.
    @Test func denseNetBCParameters() throws {
        let net = try withMetaParameters { try Zoo.model(named: "densenet_bc") }
        #expect((Double(net.parameterCount) / 1e5).rounded() / 10 == 0.8, "\(net.parameterCount)")
        let s = try Analysis.summarize(net, input: [1, 3, 32, 32])
        #expect(s.layers.last?.outputShape == [1, 10])
        #expect(throws: ZooError.self) { try Zoo.model(named: "densenet_bc", options: ZooOptions(depth: 101)) }
    }

    /// ResNet v1 and v1.5 differ only in where the bottleneck's stride sits, not in size.
    @Test func resNetStridePlacement() throws {
        let v15 = try withMetaParameters { try Zoo.model(named: "resnet50") }
        let v1 = try withMetaParameters { try Zoo.model(named: "resnet50", options: ZooOptions(stride: .v1)) }
        #expect(v1.parameterCount == v15.parameterCount)
        #expect((v15.submodule("layer2.0.conv2") as? Conv2D)?.stride.0 == 2)
        #expect((v15.submodule("layer2.0.conv1") as? Conv2D)?.stride.0 == 1)
        #expect((v1.submodule("layer2.0.conv1") as? Conv2D)?.stride.0 == 2)
        #expect((v1.submodule("layer2.0.conv2") as? Conv2D)?.stride.0 == 1)
        let s1 = try Analysis.summarize(v1, input: [1, 3, 224, 224]), s15 = try Analysis.summarize(v15, input: [1, 3, 224, 224])
        #expect(s1.total.macs < s15.total.macs)   // v1 runs the 3x3 at the reduced resolution
    }

    @Test func registryNamesAndErrors() throws {
        for name in ["alexnet", "vgg11", "vgg19_bn", "googlenet", "inception_v3", "resnet18", "resnet152", "densenet121",
                     "densenet201", "lenet5", "alexnet_original", "googlenet_original", "resnet20", "resnet110", "plain20",
                     "plain110", "densenet264", "densenet_bc"] {
            #expect(Zoo.names.contains(name), "\(name)")
        }
        #expect(Set(Zoo.names).count == Zoo.names.count)
        do {
            _ = try Zoo.model(named: "resnet51")
            Issue.record("no error for an unknown name")
        } catch let error as ZooError {
            #expect(error.description.contains("resnet51"))
            #expect(error.description.contains("resnet50") && error.description.contains("densenet_bc"))
        }
    }

    /// Every entry builds (shape-only) and walks at its native input.
    @Test(arguments: Zoo.names)
    func walksAtNativeInput(_ name: String) throws {
        let entry = try #require(Zoo.entry(named: name))
        let net = try withMetaParameters { try entry.build() }
        let s = try Analysis.summarize(net, input: [2] + entry.inputShape, name: name, reference: entry.inputShape)
        #expect(s.layers.last?.outputShape == [2, name.hasPrefix("lenet") || entry.inputShape == [3, 32, 32] ? 10 : 1000])
        #expect(s.total.parameters == net.parameterCount)
    }
}
