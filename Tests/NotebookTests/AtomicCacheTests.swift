import Foundation
import Notebook
import Testing

@Suite("Atomic writes and corrupt entries")
struct AtomicCacheTests {
    static func header(_ key: String) -> CacheEntryHeader {
        CacheEntryHeader(key: key, lesson: "l", step: "s", createdAt: Date(timeIntervalSince1970: 0), computeSeconds: 1,
                         valueType: "[Int]", resultSHA256: "",
                         inputs: CacheKeyInputs(lesson: "l", step: "s", version: 1, mode: .quick, seed: 0, parameters: [],
                                                lessonCodeSHA256: "", stepCodeSHA256: "", engineModules: [], engineSHA256: "",
                                                dataFiles: [], upstream: []))
    }

    @Test func crashBetweenTempWriteAndRenameLeavesNoEntry() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let cache = ExperimentCache(directory: pkg.outputRoot.appendingPathComponent("cache"))
        let key = String(repeating: "ab", count: 32)
        let (staged, _) = try cache.stage([1, 2, 3], header: Self.header(key))
        // "Crash": the process never reaches commit(). The data is on disk under the temporary name only.
        #expect(FileManager.default.fileExists(atPath: staged.temporary.path))
        #expect(!FileManager.default.fileExists(atPath: cache.fileURL(key: key).path))
        guard case .missing = cache.lookup(key: key, as: [Int].self) else { Issue.record("a staged entry is visible"); return }
        // A later run removes temporaries of dead processes; rename the file as a dead pid would have named it.
        let orphan = staged.temporary.deletingLastPathComponent().appendingPathComponent(".\(key).json.tmp-2147483646-1")
        try FileManager.default.moveItem(at: staged.temporary, to: orphan)
        #expect(cache.removeAbandonedTemporaries().map(\.lastPathComponent) == [orphan.lastPathComponent])
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        // Committing publishes the whole file at once.
        let (staged2, _) = try cache.stage([4, 5], header: Self.header(key))
        try staged2.commit()
        guard case let .hit(value, _) = cache.lookup(key: key, as: [Int].self) else { Issue.record("no entry after commit"); return }
        #expect(value == [4, 5])
    }

    @Test func failingComputationLeavesNoEntry() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        struct Interrupted: Error {}
        let line = try pkg.line(of: "nb.cached(\"train\"")
        let nb = try pkg.notebook()
        #expect(throws: Interrupted.self) {
            _ = try nb.cached("train", fileID: "l99_test/main.swift", line: line) { () -> Int in throw Interrupted() }
        }
        #expect(throws: Interrupted.self) {
            _ = try nb.cachedDirectory("dir", fileID: "l99_test/main.swift", line: line) { folders in
                try Data([1]).write(to: folders.output.appendingPathComponent("half.bin"))
                try Data([7]).write(to: folders.scratch.appendingPathComponent("checkpoint.bin"))
                throw Interrupted()
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: nb.cache.directory.path)
        // Only the scratch folder (checkpoints to resume from) survives; no entry, no temporary.
        #expect(names.count == 1 && names[0].hasSuffix(".work"))
        var resumedFrom: [UInt8] = []
        let url = try nb.cachedDirectory("dir", fileID: "l99_test/main.swift", line: line) { folders in
            resumedFrom = Array(try Data(contentsOf: folders.scratch.appendingPathComponent("checkpoint.bin")))
            try Data([1, 2]).write(to: folders.output.appendingPathComponent("weights.bin"))
        }
        #expect(resumedFrom == [7])
        #expect(try Data(contentsOf: url.appendingPathComponent("weights.bin")) == Data([1, 2]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: nb.cache.directory.path).sorted() == [url.lastPathComponent])
    }

    @Test func corruptEntryIsReportedAndRecomputed() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        let entry = pkg.outputRoot.appendingPathComponent("cache/\(first.use.key).json")
        try Data("{\"header\": {\"key\": ".utf8).write(to: entry)    // truncated JSON
        let nb = try pkg.notebook()
        let recovered = try runTrain(pkg, nb)
        #expect(recovered.computed && recovered.use.outcome == .corrupt)
        #expect(nb.transcript.problems.count == 1 && nb.transcript.problems[0].contains(entry.path))
        let healed = try runTrain(pkg, try pkg.notebook())
        #expect(!healed.computed && healed.use.outcome == .hit)

        // An entry of the wrong type (the step now returns something else) is not silently misread.
        let nb2 = try pkg.notebook()
        var computed = false
        _ = try nb2.cached("train", 0.1, 3, fileID: "l99_test/main.swift", line: try pkg.line(of: "nb.cached(\"train\"")) { () -> String in
            computed = true; return "text"
        }
        #expect(computed && nb2.transcript.cache[0].outcome == .corrupt)
    }

    @Test func corruptDirectoryEntryIsRecomputed() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let line = try pkg.line(of: "nb.cached(\"train\"")
        let url = try pkg.notebook().cachedDirectory("dir", fileID: "l99_test/main.swift", line: line) { folders in
            try Data([1]).write(to: folders.output.appendingPathComponent("w.bin"))
        }
        try FileManager.default.removeItem(at: url.appendingPathComponent(ExperimentCache.directoryHeaderName))
        let nb = try pkg.notebook()
        var filled = false
        let again = try nb.cachedDirectory("dir", fileID: "l99_test/main.swift", line: line) { folders in
            filled = true
            try Data([2]).write(to: folders.output.appendingPathComponent("w.bin"))
        }
        #expect(filled && again == url && nb.transcript.cache[0].outcome == .corrupt)
        #expect(try Data(contentsOf: url.appendingPathComponent("w.bin")) == Data([2]))
    }

    @Test func atomicWriteReplacesWholeFiles() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let url = pkg.outputRoot.appendingPathComponent("deep/dir/file.txt")
        try AtomicFile.write(Data("one".utf8), to: url)
        try AtomicFile.write(Data("two".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["file.txt"])
    }
}
