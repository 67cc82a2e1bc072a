import Testing
import CNN
import _TestSupport

// Expected values: PyTorch 2.x (F.cross_entropy with label_smoothing, and with probability targets
// for the lecture's ε/(K − 1) form; F.softmax, F.log_softmax), printed by
// Tests/Scripts/norm_loss_reference.py. Logits [4, 5], labels [0, 3, 4, 1].

@Suite("Cross-entropy and softmax against PyTorch")
struct LossReferenceTests {
    static let labels = [0, 3, 4, 1]
    static func logits() -> Tensor { closedFormWave([4, 5], scale: 2.5, a: 0.61, b: 0.4, requiresGrad: true) }

    @Test(arguments: [
        (Float(0), LabelSmoothing.pytorch, Float(2.27148699760437), [
            -0.2295836, 0.06406333, 0.09366898, 0.05564506, 0.016206235, 0.09812747, 0.028746948, 0.017242318, -0.22453889,
            0.080422156, 0.013232013, 0.04863212, 0.09205939, 0.07130067, -0.22522415, 0.13444813, -0.21565226, 0.016066741,
            0.018099442, 0.04703796,
        ]),
        (Float(0.1), LabelSmoothing.pytorch, Float(2.2296621799468994), [
            -0.2095836, 0.059063327, 0.08866897, 0.050645053, 0.011206233, 0.09312747, 0.023746947, 0.012242317, -0.2045389,
            0.07542215, 0.008232012, 0.043632116, 0.087059386, 0.06630067, -0.20522414, 0.12944812, -0.19565225, 0.011066739,
            0.01309944, 0.042037953,
        ]),
        (Float(0.1), LabelSmoothing.lecture, Float(2.2192060947418213), [
            -0.2045836, 0.057813324, 0.08741897, 0.049395055, 0.009956232, 0.09187746, 0.022496946, 0.0109923165, -0.1995389,
            0.074172154, 0.006982013, 0.042382117, 0.08580939, 0.06505067, -0.20022415, 0.12819812, -0.19065225, 0.009816739,
            0.01184944, 0.040787954,
        ]),
    ] as [(Float, LabelSmoothing, Float, [Float])])
    func lossAndGradient(epsilon: Float, smoothing: LabelSmoothing, loss: Float, gradient: [Float]) {
        let x = Self.logits()
        let l = crossEntropy(logits: x, labels: Self.labels, labelSmoothing: epsilon, smoothing: smoothing)
        #expect(abs(l.item() - loss) <= 2e-6 * loss, "loss \(l.item()) vs PyTorch \(loss)")
        l.backward()
        #expect(isApproximatelyEqual(x.grad!.scalars, gradient, rtol: 1e-5, atol: 1e-7),
                "\(String(describing: worstMismatch(x.grad!.scalars, gradient, rtol: 1e-5, atol: 1e-7)))")
    }

    @Test func softmaxAndLogSoftmax() {
        let x = Self.logits()
        let p: [Float] = [
            0.08166559, 0.25625333, 0.37467593, 0.22258022, 0.06482493, 0.39250988, 0.114987805, 0.06896928, 0.1018444,
            0.3216886, 0.052928053, 0.19452845, 0.36823753, 0.28520265, 0.099103354, 0.5377925, 0.13739099, 0.064266965,
            0.07239776, 0.18815182,
        ]
        let lp: [Float] = [
            -2.5051224, -1.3615887, -0.9816938, -1.5024676, -2.736065, -0.9351936, -2.1629293, -2.6740942, -2.2843091,
            -1.1341712, -2.9388218, -1.6371768, -0.9990271, -1.2545552, -2.3115919, -0.6202825, -1.9849246, -2.7447095,
            -2.6255798, -1.670506,
        ]
        #expect(isApproximatelyEqual(softmax(x).scalars, p, rtol: 2e-6, atol: 1e-7))
        #expect(isApproximatelyEqual(logSoftmax(x).scalars, lp, rtol: 2e-6, atol: 1e-7))
    }
}
