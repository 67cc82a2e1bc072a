import Foundation
import Testing
import CNN
import Training

@Suite("Metrics, batches and progress")
struct MetricsProgressTests {
    @Test func topKByHand() {
        let logits = Tensor(shape: [3, 4], values: [0.1, 0.5, 0.2, 0.9,    // label 1 ranks 2nd
                                                    1.0, 0.0, 0.0, 0.0,    // label 0 ranks 1st
                                                    0.3, 0.3, 0.3, 0.3])   // ties: label 2 ranks 3rd
        let labels = [1, 0, 2]
        #expect(topKCorrect(logits: logits, labels: labels, k: 1) == 1)
        #expect(topKCorrect(logits: logits, labels: labels, k: 2) == 2)
        #expect(topKCorrect(logits: logits, labels: labels, k: 3) == 3)
        var acc = MetricAccumulator()
        acc.add(logits: logits, labels: labels, loss: 0.5)
        acc.add(logits: Tensor(shape: [1, 4], values: [0, 0, 0, 1]), labels: [3], loss: 0.1)
        // loss (0.5·3 + 0.1·1)/4 = 0.4; top-1 2/4; top-4 (every class) 4/4.
        #expect(abs(acc.metrics.loss - 0.4) < 1e-7)
        #expect(acc.metrics.top1 == 0.5 && acc.metrics.errorRate == 0.5 && acc.metrics.top5 == 1)
    }

    @Test func batchesCoverEverySampleOnceAndReshuffleByEpoch() {
        let x = Tensor.arange([10, 1]), labels = Array(0..<10)
        let source = TensorBatchSource(images: x, labels: labels, batchSize: 4, seed: 3)
        #expect(source.batchCount == 3)
        let epoch0 = Array(source.batches(epoch: 0).flatMap(\.1))
        let epoch1 = Array(source.batches(epoch: 1).flatMap(\.1))
        #expect(epoch0.sorted() == labels && epoch1.sorted() == labels)
        #expect(epoch0 != epoch1)
        #expect(Array(source.batches(epoch: 1).flatMap(\.1)) == epoch1)   // a function of the epoch alone
        for (images, ys) in source.batches(epoch: 0) { #expect(images.scalars == ys.map(Float.init)) }
        #expect(TensorBatchSource(images: x, labels: labels, batchSize: 4, dropLast: true).batchCount == 2)
    }

    @Test func progressLineFormat() {
        let line = ProgressBar.line(title: "epoch 3/10", step: 190, total: 469, samples: 190 * 128, loss: 0.43121, elapsed: 4.75)
        #expect(line == "epoch 3/10  [########------------]  190/469  5,120 img/s  loss 0.4312  ETA 0:07")
        #expect(ProgressBar.clock(3725) == "1:02:05")
        #expect(ProgressBar.grouped(12700) == "12,700")
    }

    @Test func plainLinesWhenNotATerminal() {
        final class Sink: @unchecked Sendable { var text = "" }
        let sink = Sink()
        let bar = ProgressBar(mode: .lines) { sink.text += $0 }
        bar.begin("epoch 1/1", total: 20)
        for s in 1...20 { bar.update(step: s, samples: s * 8, loss: 1) }
        bar.finish("done")
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 11)              // one per 10%, then the summary
        #expect(!sink.text.contains("\u{1B}"))  // no terminal control codes in logs
        #expect(lines.last == "done")
    }
}
