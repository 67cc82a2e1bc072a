import Testing
import CNN
import _TestSupport

@Suite("Elementwise ops and autograd")
struct ElementwiseTests {
    @Test func addAndMultiplyOnArange() {
        let a = Tensor.arange([2, 3]), b = Tensor.full([2, 3], 2)
        #expect((a + b).scalars == [2, 3, 4, 5, 6, 7])
        #expect((a * b).scalars == [0, 2, 4, 6, 8, 10])
        #expect((a - b).scalars == [-2, -1, 0, 1, 2, 3])
    }

    @Test func reluTanhSigmoidValues() {
        let x = Tensor(shape: [4], values: [-2, -0.5, 0, 1.5])
        #expect(x.relu().scalars == [0, 0, 0, 1.5])
        #expect(isApproximatelyEqual(x.tanh().scalars, [-0.9640276, -0.46211716, 0, 0.90514825]))
        #expect(isApproximatelyEqual(x.sigmoid().scalars, [0.11920292, 0.37754067, 0.5, 0.81757448]))
    }

    @Test(arguments: ["add", "subtract", "multiply", "scale", "shift", "relu", "tanh", "sigmoid", "square", "sum", "mean"])
    func gradient(of op: String) {
        let a = leaf([3, 4], seed: 1), b = leaf([3, 4], seed: 2)
        let result = checkGradient(inputs: [a, b], step: 1e-2) { t in
            switch op {
            case "add": return t[0] + t[1]
            case "subtract": return t[0] - t[1]
            case "multiply": return t[0] * t[1]
            case "scale": return t[0].scaled(by: 3) + t[1]
            case "shift": return t[0].shifted(by: 3) + t[1]
            case "relu": return t[0].relu() + t[1]
            case "tanh": return t[0].tanh() + t[1]
            case "sigmoid": return t[0].sigmoid() + t[1]
            case "square": return t[0].squared() + t[1]
            case "sum": return (t[0] * t[1]).sum()
            default: return (t[0] * t[1]).mean()
            }
        }
        #expect(result.passed, "\(op): \(result)")
    }

    @Test func sharedSubexpressionAccumulates() {
        // y = x·x + x uses x three times: dy/dx = 2x + 1.
        let x = Tensor(shape: [3], values: [1, 2, 3], requiresGrad: true)
        let y = (x * x + x).sum()
        y.backward()
        #expect(x.grad?.scalars == [3, 5, 7])
    }

    @Test func noGradRecordsNothing() {
        let x = Tensor(shape: [2], values: [1, 2], requiresGrad: true)
        let y = withNoGrad { x.relu() }
        #expect(!y.tracksGradient)
    }

    @Test func mismatchedShapesAreRejectedNotBroadcast() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([3])
        }
    }
}
