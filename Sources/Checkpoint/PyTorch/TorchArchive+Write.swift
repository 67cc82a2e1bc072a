import Foundation
import ZIPFoundation

extension TorchArchive {
    /// Writes `stateDict` as a `torch.save`-style zip that `torch.load(path, weights_only=True)`
    /// reads into an OrderedDict of tensors (one storage per tensor, dtypes kept).
    /// The archive is built in a temporary file and renamed over `url`.
    public static func write(_ stateDict: StateDict, to url: URL) throws {
        let folder = "archive"
        let pickle = pickleBytes(stateDict)
        var records: [(String, [UInt8])] = [
            ("\(folder)/data.pkl", pickle),
            ("\(folder)/byteorder", Array("little".utf8)),
        ]
        for (i, t) in stateDict.tensors.enumerated() { records.append(("\(folder)/data/\(i)", t.littleEndianBytes())) }
        records.append(("\(folder)/version", Array("3\n".utf8)))

        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try addRecords(records, to: temporary)
            try commitTemporary(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is CheckpointError { throw error }
            throw CheckpointError.io(file: url.path, message: "cannot write the zip archive (\(error))")
        }
    }

    /// Scoped so the archive is closed (flushed) before the rename.
    private static func addRecords(_ records: [(String, [UInt8])], to url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, bytes) in records {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                 modificationDate: Date(timeIntervalSince1970: 315_532_800), compressionMethod: .none) { position, size in
                Data(bytes[Int(position)..<Int(position) + size])
            }
        }
    }

    /// Protocol-2 pickle of `OrderedDict([(name, _rebuild_tensor_v2(storage_i, 0, shape, strides, False, OrderedDict())), ...])`.
    static func pickleBytes(_ stateDict: StateDict) -> [UInt8] {
        var p = PickleWriter()
        p.global("collections", "OrderedDict")
        p.op(")") ; p.op("R")                       // OrderedDict()
        p.op("(")
        for (i, t) in stateDict.tensors.enumerated() {
            p.string(t.name)
            p.global("torch._utils", "_rebuild_tensor_v2")
            p.op("(")
            p.op("(")                               // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            p.string("storage"); p.global("torch", t.dtype.torchStorageName); p.string(String(i)); p.string("cpu"); p.int(t.count)
            p.op("t"); p.op("Q")
            p.int(0)                                // storage_offset
            p.op("("); for d in t.shape { p.int(d) }; p.op("t")
            var strides = [Int](repeating: 1, count: t.shape.count)
            for d in stride(from: t.shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * t.shape[d + 1] }
            p.op("("); for s in strides { p.int(s) }; p.op("t")
            p.out.append(0x89)                      // requires_grad = False
            p.global("collections", "OrderedDict"); p.op(")"); p.op("R")   // backward_hooks
            p.op("t"); p.op("R")
        }
        p.op("u")                                   // SETITEMS
        p.op(".")
        return p.out
    }
}

/// Emits the handful of pickle opcodes the writer needs.
struct PickleWriter {
    var out: [UInt8] = [0x80, 2]   // PROTO 2

    mutating func op(_ c: Character) { out.append(c.asciiValue!) }

    mutating func global(_ module: String, _ name: String) {
        op("c"); out += Array(module.utf8); out.append(0x0A); out += Array(name.utf8); out.append(0x0A)
    }

    mutating func string(_ s: String) {
        let bytes = Array(s.utf8)
        op("X"); withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out += $0 }; out += bytes
    }

    mutating func int(_ n: Int) {
        switch n {
        case 0...0xFF: op("K"); out.append(UInt8(n))
        case 0...0xFFFF: op("M"); withUnsafeBytes(of: UInt16(n).littleEndian) { out += $0 }
        case Int(Int32.min)...Int(Int32.max): op("J"); withUnsafeBytes(of: Int32(n).littleEndian) { out += $0 }
        default: out += [0x8A, 8]; withUnsafeBytes(of: Int64(n).littleEndian) { out += $0 }   // LONG1
        }
    }
}
