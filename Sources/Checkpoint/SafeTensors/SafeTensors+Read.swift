import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of
/// JSON, then the tensor data. The JSON maps each name to
/// `{"dtype": "F32", "shape": [64, 3, 7, 7], "data_offsets": [begin, end]}` (offsets relative to
/// the end of the header) plus an optional `"__metadata__"` map of strings. The data section
/// is covered exactly: no overlaps, no holes (the spec's rule against polyglot files).
/// Sources/Checkpoint/README.md documents the details the kit checks.
public enum SafeTensors {
    /// The largest header the reader accepts (the reference implementation's limit).
    public static let maximumHeaderBytes = 100_000_000

    /// Reads a safetensors file through a memory mapping: tensors decode from the mapped pages
    /// on demand, so a large file is never copied whole.
    public static func read(contentsOf url: URL) throws -> StateDict {
        try parse(ByteBuffer.map(url), file: url.path)
    }

    /// Reads safetensors bytes held in memory (`file` names them in errors).
    public static func read(bytes: [UInt8], file: String = "<memory>") throws -> StateDict {
        try parse(ByteBuffer(copying: bytes), file: file)
    }

    static func parse(_ buffer: ByteBuffer, file: String) throws -> StateDict {
        guard buffer.count >= 8 else {
            throw CheckpointError.truncated(file: file, message: "\(buffer.count) bytes, shorter than the 8-byte header length")
        }
        let declared = UInt64(littleEndian: buffer.base.loadUnaligned(as: UInt64.self))
        let available = buffer.count - 8
        guard declared <= UInt64(available) else {
            throw CheckpointError.truncated(file: file, message: "header length \(declared) is larger than the \(available) bytes after it")
        }
        let headerLength = Int(declared)
        guard headerLength <= maximumHeaderBytes else {
            throw CheckpointError.invalidHeader(file: file, message: "header of \(headerLength) bytes exceeds the \(maximumHeaderBytes)-byte limit")
        }
        guard headerLength >= 2, buffer.base.load(fromByteOffset: 8, as: UInt8.self) == UInt8(ascii: "{") else {
            throw CheckpointError.invalidHeader(file: file, message: "the header does not start with '{' (not a safetensors file?)")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(buffer.bytes(8..<8 + headerLength)))
        } catch {
            throw CheckpointError.invalidHeader(file: file, message: "the header is not valid JSON (\(error.localizedDescription))")
        }
        guard let object = json as? [String: Any] else {
            throw CheckpointError.invalidHeader(file: file, message: "the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataSize = buffer.count - dataStart

        var metadata: [String: String] = [:]
        var entries: [(begin: Int, end: Int, tensor: StoredTensor)] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any], let strings = m as? [String: String], strings.count == m.count else {
                    throw CheckpointError.invalidHeader(file: file, message: "__metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            guard let info = value as? [String: Any] else {
                throw CheckpointError.invalidHeader(file: file, message: "entry '\(name)' is not an object")
            }
            guard let dtypeName = info["dtype"] as? String else {
                throw CheckpointError.invalidHeader(file: file, message: "entry '\(name)' has no string \"dtype\"")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw CheckpointError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
            }
            let shape = try integers(info["shape"], "shape", name, file)
            let offsets = try integers(info["data_offsets"], "data_offsets", name, file)
            guard offsets.count == 2 else {
                throw CheckpointError.invalidHeader(file: file, message: "entry '\(name)': data_offsets must be [begin, end], got \(offsets)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= dataSize else {
                throw CheckpointError.layout(file: file, message: "tensor '\(name)': data_offsets [\(begin), \(end)] out of range of the \(dataSize)-byte data section")
            }
            let needed = try byteCount(shape: shape, dtype: dtype, name: name, file: file)
            guard needed == end - begin else {
                throw CheckpointError.byteCountMismatch(file: file, tensor: name, expected: needed, actual: end - begin)
            }
            let tensor = StoredTensor(name: name, dtype: dtype, shape: shape,
                                      source: .bytes(buffer, offset: dataStart + begin, strides: nil, swapped: false))
            entries.append((begin, end, tensor))
        }

        // Exact coverage: sorted by offset, each tensor starts where the previous one ended.
        entries.sort { ($0.begin, $0.end, $0.tensor.name) < ($1.begin, $1.end, $1.tensor.name) }
        var position = 0
        var previous = "the start of the data"
        for e in entries {
            if e.begin < position {
                throw CheckpointError.layout(file: file, message: "tensors \(previous) and '\(e.tensor.name)' overlap (byte \(e.begin) < \(position))")
            }
            if e.begin > position {
                throw CheckpointError.layout(file: file, message: "bytes \(position)..<\(e.begin) between \(previous) and '\(e.tensor.name)' belong to no tensor")
            }
            position = e.end
            previous = "'\(e.tensor.name)'"
        }
        guard position == dataSize else {
            throw CheckpointError.layout(file: file, message: "bytes \(position)..<\(dataSize) at the end of the data belong to no tensor")
        }
        return StateDict(tensors: entries.map(\.tensor), metadata: metadata)
    }

    /// Non-negative integers from a JSON array (NSNumber values that are exact integers).
    private static func integers(_ value: Any?, _ field: String, _ name: String, _ file: String) throws -> [Int] {
        guard let array = value as? [Any] else {
            throw CheckpointError.invalidHeader(file: file, message: "entry '\(name)': \"\(field)\" is not an array")
        }
        return try array.map { element in
            guard let number = element as? NSNumber,
                  let n = Int(exactly: number.doubleValue), n >= 0, Double(n) == number.doubleValue,
                  number.int64Value == Int64(n) else {
                throw CheckpointError.invalidHeader(file: file, message: "entry '\(name)': \"\(field)\" holds \(element), not a non-negative integer")
            }
            return n
        }
    }
}

/// Elements × element size, checked for overflow.
func byteCount(shape: [Int], dtype: DType, name: String, file: String) throws -> Int {
    var total = dtype.size
    for d in shape {
        let (product, overflow) = total.multipliedReportingOverflow(by: d)
        guard !overflow, d >= 0 else {
            throw CheckpointError.invalidHeader(file: file, message: "tensor '\(name)': shape \(shape) is too large")
        }
        total = product
    }
    return total
}
