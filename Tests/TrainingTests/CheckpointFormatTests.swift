import Foundation
import Testing
import CNN
import Training

@Suite("Training checkpoint file format")
struct CheckpointFormatTests {
    static func sample() -> TrainingCheckpoint {
        let model = smallMLP(seed: 9)
        let opt = Adam(model: model)
        for p in model.parameters() { p.grad = Tensor.full(p.shape, 0.5) }
        opt.step()
        return TrainingCheckpoint(epochsCompleted: 2, model: model.stateDict(), optimizer: opt.stateDict(),
                                  schedulerState: nil, randomState: SeededGenerator(seed: 3).state, history: History())
    }

    static func written(_ mutate: (inout Data) -> Void) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coursekit-ckpt-\(UUID().uuidString).ckpt")
        try sample().write(to: url)
        var data = try Data(contentsOf: url)
        mutate(&data)
        try data.write(to: url)
        return url
    }

    @Test func roundTripKeepsEveryBit() throws {
        let url = try Self.written { _ in }
        defer { try? FileManager.default.removeItem(at: url) }
        let original = Self.sample()
        let read = try TrainingCheckpoint.read(from: url)
        #expect(read.epochsCompleted == 2)
        #expect(read.randomState == original.randomState)
        #expect(read.model.map(\.name) == original.model.map(\.name))
        for (a, b) in zip(read.model, original.model) { #expect(a.tensor.scalars.map(\.bitPattern) == b.tensor.scalars.map(\.bitPattern)) }
        #expect(read.optimizer.tensors.map(\.key) == original.optimizer.tensors.map(\.key))
        #expect(read.optimizer.metadata == original.optimizer.metadata)
    }

    @Test func wrongMagicNamesTheFile() throws {
        let url = try Self.written { $0[0] = UInt8(ascii: "X") }
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: TrainingError.self) { try TrainingCheckpoint.read(from: url) }
        #expect(error?.description.contains(url.path) == true)
        #expect(error?.description.contains("not a training checkpoint") == true)
    }

    @Test func truncatedPayloadIsReported() throws {
        let url = try Self.written { $0 = $0.prefix($0.count - 10) }
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: TrainingError.self) { try TrainingCheckpoint.read(from: url) }
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func corruptHeaderIsReported() throws {
        let url = try Self.written { $0[20] = 0xFF }
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: TrainingError.self) { try TrainingCheckpoint.read(from: url) }
        #expect(error?.description.contains("corrupt header") == true)
    }

    @Test func restoringIntoAnotherArchitectureThrowsAndChangesNothing() throws {
        let other = Sequential(Linear(inputFeatures: 8, outputFeatures: 5))
        let before = other.stateDict().map { $0.tensor.scalars }
        #expect(throws: TrainingError.self) { try Self.sample().restoreModel(other) }
        #expect(other.stateDict().map { $0.tensor.scalars } == before)
    }
}
