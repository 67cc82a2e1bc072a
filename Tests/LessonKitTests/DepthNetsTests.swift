import CNN
import Foundation
import LessonKit
import Testing
import Zoo

@Suite("Depth nets")
struct DepthNetsTests {
    @Test func namesAndInitialisation() {
        #expect(DepthNet.plain(56).name == "plain-56" && DepthNet.resnet(20).name == "ResNet-20")
        #expect(DepthNet(depth: 56, shortcut: .optionB).fileStem == "resnet-56-b")
        // The same seed gives a plain net and its residual twin the same initial weights.
        let a = DepthNet.plain(8).make(channels: 1, seed: 7), b = DepthNet.resnet(8).make(channels: 1, seed: 7)
        #expect(a.parameters().map(\.scalars) == b.parameters().map(\.scalars))
    }

    @Test func saveAndLoadRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("depthnets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let net = DepthNet.resnet(8)
        let model = net.make(channels: 1, seed: 2)
        try saveDepthNet(model, net, dataset: .fashionMNIST, in: folder)
        let loaded = try #require(try loadDepthNet(net, dataset: .fashionMNIST, from: folder))
        #expect(loaded.stateDict().map(\.tensor.scalars) == model.stateDict().map(\.tensor.scalars))
        #expect(try loadDepthNet(DepthNet.plain(8), dataset: .fashionMNIST, from: folder) == nil)
        #expect(throws: (any Error).self) { try loadDepthNet(net, dataset: .cifar10, from: folder) }
    }

    @Test func channelMeansByHand() {
        // Two images, two channels of 2 pixels: channel 0 holds 1, 2, 3, 4; channel 1 holds 10 four times.
        let x = Tensor(shape: [2, 2, 1, 2], values: [1, 2, 10, 10, 3, 4, 10, 10])
        #expect(channelMeans(x) == [2.5, 10])
    }

    @Test func datasetChoice() {
        #expect(DepthDataset.fromEnvironment([:]) == .fashionMNIST)
        #expect(DepthDataset.fromEnvironment(["CIFAR10_DIR": "/data/cifar-10-batches-bin"]) == .cifar10)
        #expect(DepthDataset.cifar10.channels == 3 && DepthDataset.fashionMNIST.channels == 1)
    }

    @Test func recipeFollowsThePaper() throws {
        // Full mode: linear warm-up 0.01, 0.04, 0.07, then 0.1, divided by 10 at epochs 6 and 7.
        let model = DepthNet.resnet(8).make(channels: 1, seed: 1)
        let recipe = DepthBudget.forMode(quick: false, paper: false).recipe
        let opt = recipe.makeOptimizer(model)
        let scheduler = try #require(recipe.makeScheduler?(opt))
        var rates: [Float] = []
        for _ in 0..<8 { rates.append(opt.groups[0].learningRate); scheduler.step(metric: nil) }
        #expect(zip(rates, [0.01, 0.04, 0.07, 0.1, 0.1, 0.1, 0.01, 0.001] as [Float]).allSatisfy { abs($0 - $1) < 1e-7 }, "\(rates)")
    }
}
