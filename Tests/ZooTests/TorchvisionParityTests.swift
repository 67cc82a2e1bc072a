import Foundation
import Testing
import CNN
import Zoo
import Analysis

/// The reference table written by Fixtures/torchvision_reference.py (torch 2.x, torchvision).
struct TorchvisionReference: Decodable {
    struct Entry: Decodable {
        let input: [Int]
        let parameters: Int
        let buffers: Int
        let macs: Int
        let state_dict: [String]
        let parameters_with_aux: Int?
    }
    let models: [String: Entry]

    static let shared: TorchvisionReference = {
        let url = Bundle.module.url(forResource: "torchvision_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(TorchvisionReference.self, from: Data(contentsOf: url))
    }()
}

/// "key:d0,d1" lines in state_dict order, as the fixture writes them.
func manifest(_ model: Module) -> [String] {
    model.stateDict().map { "\($0.name):" + $0.tensor.shape.map(String.init).joined(separator: ",") }
}

let torchvisionNames = ["alexnet", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
                        "googlenet", "inception_v3", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
                        "densenet121", "densenet169", "densenet201"]

@Suite("Parity with torchvision (keys, shapes, parameters, buffers, MACs)")
struct TorchvisionParityTests {
    @Test func everyTorchvisionEntryHasAReference() {
        let zooTorchvision = Zoo.entries.filter(\.isTorchvision).map(\.name)
        #expect(Set(zooTorchvision) == Set(torchvisionNames))
        #expect(Set(TorchvisionReference.shared.models.keys) == Set(torchvisionNames))
    }

    @Test(arguments: torchvisionNames)
    func stateDictKeysAndShapes(_ name: String) throws {
        let reference = try #require(TorchvisionReference.shared.models[name])
        let model = try withMetaParameters { try Zoo.model(named: name) }
        let ours = manifest(model)
        #expect(ours.count == reference.state_dict.count)
        for (i, (a, b)) in zip(ours, reference.state_dict).enumerated() where a != b {
            Issue.record("\(name): state_dict entry \(i) is \(a), torchvision has \(b)")
            break
        }
    }

    @Test(arguments: torchvisionNames)
    func parametersBuffersAndMACs(_ name: String) throws {
        let reference = try #require(TorchvisionReference.shared.models[name])
        let entry = try #require(Zoo.entry(named: name))
        #expect(entry.inputShape == reference.input)
        let model = try withMetaParameters { try Zoo.model(named: name) }
        let summary = try Analysis.summarize(model, input: [1] + entry.inputShape, name: name)
        #expect(summary.total.parameters == reference.parameters)
        #expect(summary.total.trainableParameters == reference.parameters)
        #expect(summary.total.buffers == reference.buffers)
        #expect(summary.total.macs == reference.macs)
    }

    /// The issue's headline figures, spelled out (they also sit in the fixture).
    @Test func publishedHeadlineFigures() throws {
        for (name, parameters, macs) in [("resnet50", 25_557_032, 4_089_184_256), ("vgg16", 138_357_544, 15_470_264_320),
                                         ("densenet121", 7_978_856, 2_834_161_664), ("resnet18", 11_689_512, 1_814_073_344),
                                         ("alexnet", 61_100_840, 714_188_480)] {
            let model = try withMetaParameters { try Zoo.model(named: name) }
            let s = try Analysis.summarize(model, input: [1, 3, 224, 224], name: name)
            #expect(s.total.parameters == parameters, "\(name)")
            #expect(s.total.macs == macs, "\(name)")
            #expect(s.total.flops == 2 * macs)
        }
    }

    @Test func auxiliaryHeadsMatchTorchvisionWhenOn() throws {
        let v3 = try withMetaParameters { try Zoo.model(named: "inception_v3", options: ZooOptions(auxiliaryHeads: true)) }
        #expect(v3.parameterCount == 27_161_264)   // torchvision's published inception_v3 figure (aux head included)
        #expect(v3.parameterCount == TorchvisionReference.shared.models["inception_v3"]?.parameters_with_aux)
        let g = try withMetaParameters { try Zoo.model(named: "googlenet", options: ZooOptions(auxiliaryHeads: true)) }
        #expect(g.parameterCount == TorchvisionReference.shared.models["googlenet"]?.parameters_with_aux)
    }
}
