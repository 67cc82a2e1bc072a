import Foundation

/// Which half of a dataset.
public enum Split: String, Sendable, CaseIterable {
    case train, test
}

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando; MIT licence): 70,000 grey 28x28 images of
/// clothing in 10 classes, 60,000 for training and 10,000 for testing, in MNIST's IDX format.
///
/// The files come from Debian's `dataset-fashion-mnist` package. The folder is, in order: the
/// `directory` argument, the `FASHION_MNIST_DIR` environment variable, `defaultDirectory`.
/// Each file is read gzip-compressed (`….gz`) or raw, whichever exists.
///
///     let test = try FashionMNIST.load(.test)
///     test.count                        // 10000
///     test.classNames[test.label(0)]    // "Ankle boot"
public enum FashionMNIST {
    /// Where Debian installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// Environment variable that overrides `defaultDirectory`.
    public static let environmentVariable = "FASHION_MNIST_DIR"

    /// The labels 0...9, from the README of the dataset.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The folder the files are read from: `directory`, else `$FASHION_MNIST_DIR` in
    /// `environment`, else `defaultDirectory`.
    public static func resolvedDirectory(_ directory: String? = nil,
                                         environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory ?? environment[environmentVariable] ?? defaultDirectory
    }

    /// Loads one split as `[1, 28, 28]` images with values k/255.
    public static func load(_ split: Split, directory: String? = nil) throws -> InMemoryDataset {
        try loadMNISTLayout(split, directory: resolvedDirectory(directory), classNames: classNames,
                            hint: "install Debian's dataset-fashion-mnist or set \(environmentVariable)")
    }
}

/// MNIST (LeCun, Cortes & Burges): handwritten digits 0–9 in the same files and layout as
/// Fashion-MNIST. No Debian package ships it: pass `directory` or set `MNIST_DIR`.
public enum MNIST {
    /// Environment variable naming the folder of the four IDX files.
    public static let environmentVariable = "MNIST_DIR"
    /// "0" … "9".
    public static let classNames = (0...9).map(String.init)

    /// Loads one split as `[1, 28, 28]` images with values k/255.
    public static func load(_ split: Split, directory: String? = nil) throws -> InMemoryDataset {
        let folder = directory ?? ProcessInfo.processInfo.environment[environmentVariable] ?? "."
        return try loadMNISTLayout(split, directory: folder, classNames: classNames,
                                   hint: "set \(environmentVariable) to the folder holding the MNIST IDX files")
    }
}

/// `train-images-idx3-ubyte[.gz]` + `train-labels-idx1-ubyte[.gz]` (prefix `t10k` for test).
func loadMNISTLayout(_ split: Split, directory: String, classNames: [String], hint: String) throws -> InMemoryDataset {
    let prefix = split == .train ? "train" : "t10k"
    func find(_ name: String) throws -> String {
        let base = (directory as NSString).appendingPathComponent("\(prefix)-\(name)")
        return try FileBytes.firstExisting([base + ".gz", base], hint: hint)
    }
    return try loadIDXDataset(images: try find("images-idx3-ubyte"), labels: try find("labels-idx1-ubyte"),
                              classNames: classNames)
}
