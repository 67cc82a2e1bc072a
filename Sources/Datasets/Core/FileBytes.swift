import Foundation

/// Whole-file reads and atomic writes with `DataError`s that name the file.
enum FileBytes {
    /// The file's bytes, or `.missing` / `.unreadable`.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, kind: .missing, "no such file")
        }
        if isDirectory.boolValue { throw DataError(file: path, kind: .unreadable, "is a directory, not a file") }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw DataError(file: path, kind: .unreadable, "\(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so a reader
    /// never sees half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataError(file: path, kind: .unreadable, "cannot write: \(error.localizedDescription)")
        }
    }

    /// The first existing path among `candidates`, or a `.missing` error naming all of them.
    static func firstExisting(_ candidates: [String], hint: String) throws -> String {
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        let others = candidates.dropFirst().joined(separator: ", ")
        throw DataError(file: candidates[0], kind: .missing,
                        "no such file\(others.isEmpty ? "" : " (also tried \(others))"); \(hint)")
    }
}
