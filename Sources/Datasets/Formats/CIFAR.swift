import Foundation

/// The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky 2009): fixed-size records of label
/// byte(s) followed by a 32x32 colour image as three 1024-byte planes (red, green, blue; rows
/// top to bottom), which is already the CHW layout of a tensor.
///
/// CIFAR-10 records are 1 + 3072 bytes (label 0–9); CIFAR-100 records are 2 + 3072 bytes (coarse
/// label 0–19, then fine label 0–99).
public enum CIFARBinary {
    /// Bytes of one image: 3 · 32 · 32.
    public static let imageBytes = 3072

    /// Reads record files and checks size and labels. `labelBytes` is 1 (CIFAR-10) or 2
    /// (CIFAR-100); `labelIndex` picks which label byte to keep; labels must be `< classCount`.
    public static func read(_ paths: [String], labelBytes: Int, labelIndex: Int,
                            classCount: Int) throws -> (pixels: [UInt8], labels: [Int]) {
        precondition(labelIndex < labelBytes, "CIFARBinary.read: label index \(labelIndex) of \(labelBytes) label bytes")
        let record = labelBytes + imageBytes
        var pixels = [UInt8](), labels = [Int]()
        for path in paths {
            let data = try FileBytes.read(path)
            guard !data.isEmpty else { throw DataError(file: path, kind: .truncated, "empty file") }
            guard data.count % record == 0 else {
                throw DataError(file: path, kind: .truncated,
                                "\(data.count) bytes is not a whole number of \(record)-byte records (\(data.count / record) records and \(data.count % record) bytes left over)")
            }
            let n = data.count / record
            pixels.reserveCapacity(pixels.count + n * imageBytes)
            for r in 0..<n {
                let label = Int(data[r * record + labelIndex])
                guard label < classCount else {
                    throw DataError(file: path, kind: .labelOutOfRange,
                                    "label \(label) of record \(r) (byte offset \(r * record + labelIndex)) is outside 0..<\(classCount)")
                }
                labels.append(label)
                pixels.append(contentsOf: data[(r * record + labelBytes)..<((r + 1) * record)])
            }
        }
        return (pixels, labels)
    }

    /// Encodes records (for fixtures): each item is its label bytes then its 3072 CHW bytes.
    public static func encode(labels: [[UInt8]], images: [[UInt8]]) -> [UInt8] {
        precondition(labels.count == images.count, "CIFARBinary.encode: \(labels.count) labels for \(images.count) images")
        var out = [UInt8]()
        for (l, im) in zip(labels, images) {
            precondition(im.count == imageBytes, "CIFARBinary.encode: image of \(im.count) bytes, expected \(imageBytes)")
            out += l + im
        }
        return out
    }

    /// Class names from a text file with one name per line (`batches.meta.txt`), or `fallback`.
    static func names(in path: String, fallback: [String]) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return fallback }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.count == fallback.count ? names : fallback
    }
}

/// CIFAR-10: 60,000 colour 32x32 images in 10 classes (50,000 train in `data_batch_1.bin` …
/// `data_batch_5.bin`, 10,000 test in `test_batch.bin`), from the folder `cifar-10-batches-bin`.
/// The folder is the `directory` argument or the `CIFAR10_DIR` variable of `environment`.
public enum CIFAR10 {
    public static let environmentVariable = "CIFAR10_DIR"
    /// The labels 0...9 (as in `batches.meta.txt`).
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    /// Loads one split as `[3, 32, 32]` images with values k/255.
    public static func load(_ split: Split, directory: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> InMemoryDataset {
        let folder = try cifarDirectory(directory, variable: environmentVariable, name: "CIFAR-10", marker: "test_batch.bin",
                                        environment: environment)
        let files = split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        let paths = files.map { (folder as NSString).appendingPathComponent($0) }
        let (pixels, labels) = try CIFARBinary.read(paths, labelBytes: 1, labelIndex: 0, classCount: 10)
        let names = CIFARBinary.names(in: (folder as NSString).appendingPathComponent("batches.meta.txt"), fallback: classNames)
        return InMemoryDataset(imageShape: [3, 32, 32], pixels: .bytes(pixels), labels: labels, classNames: names)
    }
}

/// CIFAR-100: 60,000 colour 32x32 images with 100 fine and 20 coarse classes (`train.bin`,
/// `test.bin`, `fine_label_names.txt`, `coarse_label_names.txt` in `cifar-100-binary`). The
/// folder is the `directory` argument or the `CIFAR100_DIR` variable of `environment`.
public enum CIFAR100 {
    public static let environmentVariable = "CIFAR100_DIR"

    /// Which of the two labels of each record to use.
    public enum Labels: Sendable { case fine, coarse }

    /// Loads one split as `[3, 32, 32]` images with values k/255.
    public static func load(_ split: Split, labels: Labels = .fine, directory: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> InMemoryDataset {
        let folder = try cifarDirectory(directory, variable: environmentVariable, name: "CIFAR-100", marker: "test.bin",
                                        environment: environment)
        let path = (folder as NSString).appendingPathComponent(split == .train ? "train.bin" : "test.bin")
        let classCount = labels == .fine ? 100 : 20
        let (pixels, values) = try CIFARBinary.read([path], labelBytes: 2, labelIndex: labels == .fine ? 1 : 0,
                                                    classCount: classCount)
        let namesFile = (folder as NSString).appendingPathComponent(labels == .fine ? "fine_label_names.txt" : "coarse_label_names.txt")
        let names = CIFARBinary.names(in: namesFile, fallback: (0..<classCount).map { "class \($0)" })
        return InMemoryDataset(imageShape: [3, 32, 32], pixels: .bytes(pixels), labels: values, classNames: names)
    }
}

private func cifarDirectory(_ directory: String?, variable: String, name: String, marker: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    guard let folder = directory ?? environment[variable] else {
        throw DataError(file: marker, kind: .missing,
                        "\(name) is not installed on this machine: download its binary version and set \(variable) to its folder")
    }
    return folder
}
