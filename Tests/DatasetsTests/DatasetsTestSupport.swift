import Foundation
import Testing
import Datasets

/// A fresh temporary folder for one test, removed by `cleanup()`.
struct ScratchFolder {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("datasets-\(safe)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` inside the folder and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        precondition(FileManager.default.createFile(atPath: file, contents: Data(bytes)), "cannot write \(file)")
        return file
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body`, expects a `DataError` of `kind` whose file is `file`, and returns it (for
/// checks on the message). Any other outcome is recorded as a test failure.
@discardableResult
func expectDataError(_ kind: DataError.Kind, file: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) -> DataError? {
    do {
        try body()
        Issue.record("expected a \(kind) error for \(file), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DataError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == file, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(file), sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected DataError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Whether Debian's Fashion-MNIST files are installed (the real-data tests need them).
let fashionMNISTInstalled = FileManager.default.fileExists(
    atPath: FashionMNIST.resolvedDirectory() + "/t10k-labels-idx1-ubyte.gz")
