import Foundation
import CNN
import Checkpoint

/// The committed tiny-classifier fixtures (make_fixtures.py --classify).
enum TinyFixtures {
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("fixture \(name) missing: run Tests/CheckpointTests/Fixtures/make_fixtures.py --classify")
        }
        return url.path
    }

    /// tiny_classify.json: per image, per preprocessing path ("pil", "tensor"), PyTorch's top-5.
    nonisolated(unsafe) static let expected: [String: [String: [String: Any]]] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: path("tiny_classify.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: [String: [String: Any]]]
    }()
}

/// What PyTorch ranked first for one image: `indices` and `probabilities`, best first.
struct TopK {
    let indices: [Int]
    let probabilities: [Float]

    init(_ entry: [String: Any]) {
        indices = (entry["indices"] as! [NSNumber]).map(\.intValue)
        probabilities = (entry["probabilities"] as! [NSNumber]).map(\.floatValue)
    }
}

/// The full-size ResNet-18 fixture, kept out of git (45 MB): make_fixtures.py --resnet18 DIR writes
/// DIR/resnet18.pth and, beside it, resnet18_input.safetensors, resnet18_expected.json and
/// resnet18_image.png. Tests that need it run only when COURSEKIT_RESNET18_PTH names the .pth.
enum ResNet18Fixture {
    static let pth: String? = {
        guard let path = ProcessInfo.processInfo.environment["COURSEKIT_RESNET18_PTH"], !path.isEmpty else { return nil }
        return path
    }()

    static var isPresent: Bool { pth.map { FileManager.default.fileExists(atPath: $0) } ?? false }

    /// A file next to the .pth.
    static func beside(_ name: String) -> String {
        URL(fileURLWithPath: pth!).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: beside("resnet18_expected.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

/// max |a − b| / |b| over elements with |b| above `floor` (relative error where it means something).
func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-3) -> Float {
    precondition(a.count == b.count, "maxRelativeError: \(a.count) vs \(b.count) values")
    return zip(a, b).reduce(Float(0)) { m, p in abs(p.1) < floor ? m : max(m, abs(p.0 - p.1) / abs(p.1)) }
}
