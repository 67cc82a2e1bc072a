import Testing
import CNN

// Programmer errors stop the process with a message that names the op and the values. Each
// case runs in a child process; its standard error must carry the message.

@Suite("Bad input")
struct BadInputTests {
    @Test func mismatchedShapesToAdd() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([3, 2])
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("add: shapes [2, 3] and [3, 2] differ (no broadcasting)"), "stderr: \(err.prefix(400))")
    }

    @Test func wrongChannelCountToBatchNorm() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm2D(3)(Tensor.zeros([2, 4, 5, 5]))
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("BatchNorm2D: input [2, 4, 5, 5] does not have the layer's 3 channels"), "stderr: \(err.prefix(400))")
    }

    @Test func batchNormParameterOfTheWrongSize() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = batchNorm(Tensor.zeros([2, 4, 3, 3]), weight: Tensor.ones([3]), bias: nil, runningMean: nil,
                          runningVariance: nil, training: true)
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("batch_norm: weight has shape [3], input has 4 channels"), "stderr: \(err.prefix(400))")
    }

    @Test func labelOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(logits: Tensor.zeros([3, 5]), labels: [0, 4, 7])
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("cross_entropy: label 7 at position 2 is outside 0..<5"), "stderr: \(err.prefix(400))")
    }

    @Test func lrnOnAMatrix() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = localResponseNorm(Tensor.zeros([4, 10]), size: 5)
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("local_response_norm: input must be [N, C, H, W], got shape [4, 10]"), "stderr: \(err.prefix(400))")
    }

    @Test func dropoutProbabilityOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = dropout(Tensor.zeros([4]), probability: 1.5, training: true)
        }
        let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(err.contains("dropout: probability must be in [0, 1], got 1.5"), "stderr: \(err.prefix(400))")
    }
}
