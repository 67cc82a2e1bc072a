import Foundation
import Testing
import CNN
import Zoo
import Analysis

@Suite("Summaries")
struct SummaryTests {
    /// conv 3→8 3x3 pad 1 on 10x10: 8·10·10·27 = 21,600 MACs; linear 800→5: 4,000.
    @Test func smallNetworkRowsAndTotals() throws {
        let net = Sequential(Conv2D(inputChannels: 3, outputChannels: 8, kernelSize: 3, padding: 1), ReLU(), Flatten(),
                             Linear(inputFeatures: 800, outputFeatures: 5))
        let s = try Analysis.summarize(net, input: [2, 3, 10, 10], name: "tiny")
        #expect(s.layers.map(\.type) == ["Conv2D", "ReLU", "Flatten", "Linear"])
        #expect(s.layers.map(\.outputShape) == [[2, 8, 10, 10], [2, 8, 10, 10], [2, 800], [2, 5]])
        #expect(s.layers.map(\.macs) == [2 * 21_600, 0, 0, 2 * 4_000])
        #expect(s.layers.map(\.parameters) == [8 * 27 + 8, 0, 0, 4005])
        #expect(s.layers[0].activationBytes == 2 * 800 * 4)
        #expect(s.layers[2].activationBytes == 0)   // a reshape shares storage
        #expect(s.total.parameters == 224 + 4005)
        #expect(s.total.macs == 51_200)
        #expect(s.total.flops == 102_400)
        #expect(s.total.buffers == 0)
    }

    /// A residual add takes the longer path: conv 3x3 then 3x3 (RF 5) beside the identity (RF 1).
    @Test func addTakesTheLongestPath() throws {
        final class Residual: Module {
            let a = Conv2D(inputChannels: 2, outputChannels: 2, kernelSize: 3, padding: 1)
            let b = Conv2D(inputChannels: 2, outputChannels: 2, kernelSize: 3, padding: 1)
            override init() { super.init(); register("a", a); register("b", b) }
            override func forward(_ x: Tensor) -> Tensor { b(a(x)) + x }
        }
        let s = try Analysis.summarize(Residual(), input: [1, 2, 8, 8])
        let add = try #require(s.layers.last)
        #expect(add.type == "add" && add.name == "")
        #expect(add.receptiveField.size == 5)
    }

    @Test func jsonHasTheIssueFields() throws {
        let net = try withMetaParameters { try Zoo.model(named: "lenet5") }
        let s = try Analysis.summarize(net, input: [1, 1, 28, 28], name: "lenet5")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        #expect(object["model"] as? String == "lenet5")
        #expect(object["input"] as? [Int] == [1, 1, 28, 28])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["parameters"] as? Int == 61_706)
        #expect(Set(total.keys) == ["parameters", "trainable_parameters", "buffers", "macs", "activation_bytes"])
        let first = try #require((object["layers"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["name", "type", "output_shape", "parameters", "macs", "receptive_field", "activation_bytes", "saved_bytes"])
        #expect(first["macs"] as? Int == 28 * 28 * 6 * 25)
        #expect(Set((first["receptive_field"] as? [String: Any])?.keys ?? [:].keys) == ["size", "jump", "start"])
    }

    @Test func tooSmallInputNamesTheLayer() throws {
        let net = try withMetaParameters { try Zoo.model(named: "lenet5") }
        #expect(throws: AnalysisError.self) { try Analysis.summarize(net, input: [1, 1, 8, 8], reference: [1, 28, 28]) }
        do {
            _ = try Analysis.summarize(net, input: [1, 1, 8, 8], reference: [1, 28, 28])
        } catch let AnalysisError.inputTooSmall(layer, _) {
            #expect(layer.hasPrefix("features.3"))   // 8 → conv 8 → pool 4 → the 5x5 conv no longer fits
        }
        // VGG-16 at 16x16: four pools leave 1x1, and pool5's 2x2 window no longer fits.
        let vgg = try withMetaParameters { try Zoo.model(named: "vgg16") }
        do {
            _ = try Analysis.summarize(vgg, input: [1, 3, 16, 16], reference: [3, 224, 224])
            Issue.record("a 16x16 input passed")
        } catch let AnalysisError.inputTooSmall(layer, message) {
            #expect(layer == "features.30 (MaxPool2D)", "\(layer): \(message)")
        }
        // At batch 1 a 1x1 input leaves one value per channel for ResNet's first batch norm.
        let resnet = try withMetaParameters { try Zoo.model(named: "resnet18") }
        #expect(throws: AnalysisError.self) { try Analysis.summarize(resnet, input: [1, 3, 1, 1], reference: [3, 224, 224]) }
    }

    @Test func wrongChannelsAndClassifierSize() throws {
        let alex = try withMetaParameters { try Zoo.model(named: "alexnet_original") }
        #expect(throws: AnalysisError.self) { try Analysis.summarize(alex, input: [1, 1, 227, 227], reference: [3, 227, 227]) }
        // The original AlexNet's classifier is sized for 6x6: a 300x300 input gives 8x8 and must be refused.
        do {
            _ = try Analysis.summarize(alex, input: [1, 3, 300, 300], reference: [3, 227, 227])
            Issue.record("a 300x300 input passed")
        } catch let AnalysisError.shapeMismatch(layer, _) {
            #expect(layer.hasPrefix("classifier.1"))
        }
        // Adaptive pooling makes torchvision's AlexNet accept it.
        let tv = try withMetaParameters { try Zoo.model(named: "alexnet") }
        #expect(try Analysis.summarize(tv, input: [1, 3, 300, 300], reference: [3, 224, 224]).layers.last?.outputShape == [1, 1000])
    }
}
