/// A data file that cannot be used, with the file and the reason.
///
/// Every loader in this module throws `DataError` for bad input (truncated, corrupt, wrong magic
/// number, label out of range, size mismatch) instead of trapping, so a lesson or the grader can
/// print one line and carry on:
///
///     do { _ = try FashionMNIST.load(.train, directory: "/tmp/nowhere") }
///     catch let e as DataError { print(e) }
///     // /tmp/nowhere/train-images-idx3-ubyte.gz: missing: no such file (also tried …)
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What class of problem the file has (tests and callers branch on it; the detail is prose).
    public enum Kind: String, Sendable, Equatable {
        /// The file does not exist.
        case missing
        /// The file exists but could not be read (permissions, I/O error).
        case unreadable
        /// The file ends before the data its header announces (or in the middle of a record).
        case truncated
        /// The bytes are not valid for the format (bad compressed stream, undecodable image).
        case corrupt
        /// The leading magic number is not the one the format requires.
        case badMagic
        /// A label is outside `0..<classCount`.
        case labelOutOfRange
        /// Counts or dimensions disagree (images vs labels, header vs expectation, extra bytes).
        case sizeMismatch
        /// A valid file in a variant this reader does not handle (e.g. IDX with float elements).
        case unsupported
    }

    /// The path of the offending file, as given to the loader.
    public let file: String
    public let kind: Kind
    /// What exactly is wrong, with the numbers involved.
    public let detail: String

    public init(file: String, kind: Kind, _ detail: String) {
        self.file = file
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(file): \(kind.rawValue): \(detail)" }
}
