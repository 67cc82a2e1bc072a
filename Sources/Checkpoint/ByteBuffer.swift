import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes that outlive the reader: a memory-mapped file or an owned copy.
///
/// A mapped safetensors file is never copied as a whole: tensors decode straight from the
/// mapping into the model's parameters, so loading a 500 MB VGG costs its Float32 parameters
/// and no second copy. (If another process truncates the file while it is mapped, reading the
/// vanished pages raises SIGBUS; checkpoints are not edited in place, so this is accepted.)
public final class ByteBuffer: @unchecked Sendable {
    /// The first byte (a dangling but never dereferenced pointer when `count` is 0).
    public let base: UnsafeRawPointer
    /// Number of bytes.
    public let count: Int
    private let release: () -> Void

    private init(base: UnsafeRawPointer, count: Int, release: @escaping () -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit { release() }

    /// A private copy of `bytes`.
    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        let n = bytes.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1), alignment: 64)
        let typed = raw.bindMemory(to: UInt8.self, capacity: max(n, 1))
        _ = UnsafeMutableBufferPointer(start: typed, count: n).initialize(from: bytes)
        self.init(base: UnsafeRawPointer(raw), count: n, release: { raw.deallocate() })
    }

    /// Maps `url` read-only into memory (`mmap`, `MAP_PRIVATE`).
    public static func map(_ url: URL) throws -> ByteBuffer {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CheckpointError.io(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CheckpointError.io(file: path, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CheckpointError.io(file: path, message: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 { return ByteBuffer(copying: [UInt8]()) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw CheckpointError.io(file: path, message: "cannot map \(size) bytes: \(String(cString: strerror(errno)))")
        }
        return ByteBuffer(base: UnsafeRawPointer(p), count: size, release: { munmap(p, size) })
    }

    /// The bytes `range` as an array (for headers and small records).
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteBuffer.bytes: \(range) outside 0..<\(count)")
        return Array(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }
}

/// Writes `body`'s output to a temporary file beside `url`, then renames it over `url`, so a
/// reader never sees a half-written checkpoint and a failed write leaves the old file intact.
func writeAtomically(to url: URL, _ body: (FileHandle) throws -> Void) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw CheckpointError.io(file: url.path, message: "cannot create a temporary file in \(directory.path)")
    }
    do {
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        try commitTemporary(temporary, to: url)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        if error is CheckpointError { throw error }
        throw CheckpointError.io(file: url.path, message: "write failed: \(error)")
    }
}

/// `rename(2)`: atomic on one file system, replacing any existing file.
func commitTemporary(_ temporary: URL, to url: URL) throws {
    guard rename(temporary.path, url.path) == 0 else {
        throw CheckpointError.io(file: url.path, message: "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
    }
}
