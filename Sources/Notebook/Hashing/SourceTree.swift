// Digests of source trees: the lesson's files and the engine's modules. Swift files are hashed by
// their code (comments and layout stripped, see SwiftCodeLexer.swift) so documentation edits in
// the engine or prose edits in a lesson never invalidate an experiment; other files by their bytes.
import Foundation

/// Locating the package and hashing directories of sources.
public enum SourceTree {
    /// The first directory at or above `start` that holds a Package.swift, or nil.
    public static func packageRoot(startingAt start: URL) -> URL? {
        var dir = start.standardizedFileURL
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir.path, isDirectory: &isDir), !isDir.boolValue { dir.deleteLastPathComponent() }
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// Regular files under `directory`, recursively, as paths relative to it, sorted; hidden
    /// files and directories (`.build`, `.DS_Store`) are skipped.
    /// - Throws: `NotebookError.unreadable` if the directory cannot be listed.
    public static func files(in directory: URL) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw NotebookError.unreadable(path: directory.path, reason: "no such directory")
        }
        guard let enumerator = fm.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey],
                                             options: [.skipsHiddenFiles]) else {
            throw NotebookError.unreadable(path: directory.path, reason: "cannot list the directory")
        }
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var result: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            result.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent)
        }
        return result.sorted()
    }

    /// The code digest of one file: SHA-256 of its normalized code if it is Swift, of its bytes otherwise.
    public static func codeDigest(of url: URL) throws -> String {
        guard url.pathExtension == "swift" else { return try SHA256.hex(ofFile: url) }
        return SHA256.hex(of: SwiftCode(try readText(url)).normalized())
    }

    /// One digest for a set of directories (or single files): SHA-256 over "name/relative-path
    /// <tab> code digest" lines, so renaming or moving a file also changes it. A missing
    /// directory contributes a line saying so instead of failing: a module that does not exist
    /// yet is a legitimate state of the package, and creating it later changes the digest.
    public static func digest(of roots: [URL], names: [String]) throws -> String {
        precondition(roots.count == names.count, "SourceTree.digest: \(roots.count) roots but \(names.count) names")
        var h = SHA256()
        for (root, name) in zip(roots, names) {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir) {
                h.update("\(name)\tabsent\n")
            } else if !isDir.boolValue {
                h.update("\(name)\t\(try codeDigest(of: root))\n")
            } else {
                for path in try files(in: root) {
                    h.update("\(name)/\(path)\t\(try codeDigest(of: root.appendingPathComponent(path)))\n")
                }
            }
        }
        return h.finalizeHex()
    }

    static func readText(_ url: URL) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw NotebookError.unreadable(path: url.path, reason: "not readable as UTF-8 text (\(error.localizedDescription))")
        }
    }
}

/// The code of one lesson: its Swift files, lexed once, with the cached calls located.
public struct LessonCode: Sendable {
    /// One Swift file of the lesson.
    public struct File: Sendable {
        /// Path relative to the lesson directory (`main.swift`, `Helpers/Plot.swift`).
        public var path: String
        public var text: String
        public var code: SwiftCode
        public var calls: [SwiftCode.CachedCall]
    }

    public var directory: URL
    /// main.swift first, then the other Swift files by path.
    public var files: [File]
    /// Digest of every non-Swift file in the lesson directory (resources the lesson reads).
    public var resourcesSHA256: String

    /// Reads every file under `directory`.
    /// - Throws: `NotebookError.unreadable` or `.sourcesNotFound` when there is no Swift file.
    public init(directory: URL) throws {
        self.directory = directory
        let all = try SourceTree.files(in: directory)
        let swift = all.filter { $0.hasSuffix(".swift") }.sorted { a, b in
            a == "main.swift" ? b != "main.swift" : (b == "main.swift" ? false : a < b)
        }
        guard !swift.isEmpty else {
            throw NotebookError.sourcesNotFound(searched: directory.path, hint: "a lesson directory holds main.swift")
        }
        files = try swift.map { path in
            let text = try SourceTree.readText(directory.appendingPathComponent(path))
            let code = SwiftCode(text)
            return File(path: path, text: text, code: code, calls: code.cachedCalls())
        }
        var h = SHA256()
        for path in all where !path.hasSuffix(".swift") {
            h.update("\(path)\t\(try SHA256.hex(ofFile: directory.appendingPathComponent(path)))\n")
        }
        resourcesSHA256 = h.finalizeHex()
    }

    /// Digest of all the lesson's code (comments, prose and `//>` lines stripped) plus its
    /// resources: when it changes, the lesson's uncached outputs may change.
    public var wholeCodeSHA256: String {
        var h = SHA256()
        for f in files { h.update("\(f.path)\n\(f.code.normalized())\n") }
        h.update(resourcesSHA256)
        return h.finalizeHex()
    }

    /// Digest of the code outside every cached call: the part every cached step depends on.
    public var sharedCodeSHA256: String {
        var h = SHA256()
        for f in files { h.update("\(f.path)\n\(f.code.codeOutsideCachedCalls())\n") }
        h.update(resourcesSHA256)
        return h.finalizeHex()
    }

    /// Digests of every cached call's own code, all files.
    public var callSHA256s: Set<String> {
        Set(files.flatMap { f in f.calls.map { SHA256.hex(of: $0.code) } })
    }

    /// The digest of the cached call at `fileName:line`. A call that cannot be located (the
    /// notebook called through a wrapper in another module, say) gets the digest of the whole
    /// lesson code instead: it then reruns on any code edit, never too rarely.
    public func callSHA256(fileName: String, line: Int) -> String {
        if let file = files.first(where: { $0.path == fileName || ($0.path as NSString).lastPathComponent == fileName }),
           let call = file.calls.first(where: { $0.lines.contains(line) }) {
            return SHA256.hex(of: call.code)
        }
        return wholeCodeSHA256
    }
}
