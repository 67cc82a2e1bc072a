import Foundation
import ZIPFoundation

/// PyTorch's `torch.save` zip format (PyTorch ≥ 1.6): an uncompressed zip whose records share
/// one top-level folder, `<name>/data.pkl` (the pickled object), `<name>/data/<key>` (one raw
/// little-endian record per storage), `<name>/byteorder` and `<name>/version`.
/// The reader runs `data.pkl` through the restricted `PickleMachine`, so a file can describe
/// tensors but never run code. Sources/Checkpoint/README.md documents the details.
public enum TorchArchive {
    /// The largest `data.pkl` the reader accepts (a ResNet-152 state_dict pickle is ~60 KB).
    public static let maximumPickleBytes = 64 << 20

    /// Reads the state_dict in a `.pth`/`.pt` file written by `torch.save`.
    public static func read(contentsOf url: URL) throws -> StateDict {
        let head = try ByteBuffer.map(url)
        try checkMagic(head.bytes(0..<min(4, head.count)), file: url.path)
        try ZipPreflight.check(UnsafeRawBufferPointer(start: head.base, count: head.count), file: url.path)
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw CheckpointError.invalidArchive(file: url.path, message: "cannot read the zip directory (\(error))")
        }
        return try read(archive, file: url.path)
    }

    /// Reads `.pth` bytes held in memory (`file` names them in errors).
    ///
    /// The bytes go through a temporary file: ZIPFoundation's in-memory archive traps on some
    /// malformed archives (found by the fuzz test), its file-backed reader throws instead.
    public static func read(bytes: [UInt8], file: String = "<memory>") throws -> StateDict {
        try checkMagic(Array(bytes.prefix(4)), file: file)
        try bytes.withUnsafeBytes { try ZipPreflight.check($0, file: file) }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(getpid())-\(UUID().uuidString).pth")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw CheckpointError.io(file: file, message: "cannot stage the bytes in \(temporary.path)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let archive: Archive
        do { archive = try Archive(url: temporary, accessMode: .read) } catch {
            throw CheckpointError.invalidArchive(file: file, message: "cannot read the zip directory (\(error))")
        }
        return try read(archive, file: file)
    }

    static func checkMagic(_ head: [UInt8], file: String) throws {
        if head.starts(with: [0x50, 0x4B]) { return }
        if head.first == 0x80 {
            throw CheckpointError.unknownFormat(file: file, message: "legacy (PyTorch < 1.6) torch.save format is not supported; re-save it with a recent PyTorch")
        }
        throw CheckpointError.unknownFormat(file: file, message: "not a zip archive (a .pth from torch.save starts with 'PK')")
    }

    static func read(_ archive: Archive, file: String) throws -> StateDict {
        let entries = Array(archive)
        let pickles = entries.filter { e in
            let parts = e.path.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1] == "data.pkl" && !parts[0].isEmpty
        }
        guard let pickle = pickles.first else {
            throw CheckpointError.invalidArchive(file: file, message: "no '<name>/data.pkl' record among \(entries.count) entries")
        }
        guard pickles.count == 1 else {
            throw CheckpointError.invalidArchive(file: file, message: "\(pickles.count) data.pkl records; expected one")
        }
        let prefix = String(pickle.path.dropLast("data.pkl".count))
        var swapped = false
        if let order = archive[prefix + "byteorder"] {
            let text = String(decoding: try extract(order, from: archive, limit: 16, file: file), as: UTF8.self)
            switch text.trimmingCharacters(in: .whitespacesAndNewlines) {
            case "little": swapped = false
            case "big": swapped = true
            default: throw CheckpointError.invalidArchive(file: file, message: "byteorder record says '\(text.prefix(16))'")
            }
        }

        var machine = PickleMachine(bytes: try extract(pickle, from: archive, limit: maximumPickleBytes, file: file), file: file)
        let root = try machine.run()
        let (records, notes) = try collectTensors(root, in: machine)

        var storages: [Int: ByteBuffer] = [:]
        var tensors: [StoredTensor] = []
        for (name, record) in records {
            guard case let .storage(key, dtype, count) = machine.heap[record.storage] else { continue }
            if storages[record.storage] == nil {
                let path = prefix + "data/" + key
                guard let entry = archive[path] else {
                    throw CheckpointError.invalidArchive(file: file, message: "storage record '\(path)' for tensor '\(name)' is missing")
                }
                let expected = count * dtype.size
                guard entry.uncompressedSize == UInt64(expected) else {
                    throw CheckpointError.byteCountMismatch(file: file, tensor: "\(name) (storage \(key), \(count) × \(dtype.torchName))",
                                                            expected: expected, actual: Int(clamping: entry.uncompressedSize))
                }
                storages[record.storage] = ByteBuffer(copying: try extract(entry, from: archive, limit: expected, file: file))
            }
            tensors.append(StoredTensor(name: name, dtype: dtype, shape: record.shape,
                                        source: .bytes(storages[record.storage]!, offset: record.storageOffset * dtype.size,
                                                       strides: record.strides, swapped: swapped)))
        }
        return StateDict(tensors: tensors, notes: notes)
    }

    /// A record's bytes, refusing more than `limit` and checking the CRC-32.
    static func extract(_ entry: Entry, from archive: Archive, limit: Int, file: String) throws -> [UInt8] {
        guard entry.type == .file else {
            throw CheckpointError.invalidArchive(file: file, message: "'\(entry.path)' is not a file record")
        }
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw CheckpointError.invalidArchive(file: file, message: "'\(entry.path)' is \(entry.uncompressedSize) bytes, more than the \(limit) allowed")
        }
        var out = [UInt8]()
        out.reserveCapacity(Int(entry.uncompressedSize))
        do {
            let crc = try archive.extract(entry) { chunk in
                guard out.count + chunk.count <= limit else {
                    throw CheckpointError.invalidArchive(file: file, message: "'\(entry.path)' inflates past its declared size")
                }
                out += chunk
            }
            guard crc == entry.checksum else {
                throw CheckpointError.invalidArchive(file: file, message: "'\(entry.path)' fails its CRC-32 check (corrupted)")
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError.invalidArchive(file: file, message: "cannot extract '\(entry.path)' (\(error))")
        }
        guard out.count == Int(entry.uncompressedSize) else {
            throw CheckpointError.truncated(file: file, message: "'\(entry.path)' gave \(out.count) of its \(entry.uncompressedSize) bytes")
        }
        return out
    }

    /// The (key, tensor) pairs of the unpickled object: a dict of tensors, or the
    /// `state_dict`/`model_state_dict`/`model` entry of a training checkpoint dict. Nested
    /// dicts flatten to dotted keys; other values are skipped with a note.
    static func collectTensors(_ root: PickleValue, in machine: PickleMachine) throws -> ([(String, TensorRecord)], [String]) {
        guard case let .object(r) = root, case var .dict(dict) = machine.heap[r] else {
            throw machine.fail("the pickled object is a \(root.kindName), not a dict of tensors")
        }
        var notes: [String] = []
        for wrapper in ["state_dict", "model_state_dict", "model"] {
            if let i = dict.stringIndex[wrapper], case let .object(o) = dict.entries[i].value, case let .dict(inner) = machine.heap[o] {
                notes.append("using the '\(wrapper)' entry of a checkpoint dict with keys \(dict.entries.compactMap { if case let .string(s) = $0.key { s } else { nil } })")
                dict = inner
                break
            }
        }
        var found: [(String, TensorRecord)] = []
        func walk(_ d: PickleDict, prefix: String, depth: Int) throws {
            guard depth <= PickleMachine.maximumDepth else {
                throw CheckpointError.tooDeep(file: machine.file, offset: 0, limit: PickleMachine.maximumDepth)
            }
            for (k, v) in d.entries {
                guard case let .string(key) = k else { notes.append("skipped a non-string key (\(k.kindName))"); continue }
                let name = prefix + key
                if case let .object(o) = v {
                    switch machine.heap[o] {
                    case let .tensor(t): found.append((name, t)); continue
                    case let .dict(inner): try walk(inner, prefix: name + ".", depth: depth + 1); continue
                    default: break
                    }
                }
                notes.append("skipped '\(name)' (\(v.kindName), not a tensor)")
            }
        }
        try walk(dict, prefix: "", depth: 1)
        return (found, notes)
    }

    /// Runs the restricted unpickler alone on `data.pkl` bytes and returns each tensor's key
    /// and shape. For the fuzz tests only.
    package static func _unpickleForTesting(_ bytes: [UInt8]) throws -> [(name: String, shape: [Int])] {
        var machine = PickleMachine(bytes: bytes, file: "<pickle>")
        let root = try machine.run()
        return try collectTensors(root, in: machine).0.map { ($0.0, $0.1.shape) }
    }
}
