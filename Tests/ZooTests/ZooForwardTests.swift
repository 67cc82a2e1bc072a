import Testing
import CNN
import Zoo

/// Real forward passes and training steps. They need the numeric kernels of conv, pooling,
/// batch norm, LRN, dropout and softmax; enable the suite once those are in the build.
@Suite("Zoo forward passes and training steps")
struct ZooForwardTests {
    /// Batch 1 at the native input, evaluation mode: finite logits of the right shape.
    @Test(arguments: Zoo.names)
    func forwardAtNativeInput(_ name: String) throws {
        Random.seed(1)
        let entry = try #require(Zoo.entry(named: name))
        let net = try entry.build()
        net.eval()
        let y = withNoGrad { net(Tensor.randomNormal([1] + entry.inputShape, seed: 2)) }
        #expect(y.shape == [1, name.hasPrefix("lenet") || entry.inputShape == [3, 32, 32] ? 10 : 1000])
        #expect(y.scalars.allSatisfy { $0.isFinite })
    }

    /// One SGD step at a small input (batch 2) changes the first parameter and lowers nothing to NaN.
    @Test(arguments: ["lenet5", "lenet5_relu", "alexnet", "vgg11_bn", "googlenet", "resnet18", "resnet50", "resnet20",
                      "plain20", "densenet121", "densenet_bc"])
    func trainingStep(_ name: String) throws {
        Random.seed(3)
        let entry = try #require(Zoo.entry(named: name))
        let net = try entry.build(ZooOptions(classes: 10))
        let side = entry.inputShape[1] >= 224 ? 64 : entry.inputShape[1]
        let x = Tensor.randomNormal([2, entry.inputShape[0], side, side], seed: 4)
        let loss = crossEntropy(logits: net(x), labels: [1, 7])
        #expect(loss.item().isFinite)
        loss.backward()
        let first = try #require(net.parameters().first)
        let before = first.scalars
        first.addInPlace(try #require(first.grad), scale: -0.01)
        #expect(first.scalars != before)
        #expect(net.parameters().allSatisfy { $0.grad != nil })
    }
}
