// The inputs of a cache key and how they are hashed. The key is SHA-256 over a canonical text
// listing every input by name, so two runs agree on a key exactly when they agree on every input.
import Foundation

/// A data file a cached step reads, with the SHA-256 of its contents.
public struct DataFileDigest: Codable, Equatable, Sendable {
    public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }
    /// The path as given to `reads:` (absolute, or relative to the package root when inside it).
    public var path: String
    public var sha256: String
}

/// An earlier cached step whose result feeds this one, with the SHA-256 of its stored result.
public struct UpstreamDigest: Codable, Equatable, Sendable {
    public init(step: String, resultSHA256: String) { self.step = step; self.resultSHA256 = resultSHA256 }
    public var step: String
    public var resultSHA256: String
}

/// Everything a cached step's key is computed from.
public struct CacheKeyInputs: Codable, Equatable, Sendable {
    public init(lesson: String, step: String, version: Int, mode: RunMode, seed: UInt64, parameters: [String],
                lessonCodeSHA256: String, stepCodeSHA256: String, engineModules: [String], engineSHA256: String,
                dataFiles: [DataFileDigest], upstream: [UpstreamDigest]) {
        self.lesson = lesson; self.step = step; self.version = version; self.mode = mode; self.seed = seed
        self.parameters = parameters; self.lessonCodeSHA256 = lessonCodeSHA256; self.stepCodeSHA256 = stepCodeSHA256
        self.engineModules = engineModules; self.engineSHA256 = engineSHA256; self.dataFiles = dataFiles; self.upstream = upstream
    }
    /// Bumped when the key recipe changes, so old entries are never misread.
    public static let recipeVersion = 1

    public var lesson: String
    public var step: String
    /// The author's manual version of the step (bump to force a rerun).
    public var version: Int
    public var mode: RunMode
    public var seed: UInt64
    /// Each parameter as canonical JSON (sorted keys).
    public var parameters: [String]
    /// Digest of the lesson's code outside all cached calls (see `LessonCode.sharedCodeSHA256`).
    public var lessonCodeSHA256: String
    /// Digest of this step's own call, arguments and trailing closure.
    public var stepCodeSHA256: String
    /// Names of the engine modules (or paths) hashed into `engineSHA256`.
    public var engineModules: [String]
    public var engineSHA256: String
    public var dataFiles: [DataFileDigest]
    public var upstream: [UpstreamDigest]

    /// The canonical text the key hashes: one `name: value` line per input.
    public var canonicalText: String {
        var lines = [
            "coursekit-cache-key \(CacheKeyInputs.recipeVersion)",
            "lesson: \(lesson)", "step: \(step)", "version: \(version)",
            "mode: \(mode.rawValue)", "seed: \(seed)",
        ]
        lines += parameters.enumerated().map { "parameter \($0.offset): \($0.element)" }
        lines += ["lesson-code: \(lessonCodeSHA256)", "step-code: \(stepCodeSHA256)",
                  "engine: \(engineModules.joined(separator: ",")) \(engineSHA256)"]
        lines += dataFiles.map { "data: \($0.path) \($0.sha256)" }
        lines += upstream.map { "upstream: \($0.step) \($0.resultSHA256)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The key: 64 lowercase hex digits.
    public var key: String { SHA256.hex(of: canonicalText) }

    /// Human-readable reasons why `self` differs from `earlier` ("lesson code changed", …).
    public func differences(from earlier: CacheKeyInputs) -> [String] {
        var reasons: [String] = []
        if version != earlier.version { reasons.append("version \(earlier.version) → \(version)") }
        if mode != earlier.mode { reasons.append("mode \(earlier.mode.rawValue) → \(mode.rawValue)") }
        if seed != earlier.seed { reasons.append("seed \(earlier.seed) → \(seed)") }
        if parameters != earlier.parameters { reasons.append("parameters changed") }
        if lessonCodeSHA256 != earlier.lessonCodeSHA256 { reasons.append("lesson code changed") }
        if stepCodeSHA256 != earlier.stepCodeSHA256 { reasons.append("the step's code changed") }
        if engineSHA256 != earlier.engineSHA256 || engineModules != earlier.engineModules { reasons.append("engine sources changed") }
        let before = Dictionary(earlier.dataFiles.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        for file in dataFiles where before[file.path] != file.sha256 {
            reasons.append(before[file.path] == nil ? "reads a new data file \(file.path)" : "data file \(file.path) changed")
        }
        if upstream != earlier.upstream { reasons.append("an upstream step's result changed") }
        return reasons
    }
}

/// Canonical JSON for cache-key parameters.
public enum CanonicalJSON {
    private struct Box<Value: Encodable>: Encodable { let value: Value }

    /// `value` as compact JSON with sorted keys. Top-level scalars are encoded inside a
    /// one-field wrapper `{"value":…}` so every encoder accepts them.
    /// - Throws: the encoder's error (a non-finite float, say), wrapped with the step name by the caller.
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.dataEncodingStrategy = .base64
        return String(decoding: try encoder.encode(Box(value: value)), as: UTF8.self)
    }
}
