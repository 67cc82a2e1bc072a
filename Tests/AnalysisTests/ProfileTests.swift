import Foundation
import Testing
import CNN
import Zoo
import Analysis

@Suite("Forward-pass profile")
struct ProfileTests {
    /// The profile's rows are the summary's rows (same names, types, shapes and MACs), each timed.
    @Test(arguments: ["lenet5", "resnet20"])
    func rowsMatchTheSummary(_ model: String) throws {
        let input = model == "lenet5" ? [2, 1, 28, 28] : [2, 3, 32, 32]
        let net = try Zoo.model(named: model)
        net.eval()
        let summary = try Analysis.summarize(try withMetaParameters { try Zoo.model(named: model) }, input: input, name: model)
        let profile = try Analysis.profileForward(net, input: input, name: model, repetitions: 3, warmup: 1)
        #expect(profile.layers.map(\.name) == summary.layers.map(\.name))
        #expect(profile.layers.map(\.type) == summary.layers.map(\.type))
        #expect(profile.layers.map(\.outputShape) == summary.layers.map(\.outputShape))
        #expect(profile.layers.map(\.macs) == summary.layers.map(\.macs))
        #expect(profile.macs == summary.total.macs)
        #expect(profile.layers.allSatisfy { $0.milliseconds >= 0 })
        #expect(profile.layers.filter { $0.type == "Conv2D" }.allSatisfy { $0.milliseconds > 0 })
        #expect(profile.totalMilliseconds > 0 && profile.repetitions == 3 && !profile.training)
        if model == "resnet20" { #expect(profile.layers.contains { $0.type == "add" }) }
        // the per-type totals add up to the rows
        let byType = profile.byType
        #expect(byType.reduce(0) { $0 + $1.count } == profile.layers.count)
        #expect(abs(byType.reduce(0) { $0 + $1.milliseconds } - profile.layers.reduce(0) { $0 + $1.milliseconds }) < 1e-9)
        #expect(zip(byType, byType.dropFirst()).allSatisfy { $0.milliseconds >= $1.milliseconds })
        #expect(!net.isTraining, "the model's mode is restored")
    }

    @Test func tableAndJSON() throws {
        let net = try Zoo.model(named: "lenet5")
        let profile = try Analysis.profileForward(net, input: [1, 1, 28, 28], name: "lenet5", training: true, repetitions: 2, warmup: 0)
        #expect(profile.training)
        #expect(net.isTraining)
        let table = profile.table(top: 3, threads: 2)
        #expect(table.contains("training-mode forward") && table.contains("(3 slowest of \(profile.layers.count) rows)"))
        #expect(table.contains("Forward pass:"))
        let object = try JSONSerialization.jsonObject(with: Data(try profile.json().utf8)) as! [String: Any]
        #expect((object["layers"] as? [[String: Any]])?.count == profile.layers.count)
        #expect(object["model"] as? String == "lenet5" && object["training"] as? Bool == true)
    }

    /// A 1x1 map reaches ResNet-18's later batch norms at 8x8 input: a training step cannot
    /// normalise it, eval mode (running statistics) can.
    @Test func evalModeShapeCheck() throws {
        let net = try withMetaParameters { try Zoo.model(named: "resnet18") }
        #expect(throws: AnalysisError.self) { try Analysis.summarize(net, input: [1, 3, 8, 8], reference: [3, 224, 224]) }
        let s = try Analysis.summarize(net, input: [1, 3, 8, 8], reference: [3, 224, 224], training: false)
        #expect(s.layers.last?.outputShape == [1, 1000])
    }

    @Test func badArguments() throws {
        let net = try Zoo.model(named: "lenet5")
        #expect(throws: AnalysisError.self) { try Analysis.profileForward(net, input: [1, 28, 28]) }
        #expect(throws: AnalysisError.self) { try Analysis.profileForward(net, input: [1, 1, 28, 28], repetitions: 0) }
    }
}
