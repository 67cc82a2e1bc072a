import Foundation

extension SafeTensors {
    /// The file's bytes: header length, JSON header (tensors in `stateDict` order, offsets
    /// contiguous from 0, padded with spaces so the data starts 8-byte aligned), then the data.
    /// Floats keep their dtype (a kit model writes F32, and I64 for `num_batches_tracked`).
    public static func encode(_ stateDict: StateDict) -> [UInt8] {
        let header = headerBytes(stateDict)
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + stateDict.byteCount)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out += header
        for t in stateDict.tensors { out += t.littleEndianBytes() }
        return out
    }

    /// Writes `stateDict` to `url` atomically (temporary file, then rename), one tensor at a time.
    public static func write(_ stateDict: StateDict, to url: URL) throws {
        let names = stateDict.keys
        if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw CheckpointError.invalidHeader(file: url.path, message: "tensor name '\(duplicate)' appears twice")
        }
        if names.contains("__metadata__") {
            throw CheckpointError.invalidHeader(file: url.path, message: "'__metadata__' is reserved and cannot name a tensor")
        }
        let header = headerBytes(stateDict)
        try writeAtomically(to: url) { handle in
            var prefix = [UInt8]()
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { prefix.append(contentsOf: $0) }
            try handle.write(contentsOf: prefix + header)
            for t in stateDict.tensors { try handle.write(contentsOf: t.littleEndianBytes()) }
        }
    }

    static func headerBytes(_ stateDict: StateDict) -> [UInt8] {
        var fields: [String] = []
        if !stateDict.metadata.isEmpty {
            let pairs = stateDict.metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for t in stateDict.tensors {
            let end = offset + t.byteCount
            let shape = t.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        while (8 + header.count) % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return header
    }
}

/// A JSON string literal for `s` (RFC 8259 escaping).
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
