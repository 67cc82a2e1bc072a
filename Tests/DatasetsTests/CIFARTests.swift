import Foundation
import Testing
import Datasets

/// The bytes of a CIFAR image whose planes follow a formula the tests can recompute:
/// red[k] = (k + 3·item) mod 256, green[k] = (2k + 1) mod 256, blue[k] = 255 - red[k], k = 32·y + x.
private func planes(_ item: Int) -> [UInt8] {
    let red = (0..<1024).map { UInt8(($0 + 3 * item) % 256) }
    let green = (0..<1024).map { UInt8((2 * $0 + 1) % 256) }
    return red + green + red.map { 255 - $0 }
}

@Suite("CIFAR binary reader (generated files in the exact format)")
struct CIFARTests {
    /// Writes a CIFAR-10 folder: batch b holds items 2b-2 and 2b-1 (labels item mod 10),
    /// the test batch holds items 10, 11, 12.
    private func cifar10Folder() -> ScratchFolder {
        let scratch = ScratchFolder()
        for b in 1...5 {
            let items = [2 * b - 2, 2 * b - 1]
            scratch.write("data_batch_\(b).bin", CIFARBinary.encode(labels: items.map { [UInt8($0 % 10)] }, images: items.map(planes)))
        }
        scratch.write("test_batch.bin", CIFARBinary.encode(labels: [[7], [3], [9]], images: [10, 11, 12].map(planes)))
        return scratch
    }

    @Test func recordsAreLabelThenRedGreenBluePlanes() throws {
        let scratch = cifar10Folder()
        defer { scratch.cleanup() }
        let record = CIFARBinary.encode(labels: [[4]], images: [planes(0)])
        #expect(record.count == 3073)
        #expect(record[0] == 4 && record[1] == 0 && record[1 + 1024] == 1 && record[1 + 2048] == 255)
        let train = try CIFAR10.load(.train, directory: scratch.path)
        #expect(train.count == 10)
        #expect(train.imageShape == [3, 32, 32])
        #expect((0..<10).map { train.label($0) } == Array(0..<10))
        let image = train.item(7).image   // item 7: second record of data_batch_4
        for (y, x) in [(0, 0), (0, 31), (5, 17), (31, 31)] {
            let k = 32 * y + x
            #expect(image[0, y, x] == Float((k + 21) % 256) / 255)
            #expect(image[1, y, x] == Float((2 * k + 1) % 256) / 255)
            #expect(image[2, y, x] == Float(255 - (k + 21) % 256) / 255)
        }
        let test = try CIFAR10.load(.test, directory: scratch.path)
        #expect((0..<3).map { test.label($0) } == [7, 3, 9])
        #expect(test.classNames[test.label(0)] == "horse")
    }

    @Test func environmentVariableNamesTheFolder() throws {
        let scratch = cifar10Folder()
        defer { scratch.cleanup() }
        let test = try CIFAR10.load(.test, environment: ["CIFAR10_DIR": scratch.path])
        #expect(test.count == 3)
        let error = expectDataError(.missing, file: "test_batch.bin") { _ = try CIFAR10.load(.test, environment: [:]) }
        #expect(error?.detail.contains("CIFAR10_DIR") == true)
    }

    @Test func classNamesComeFromTheMetaFileWhenPresent() throws {
        let scratch = cifar10Folder()
        defer { scratch.cleanup() }
        scratch.write("batches.meta.txt", Array("a0\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n".utf8))
        #expect(try CIFAR10.load(.test, directory: scratch.path).classNames[9] == "a9")
    }

    @Test func cifar100HasCoarseThenFineLabels() throws {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        scratch.write("test.bin", CIFARBinary.encode(labels: [[3, 42], [19, 99]], images: [planes(0), planes(1)]))
        let fine = try CIFAR100.load(.test, directory: scratch.path)
        let coarse = try CIFAR100.load(.test, labels: .coarse, directory: scratch.path)
        #expect([fine.label(0), fine.label(1)] == [42, 99] as [Int])
        #expect([coarse.label(0), coarse.label(1)] == [3, 19] as [Int])
        #expect(fine.classCount == 100 && coarse.classCount == 20)
        #expect(fine.item(1).image[0, 0, 1] == Float(4) / 255)
    }

    @Test func truncatedRecordIsReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let bytes = CIFARBinary.encode(labels: [[1], [2]], images: [planes(0), planes(1)])
        let path = scratch.write("test_batch.bin", Array(bytes.dropLast(100)))
        let error = expectDataError(.truncated, file: path) { _ = try CIFAR10.load(.test, directory: scratch.path) }
        #expect(error?.detail.contains("6046 bytes") == true)
        #expect(error?.detail.contains("1 records and 2973 bytes left over") == true)
        let empty = scratch.write("empty.bin", [])
        expectDataError(.truncated, file: empty) {
            _ = try CIFARBinary.read([empty], labelBytes: 1, labelIndex: 0, classCount: 10)
        }
    }

    @Test func labelOutOfRangeIsReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let path = scratch.write("test_batch.bin", CIFARBinary.encode(labels: [[1], [10]], images: [planes(0), planes(1)]))
        let error = expectDataError(.labelOutOfRange, file: path) { _ = try CIFAR10.load(.test, directory: scratch.path) }
        #expect(error?.detail.contains("label 10 of record 1") == true)
        let hundred = scratch.write("test.bin", CIFARBinary.encode(labels: [[1, 100]], images: [planes(0)]))
        expectDataError(.labelOutOfRange, file: hundred) { _ = try CIFAR100.load(.test, directory: scratch.path) }
    }

    @Test func missingBatchFileIsReported() {
        let scratch = cifar10Folder()
        defer { scratch.cleanup() }
        let gone = scratch.path + "/data_batch_3.bin"
        try? FileManager.default.removeItem(atPath: gone)
        expectDataError(.missing, file: gone) { _ = try CIFAR10.load(.train, directory: scratch.path) }
    }
}
