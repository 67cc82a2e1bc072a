import Foundation
import Testing
import Datasets

// Expected numbers for Debian's dataset-fashion-mnist files were computed independently with
// Python's gzip module, not with this code:
//   b = gzip.open(path).read(); len(b); b[:16].hex(); list(b[8:18]) (labels);
//   sum(b[16:16 + 784]) (first image); sum(b[16 + 784 * (n - 1):]) (last image)
@Suite("Fashion-MNIST from Debian's package", .enabled(if: fashionMNISTInstalled))
struct FashionMNISTTests {
    @Test func trainingSplitMatchesPythonGzip() throws {
        let train = try FashionMNIST.load(.train)
        #expect(train.count == 60_000)
        #expect(train.imageShape == [1, 28, 28])
        #expect((0..<10).map { train.label($0) } == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect((59_995..<60_000).map { train.label($0) } == [5, 1, 3, 0, 5])
        #expect(train.labelHistogram() == [Int](repeating: 6000, count: 10))
        let first = train.item(0).image.pixels
        // sum of the first image's bytes = 76247, 433 of its 784 pixels non-zero, max 255
        #expect(first.reduce(0) { $0 + Double($1 * 255).rounded() } == 76_247)
        #expect(first.filter { $0 > 0 }.count == 433)
        #expect(first.max() == 1)
        let last = train.item(59_999).image.pixels
        #expect(last.reduce(0) { $0 + Double($1 * 255).rounded() } == 16_684)
    }

    @Test func testSplitMatchesPythonGzip() throws {
        let test = try FashionMNIST.load(.test)
        #expect(test.count == 10_000)
        #expect((0..<10).map { test.label($0) } == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        #expect(test.labelHistogram() == [Int](repeating: 1000, count: 10))
        let first = test.item(0).image.pixels
        #expect(first.reduce(0) { $0 + Double($1 * 255).rounded() } == 33_456)
        #expect(first.filter { $0 > 0 }.count == 267)
        #expect(test.classNames[test.label(0)] == "Ankle boot")
        #expect(test.classNames == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
    }

    @Test func pixelsAreBytesOver255LikeToTensor() throws {
        let test = try FashionMNIST.load(.test)
        // Every value is k/255 for an integer k, computed by division as torchvision does.
        for v in test.item(1).image.pixels {
            let k = (v * 255).rounded()
            #expect(v == Float(k) / 255)
        }
    }

    @Test func directoryOptionOverridesTheDefault() throws {
        // A copy of the raw (uncompressed) labels and a gzip of the same images, in a scratch
        // folder: the explicit directory wins, and raw and gzip files read the same.
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let source = FashionMNIST.resolvedDirectory()
        let images = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: source + "/t10k-images-idx3-ubyte.gz"))), file: "t10k")
        let labels = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: source + "/t10k-labels-idx1-ubyte.gz"))), file: "t10k")
        #expect(images.count == 7_840_016)
        scratch.write("t10k-images-idx3-ubyte", images)
        scratch.write("t10k-labels-idx1-ubyte.gz", Gzip.compress(labels, level: 1))
        let copy = try FashionMNIST.load(.test, directory: scratch.path)
        let original = try FashionMNIST.load(.test)
        #expect(copy.count == 10_000)
        #expect(copy.item(9_999) == original.item(9_999))
        #expect(FashionMNIST.resolvedDirectory(scratch.path) == scratch.path)
        #expect(FashionMNIST.resolvedDirectory(environment: ["FASHION_MNIST_DIR": scratch.path]) == scratch.path)
        #expect(FashionMNIST.resolvedDirectory("/x", environment: ["FASHION_MNIST_DIR": scratch.path]) == "/x")
        #expect(FashionMNIST.resolvedDirectory(environment: [:]) == "/usr/share/datasets/fashion-mnist")
    }

    @Test func missingDirectoryNamesTheFileAndTheFix() {
        let error = expectDataError(.missing, file: "/nonexistent/fmnist/train-images-idx3-ubyte.gz") {
            _ = try FashionMNIST.load(.train, directory: "/nonexistent/fmnist")
        }
        #expect(error?.detail.contains("FASHION_MNIST_DIR") == true)
    }
}
