// Cached steps. The key hashes: the step name and version, the parameters (canonical JSON), the
// lesson's code outside all cached calls, this call's own code, the engine's sources, the data
// files read, the seed, the mode and the results of upstream steps. See Sources/Notebook/README.md.
import Foundation

/// The folders a directory-valued cached step works in.
public struct CacheStepFolders: Sendable {
    /// Fill this folder; it becomes Output/cache/<key>/ when the step returns without throwing.
    public let output: URL
    /// Persistent per key: write checkpoints here to resume after an interruption. Deleted once
    /// the entry is committed.
    public let scratch: URL
    /// The step's key.
    public let key: String
}

extension Notebook {
    /// Returns the cached result of `compute` for these inputs, computing and storing it if the
    /// entry is missing, corrupt, or `--force` was given.
    ///
    /// ```swift
    /// let curve = try nb.cached("train", epochs, learningRate, reads: [imagesURL]) {
    ///     try train(epochs: epochs, learningRate: learningRate)    // -> [Float], Codable
    /// }
    /// ```
    /// - Parameters:
    ///   - step: the step's name (unique per call site is clearest; loops may repeat it).
    ///   - parameters: values the result depends on; encoded as canonical JSON into the key.
    ///   - version: bump to force recomputation without changing code.
    ///   - reads: data files the step reads; their SHA-256 enters the key.
    ///   - after: names of earlier cached steps whose results this step uses. `nil` (the default)
    ///     means every earlier step of this run: safe, but a change upstream reruns this step too;
    ///     `[]` declares the step independent.
    /// - Throws: errors of `compute`; `NotebookError` when the lesson sources, a data file or
    ///   the engine sources cannot be read, or a parameter cannot be encoded.
    public func cached<T: Codable, each P: Encodable>(
        _ step: String, _ parameters: repeat each P, version: Int = 1, reads: [URL] = [], after: [String]? = nil,
        fileID: String = #fileID, line: Int = #line, _ compute: () throws -> T
    ) throws -> T {
        var encoded: [String] = []
        for parameter in repeat each parameters {
            do { encoded.append(try CanonicalJSON.encode(parameter)) } catch {
                throw NotebookError.badArgument(name: "parameter \(encoded.count) of cached step '\(step)' (\(fileID):\(line))",
                                                value: "\(parameter)", expected: "a JSON-encodable value (\(error))")
            }
        }
        let location = SourceLocation(fileID: fileID, line: line)
        let inputs = try keyInputs(step: step, parameters: encoded, version: version, reads: reads, after: after, location: location)
        let key = inputs.key
        let start = Date()
        var outcome = try outcomeBeforeCompute(step: step, inputs: inputs)
        if outcome == nil {
            switch cache.lookup(key: key, as: T.self) {
            case let .hit(value, header):
                finishStep(step: step, key: key, outcome: .hit, location: location, start: start, header: header, kind: .json)
                return value
            case .missing:
                outcome = previousKey(step: step).map { $0 == key ? .computed : .stale } ?? .computed
            case let .corrupt(reason):
                report("cache entry for step '\(step)' is corrupt, recomputing: \(reason)")
                outcome = .corrupt
            }
        }
        announce(step: step, outcome: outcome!, inputs: inputs)
        let value = try compute()
        var header = CacheEntryHeader(key: key, lesson: name, step: step, createdAt: Date(),
                                      computeSeconds: Date().timeIntervalSince(start), valueType: "\(T.self)",
                                      resultSHA256: "", inputs: inputs)
        do { header = try cache.store(value, header: header) } catch {
            report("could not store the cache entry for step '\(step)': \(error)")
            // The run still uses the value; downstream keys use its digest as if stored.
            header.resultSHA256 = (try? SHA256.hex(of: JSONEncoder().encode([value]))) ?? key
        }
        finishStep(step: step, key: key, outcome: outcome!, location: location, start: start, header: header, kind: .json)
        return value
    }

    /// Like `cached`, for results made of files: `fill` writes into `folders.output`, which
    /// becomes Output/cache/<key>/ (returned) only if `fill` returns normally. Training runs write
    /// checkpoints into `folders.scratch` and resume from them after an interruption.
    /// The file name `entry.json` is reserved for the entry header.
    public func cachedDirectory<each P: Encodable>(
        _ step: String, _ parameters: repeat each P, version: Int = 1, reads: [URL] = [], after: [String]? = nil,
        fileID: String = #fileID, line: Int = #line, _ fill: (CacheStepFolders) throws -> Void
    ) throws -> URL {
        var encoded: [String] = []
        for parameter in repeat each parameters {
            do { encoded.append(try CanonicalJSON.encode(parameter)) } catch {
                throw NotebookError.badArgument(name: "parameter \(encoded.count) of cached step '\(step)' (\(fileID):\(line))",
                                                value: "\(parameter)", expected: "a JSON-encodable value (\(error))")
            }
        }
        let location = SourceLocation(fileID: fileID, line: line)
        let inputs = try keyInputs(step: step, parameters: encoded, version: version, reads: reads, after: after, location: location)
        let key = inputs.key
        let start = Date()
        var outcome = try outcomeBeforeCompute(step: step, inputs: inputs)
        if outcome == nil {
            switch cache.lookupDirectory(key: key) {
            case let .hit(url, header):
                finishStep(step: step, key: key, outcome: .hit, location: location, start: start, header: header, kind: .directory)
                return url
            case .missing:
                outcome = previousKey(step: step).map { $0 == key ? .computed : .stale } ?? .computed
            case let .corrupt(reason):
                report("cache entry for step '\(step)' is corrupt, recomputing: \(reason)")
                outcome = .corrupt
            }
        }
        announce(step: step, outcome: outcome!, inputs: inputs)
        try FileManager.default.createDirectory(at: cache.directory, withIntermediateDirectories: true)
        let staged = try AtomicFile.stageDirectory(for: cache.directoryURL(key: key))
        let scratch = cache.scratchURL(key: key)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        do { try fill(CacheStepFolders(output: staged.temporary, scratch: scratch, key: key)) } catch {
            staged.discard()
            throw error
        }
        var header = CacheEntryHeader(key: key, lesson: name, step: step, createdAt: Date(),
                                      computeSeconds: Date().timeIntervalSince(start), valueType: "directory",
                                      resultSHA256: "", inputs: inputs)
        header = try cache.sealDirectory(staged, header: header)
        try staged.commit()
        try? FileManager.default.removeItem(at: scratch)
        finishStep(step: step, key: key, outcome: outcome!, location: location, start: start, header: header, kind: .directory)
        return cache.directoryURL(key: key)
    }

    // MARK: - Key and bookkeeping

    func keyInputs(step: String, parameters: [String], version: Int, reads: [URL], after: [String]?,
                   location: SourceLocation) throws -> CacheKeyInputs {
        let code = try lessonCode()
        let upstream: [UpstreamDigest] = withLock {
            let chosen = after.map { names in stepResults.filter { names.contains($0.step) } } ?? stepResults
            return chosen.map { UpstreamDigest(step: $0.step, resultSHA256: $0.resultSHA256) }
        }
        if let after {
            let known = withLock { Set(stepResults.map(\.step)) }
            for missing in after where !known.contains(missing) {
                throw NotebookError.badArgument(name: "after: of cached step '\(step)' (\(location.fileID):\(location.line))",
                                                value: missing, expected: "the name of a cached step that ran earlier in this lesson")
            }
        }
        return CacheKeyInputs(
            lesson: name, step: step, version: version, mode: options.mode, seed: options.seed, parameters: parameters,
            lessonCodeSHA256: code.sharedCodeSHA256,
            stepCodeSHA256: code.callSHA256(fileName: location.fileName, line: location.line),
            engineModules: engineSources, engineSHA256: try engineDigest(),
            dataFiles: try reads.map(dataDigest), upstream: upstream)
    }

    /// `.forced` under `--force`, else nil (look the entry up).
    func outcomeBeforeCompute(step: String, inputs: CacheKeyInputs) throws -> CacheOutcome? {
        options.force ? .forced : nil
    }

    /// The key this step had in the previous run of this lesson and mode (same name, same occurrence).
    func previousKey(step: String) -> String? {
        let occurrence = withLock { manifestSteps.filter { $0.step == step }.count }
        return previousManifest?.steps.filter { $0.step == step }.dropFirst(occurrence).first?.inputs.key
    }

    func previousInputs(step: String) -> CacheKeyInputs? {
        let occurrence = withLock { manifestSteps.filter { $0.step == step }.count }
        return previousManifest?.steps.filter { $0.step == step }.dropFirst(occurrence).first?.inputs
    }

    func announce(step: String, outcome: CacheOutcome, inputs: CacheKeyInputs) {
        guard options.echo else { return }
        var why = ""
        if outcome == .stale, let before = previousInputs(step: step) {
            why = ": " + inputs.differences(from: before).joined(separator: ", ")
        }
        print("[cache] \(step): \(outcome.rawValue)\(why), computing \(inputs.key.prefix(12))…")
    }

    func finishStep(step: String, key: String, outcome: CacheOutcome, location: SourceLocation, start: Date,
                    header: CacheEntryHeader, kind: LessonManifest.EntryKind) {
        let use = CacheUse(step: step, key: key, outcome: outcome, location: location, seconds: Date().timeIntervalSince(start),
                           computeSeconds: header.computeSeconds, inputs: header.inputs)
        withLock {
            cacheUses.append(use)
            stepResults.append((step, header.resultSHA256))
            manifestSteps.append(LessonManifest.Step(step: step, kind: kind, inputs: header.inputs))
        }
        if options.echo {
            let detail = outcome == .hit ? "hit (computed in \(TranscriptText.number(header.computeSeconds)) s)"
                : "\(outcome.rawValue), stored in \(TranscriptText.number(use.seconds)) s"
            print("[cache] \(step): \(detail) · \(key.prefix(12))")
        }
    }
}
