import Testing
import CNN
import Zoo

/// One training step (forward, cross-entropy, backward) of a DenseNet-BC built from `seed`.
func denseNetBCStep(memoryEfficient: Bool, depth: Int = 16, growth: Int = 6, batch: Int = 3)
    -> (logits: [Float], grads: [String: [Float]], buffers: [String: [Float]]) {
    // Weights from a stream of this test's own (tests run in parallel and share the default one).
    Random.using(RandomStream(seed: 21)) { denseNetBCStepBody(memoryEfficient: memoryEfficient, depth: depth, growth: growth, batch: batch) }
}

func denseNetBCStepBody(memoryEfficient: Bool, depth: Int, growth: Int, batch: Int)
    -> (logits: [Float], grads: [String: [Float]], buffers: [String: [Float]]) {
    let net = DenseNet(bcDepth: depth, growthRate: growth, classes: 10, memoryEfficient: memoryEfficient)
    let x = Tensor.randomNormal([batch, 3, 32, 32], seed: 5)
    let logits = net(x)
    crossEntropy(logits: logits, labels: (0..<batch).map { $0 % 10 }).backward()
    var grads: [String: [Float]] = [:]
    for (name, p) in net.namedParameters() { grads[name] = p.grad?.scalars }
    var buffers: [String: [Float]] = [:]
    for (name, b, _) in net.namedBuffers() { buffers[name] = b.scalars }
    return (logits.scalars, grads, buffers)
}

@Suite("Memory-efficient DenseNet")
struct MemoryEfficientDenseNetTests {
    @Test func sameOutputsGradientsAndRunningStatisticsAsTheNaiveNet() {
        let naive = denseNetBCStep(memoryEfficient: false)
        let efficient = denseNetBCStep(memoryEfficient: true)
        #expect(efficient.logits == naive.logits)
        #expect(Set(efficient.grads.keys) == Set(naive.grads.keys))
        #expect(naive.grads.count == DenseNet(bcDepth: 16, growthRate: 6).namedParameters().count)
        for (name, g) in naive.grads {
            let h = efficient.grads[name] ?? []
            let worst = zip(g, h).map { abs($0 - $1) }.max() ?? .infinity
            #expect(h.count == g.count && worst <= 1e-6, "gradient of \(name) differs by \(worst)")
        }
        // Running statistics moved once: equal to the naive step's, and every counter is 1.
        #expect(efficient.buffers == naive.buffers)
        let counters = efficient.buffers.filter { $0.key.hasSuffix("num_batches_tracked") }
        #expect(!counters.isEmpty && counters.values.allSatisfy { $0 == [1] })
    }

    @Test func sameStateDictKeysAsTheNaiveNet() {
        let a = withMetaParameters { DenseNet(depth: 121) }.stateDict().map(\.name)
        let b = withMetaParameters { DenseNet(depth: 121, memoryEfficient: true) }.stateDict().map(\.name)
        #expect(a == b)
    }

    @Test func evaluationModeIsTheSameFunction() {
        let naive = Random.using(RandomStream(seed: 4)) { DenseNet(bcDepth: 16, growthRate: 4) }
        let efficient = Random.using(RandomStream(seed: 4)) { DenseNet(bcDepth: 16, growthRate: 4, memoryEfficient: true) }
        naive.eval(); efficient.eval()
        let x = Tensor.randomNormal([2, 3, 32, 32], seed: 8)
        #expect(withNoGrad { naive(x).scalars } == withNoGrad { efficient(x).scalars })
    }

    @Test func trainingStepPeakIsLower() async {
        await #expect(processExitsWith: .success) {
            // DenseNet-BC (L = 40, k = 12), batch 8: the naive tape keeps every layer's
            // concatenation and its BN → ReLU output, the memory-efficient one does not.
            func peak(_ efficient: Bool) -> Int {
                Random.seed(1)
                let net = DenseNet(bcDepth: 40, growthRate: 12, memoryEfficient: efficient)
                let x = Tensor.randomNormal([8, 3, 32, 32], seed: 2)
                MemoryMeter.resetPeak()
                let start = MemoryMeter.liveBytes
                crossEntropy(logits: net(x), labels: Array(repeating: 0, count: 8)).backward()
                return MemoryMeter.peakBytes - start
            }
            let naive = peak(false), efficient = peak(true)
            // The kept activations per pixel and image (2·C_ℓ + 9k per layer against 8k + k, see
            // lesson L10) predict about half (0.52 for this net); the gradients and workspaces that
            // both steps need raise the measured ratio, so the bound is 3/4.
            if !(efficient * 4 < naive * 3) { fatalError("memory-efficient peak \(efficient) B is not below 3/4 of the naive \(naive) B") }
        }
    }
}

@Suite("Zoo option memoryEfficient")
struct ZooMemoryEfficientOptionTests {
    @Test func theDenseNetsTakeItAndOtherModelsRejectIt() throws {
        for name in ["densenet_bc", "densenet121"] {
            let net = try withMetaParameters { try Zoo.model(named: name, options: ZooOptions(memoryEfficient: true)) }
            let layers = net.namedModules().compactMap { $0.module as? DenseLayer }
            #expect(!layers.isEmpty && layers.allSatisfy(\.memoryEfficient), "\(name): every dense layer memory-efficient")
            let plain = try withMetaParameters { try Zoo.model(named: name) }
            #expect(plain.namedModules().compactMap { $0.module as? DenseLayer }.allSatisfy { !$0.memoryEfficient })
        }
        #expect(throws: ZooError.self) { try Zoo.model(named: "resnet18", options: ZooOptions(memoryEfficient: true)) }
    }
}
