// Atomic output: write to a temporary name in the target's directory, then rename(2) over the
// target. rename within one file system is atomic, so a reader (or a rerun after a crash) sees
// the old file or the new one, never a half-written one. Staging and committing are separate
// steps so the tests can simulate a crash between them.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or directory written under a temporary name, not yet visible under its final name.
public struct StagedOutput: Sendable {
    /// The temporary path (`.<name>.tmp-<pid>-<random>` next to the destination).
    public let temporary: URL
    public let destination: URL

    /// Makes the staged output visible under its final name, replacing what was there.
    /// - Throws: `NotebookError.unwritable` naming the destination.
    public func commit() throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let stagedIsDirectory = fm.fileExists(atPath: temporary.path, isDirectory: &isDir) && isDir.boolValue
        if stagedIsDirectory, fm.fileExists(atPath: destination.path) {
            // rename(2) cannot replace a non-empty directory: move the old one aside first, so the
            // destination is briefly absent (a reader sees "no entry", never a mixed one).
            let trash = AtomicFile.temporaryURL(for: destination, tag: "old")
            if rename(destination.path, trash.path) != 0 {
                throw NotebookError.unwritable(path: destination.path, reason: "cannot move the old entry aside: \(String(cString: strerror(errno)))")
            }
            try? fm.removeItem(at: trash)
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw NotebookError.unwritable(path: destination.path, reason: "rename from \(temporary.lastPathComponent) failed: \(reason)")
        }
    }

    /// Deletes the staged output without publishing it.
    public func discard() { try? FileManager.default.removeItem(at: temporary) }
}

/// write(2); named apart because `Data.write` shadows the C function inside closures.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// Atomic file writes.
public enum AtomicFile {
    /// Marker in every temporary name; `ExperimentCache.removeAbandonedTemporaries` looks for it.
    static let marker = ".tmp-"

    static func temporaryURL(for destination: URL, tag: String = "") -> URL {
        let name = ".\(destination.lastPathComponent)\(marker)\(getpid())-\(tag)\(UInt32.random(in: 0...UInt32.max))"
        return destination.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Writes `data` to a temporary file next to `destination` and flushes it to disk; the
    /// destination is untouched until `commit()`. Creates missing parent directories.
    public static func stage(_ data: Data, for destination: URL) throws -> StagedOutput {
        let dir = destination.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw NotebookError.unwritable(path: dir.path, reason: error.localizedDescription)
        }
        let temporary = temporaryURL(for: destination)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw NotebookError.unwritable(path: temporary.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        // fsync before rename: otherwise a power cut can publish the name with empty contents.
        guard ok, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw NotebookError.unwritable(path: destination.path, reason: reason)
        }
        return StagedOutput(temporary: temporary, destination: destination)
    }

    /// Creates an empty temporary directory next to `destination` for the caller to fill.
    public static func stageDirectory(for destination: URL) throws -> StagedOutput {
        let temporary = temporaryURL(for: destination)
        do { try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true) } catch {
            throw NotebookError.unwritable(path: temporary.path, reason: error.localizedDescription)
        }
        return StagedOutput(temporary: temporary, destination: destination)
    }

    /// Writes `data` to `destination` atomically (stage + commit).
    public static func write(_ data: Data, to destination: URL) throws {
        try stage(data, for: destination).commit()
    }
}
