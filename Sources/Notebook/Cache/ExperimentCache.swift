// The content-addressed store under Output/cache/: <key>.json for Codable results, <key>/ for
// results made of files (tensors, checkpoints). An entry is visible only once complete (staged
// under a temporary name, then renamed), so existence means "complete"; an entry that still
// cannot be read is reported as corrupt and recomputed by the caller.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is stored with every entry besides the value.
public struct CacheEntryHeader: Codable, Equatable, Sendable {
    public init(key: String, lesson: String, step: String, createdAt: Date, computeSeconds: Double, valueType: String,
                resultSHA256: String, inputs: CacheKeyInputs) {
        self.key = key; self.lesson = lesson; self.step = step; self.createdAt = createdAt; self.computeSeconds = computeSeconds
        self.valueType = valueType; self.resultSHA256 = resultSHA256; self.inputs = inputs
    }
    public var key: String
    public var lesson: String
    public var step: String
    public var createdAt: Date
    /// Seconds the computation took.
    public var computeSeconds: Double
    /// `String(describing: T.self)` of the stored value, for messages.
    public var valueType: String
    /// SHA-256 of the result (canonical JSON of the value, or the directory's file listing with
    /// digests); downstream steps hash it into their keys.
    public var resultSHA256: String
    public var inputs: CacheKeyInputs
}

/// The result of looking an entry up.
public enum CacheLookup<Value> {
    case hit(Value, CacheEntryHeader)
    case missing
    /// The entry exists but cannot be used; `reason` names the file and the problem.
    case corrupt(reason: String)
}

/// The entry store of one output root.
public struct ExperimentCache: Sendable {
    /// `Output/cache`.
    public let directory: URL
    /// Name of the header file inside a directory entry.
    public static let directoryHeaderName = "entry.json"

    public init(directory: URL) { self.directory = directory }

    /// `Output/cache/<key>.json`.
    public func fileURL(key: String) -> URL { directory.appendingPathComponent("\(key).json") }
    /// `Output/cache/<key>/`.
    public func directoryURL(key: String) -> URL { directory.appendingPathComponent(key, isDirectory: true) }
    /// `Output/cache/<key>.work/`: survives interruptions, deleted when the entry is committed.
    public func scratchURL(key: String) -> URL { directory.appendingPathComponent("\(key).work", isDirectory: true) }

    private struct Envelope<Value: Codable>: Codable {
        var header: CacheEntryHeader
        var value: Value
    }

    private static func decoder() -> JSONDecoder {
        let d = JSONDecoder(); d.dateDecodingStrategy = .iso8601; return d
    }

    private static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// Reads the JSON entry for `key` as `Value`.
    public func lookup<Value: Codable>(key: String, as type: Value.Type) -> CacheLookup<Value> {
        let url = fileURL(key: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        do {
            let data = try Data(contentsOf: url)
            let envelope = try ExperimentCache.decoder().decode(Envelope<Value>.self, from: data)
            guard envelope.header.key == key else {
                return .corrupt(reason: "\(url.path) holds the entry for key \(envelope.header.key)")
            }
            return .hit(envelope.value, envelope.header)
        } catch {
            return .corrupt(reason: "\(url.path) is not a readable \(Value.self) entry: \(ExperimentCache.describe(error))")
        }
    }

    /// Stages the JSON entry for `value`; the caller commits it (tests stop before committing to
    /// simulate a crash). `header.resultSHA256` is filled in here.
    public func stage<Value: Codable>(_ value: Value, header: CacheEntryHeader) throws -> (StagedOutput, CacheEntryHeader) {
        var header = header
        let encoder = ExperimentCache.encoder()
        do {
            header.resultSHA256 = SHA256.hex(of: try encoder.encode([value]))
            let data = try encoder.encode(Envelope(header: header, value: value))
            return (try AtomicFile.stage(data, for: fileURL(key: header.key)), header)
        } catch let error as NotebookError {
            throw error
        } catch {
            throw NotebookError.unwritable(path: fileURL(key: header.key).path, reason: "cannot encode \(Value.self): \(error)")
        }
    }

    /// Stores `value` atomically and returns the header as written.
    @discardableResult
    public func store<Value: Codable>(_ value: Value, header: CacheEntryHeader) throws -> CacheEntryHeader {
        let (staged, written) = try stage(value, header: header)
        try staged.commit()
        return written
    }

    /// Looks up the directory entry for `key`: present and with a readable header, or not.
    public func lookupDirectory(key: String) -> CacheLookup<URL> {
        let url = directoryURL(key: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        let headerURL = url.appendingPathComponent(ExperimentCache.directoryHeaderName)
        do {
            let header = try ExperimentCache.decoder().decode(CacheEntryHeader.self, from: Data(contentsOf: headerURL))
            guard header.key == key else { return .corrupt(reason: "\(headerURL.path) names key \(header.key)") }
            return .hit(url, header)
        } catch {
            return .corrupt(reason: "\(headerURL.path) is missing or unreadable: \(ExperimentCache.describe(error))")
        }
    }

    /// Writes the header into a filled staging directory and returns the header with its result digest.
    public func sealDirectory(_ staged: StagedOutput, header: CacheEntryHeader) throws -> CacheEntryHeader {
        var header = header
        var h = SHA256()
        for path in try SourceTree.files(in: staged.temporary) where path != ExperimentCache.directoryHeaderName {
            h.update("\(path)\t\(try SHA256.hex(ofFile: staged.temporary.appendingPathComponent(path)))\n")
        }
        header.resultSHA256 = h.finalizeHex()
        let data: Data
        do { data = try ExperimentCache.encoder().encode(header) } catch {
            throw NotebookError.unwritable(path: staged.destination.path, reason: "cannot encode the entry header: \(error)")
        }
        try AtomicFile.write(data, to: staged.temporary.appendingPathComponent(ExperimentCache.directoryHeaderName))
        return header
    }

    /// Removes an entry of either kind (a corrupt one before recomputing).
    public func remove(key: String) {
        try? FileManager.default.removeItem(at: fileURL(key: key))
        try? FileManager.default.removeItem(at: directoryURL(key: key))
    }

    /// Deletes temporary files and directories left by processes that no longer run (a killed
    /// `make`); temporaries of live processes are kept. Returns what was removed.
    @discardableResult
    public func removeAbandonedTemporaries() -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [URL] = []
        for name in names where name.hasPrefix(".") && name.contains(AtomicFile.marker) {
            let afterMarker = name.components(separatedBy: AtomicFile.marker).last ?? ""
            guard let pid = Int32(afterMarker.prefix { $0.isNumber }) else { continue }
            if pid == getpid() { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0 && errno == ESRCH {
                let url = directory.appendingPathComponent(name)
                if (try? FileManager.default.removeItem(at: url)) != nil { removed.append(url) }
            }
        }
        return removed
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context): "bad JSON (\(context.debugDescription))"
        case let DecodingError.keyNotFound(key, _): "missing field '\(key.stringValue)'"
        case let DecodingError.typeMismatch(type, context):
            "type mismatch for \(type) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case let DecodingError.valueNotFound(type, context):
            "missing \(type) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: error.localizedDescription
        }
    }
}
