import CNN

/// One named tensor of a checkpoint, decoded to Float32 on demand.
///
/// Its bytes stay where the reader found them (a mapped file, an extracted zip record, or a
/// kit `Tensor`); `decode(into:)` converts them, following PyTorch strides when the tensor is a
/// strided view of a larger storage. Readers validate shape, strides and byte ranges before
/// they build a `StoredTensor`, so decoding never reads out of bounds.
public struct StoredTensor: @unchecked Sendable {
    enum Source {
        /// `strides` in elements (nil = contiguous), `offset` in bytes.
        case bytes(ByteBuffer, offset: Int, strides: [Int]?, swapped: Bool)
        case tensor(Tensor)
    }

    /// The state_dict key (`features.0.weight`).
    public let name: String
    /// The element type in the file.
    public let dtype: DType
    /// Dimensions, outermost first ([] for a scalar such as `num_batches_tracked`).
    public let shape: [Int]
    let source: Source

    init(name: String, dtype: DType, shape: [Int], source: Source) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.source = source
    }

    /// A kit tensor to be written as `dtype` (`.f32`, or `.i64` for integer buffers).
    public init(name: String, tensor: Tensor, dtype: DType = .f32) {
        precondition(!tensor.isMeta, "StoredTensor: '\(name)' is a meta tensor and has no values to store")
        self.init(name: name, dtype: dtype, shape: tensor.shape, source: .tensor(tensor))
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// Bytes the elements take in `dtype`.
    public var byteCount: Int { count * dtype.size }

    /// Converts every element to Float32 into `destination` (exactly `count` elements), row-major.
    public func decode(into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(destination.count == count, "StoredTensor.decode: '\(name)' has \(count) elements, destination \(destination.count)")
        switch source {
        case let .tensor(t):
            t.withUnsafeBufferPointer { src in
                for i in 0..<count { destination[i] = dtype.isInteger ? src[i].rounded() : src[i] }
            }
        case let .bytes(buffer, offset, strides, swapped):
            let base = buffer.base + offset
            if let strides, !isContiguous(strides) {
                var i = 0
                forEachStridedOffset(shape: shape, strides: strides) { element in
                    destination[i] = loadElement(base, element, dtype, swapped: swapped)
                    i += 1
                }
            } else if dtype == .f32 && !swapped {
                UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(from: base, byteCount: count * 4)
            } else {
                for i in 0..<count { destination[i] = loadElement(base, i, dtype, swapped: swapped) }
            }
        }
    }

    /// The elements as a new Float32 `Tensor` of `shape`.
    public func tensor() -> Tensor {
        let t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { decode(into: $0) }
        return t
    }

    /// The elements in `dtype`, contiguous and little-endian: what a writer puts in a file.
    public func littleEndianBytes() -> [UInt8] {
        switch source {
        case let .tensor(t):
            return t.withUnsafeBufferPointer { src in
                switch dtype {
                case .f32: return src.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
                case .i64: return src.flatMap { withUnsafeBytes(of: Int64($0.rounded()).littleEndian, Array.init) }
                default: preconditionFailure("StoredTensor: a kit tensor is stored as F32 or I64, not \(dtype)")
                }
            }
        case let .bytes(buffer, offset, strides, swapped):
            let size = dtype.size
            var out = [UInt8](repeating: 0, count: count * size)
            let base = buffer.base + offset
            out.withUnsafeMutableBytes { dst in
                if strides == nil || isContiguous(strides!) {
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: base, count: count * size))
                } else {
                    var i = 0
                    forEachStridedOffset(shape: shape, strides: strides!) { element in
                        (dst.baseAddress! + i * size).copyMemory(from: base + element * size, byteCount: size)
                        i += 1
                    }
                }
                if swapped && size > 1 {
                    for e in 0..<count { dst[e * size..<(e + 1) * size].reverse() }
                }
            }
            return out
        }
    }

    private func isContiguous(_ strides: [Int]) -> Bool {
        var expected = 1
        for (d, s) in zip(shape, strides).reversed() {
            if d != 1 && s != expected { return false }
            expected *= d
        }
        return true
    }
}

/// Calls `body` with the storage element offset of every index of `shape`, in row-major order.
func forEachStridedOffset(shape: [Int], strides: [Int], _ body: (Int) -> Void) {
    if shape.contains(0) { return }
    var index = [Int](repeating: 0, count: shape.count)
    var offset = 0
    while true {
        body(offset)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            offset += strides[d]
            if index[d] < shape[d] { break }
            offset -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// An ordered set of named tensors plus string metadata: what a checkpoint file holds.
///
///     let sd = try readCheckpoint(URL(fileURLWithPath: "resnet18.pth"))
///     sd["fc.weight"]?.shape      // [1000, 512]
public struct StateDict: Sendable {
    /// The tensors, in file order (safetensors: by offset; .pth: the pickled dict's order).
    public var tensors: [StoredTensor]
    /// safetensors `__metadata__` (string to string); empty for .pth.
    public var metadata: [String: String]
    /// Entries the reader skipped and why (non-tensor values in a .pth dict, for instance).
    public var notes: [String]

    public init(tensors: [StoredTensor], metadata: [String: String] = [:], notes: [String] = []) {
        self.tensors = tensors
        self.metadata = metadata
        self.notes = notes
    }

    /// A module's parameters and buffers in `state_dict()` order; integer buffers
    /// (`num_batches_tracked`) are stored as I64, everything else as F32.
    public init(module: Module, metadata: [String: String] = [:]) {
        let integerKeys = Set(module.namedBuffers().filter(\.isInteger).map(\.name))
        tensors = module.stateDict().map {
            StoredTensor(name: $0.name, tensor: $0.tensor, dtype: integerKeys.contains($0.name) ? .i64 : .f32)
        }
        self.metadata = metadata
        notes = []
    }

    /// The keys in order.
    public var keys: [String] { tensors.map(\.name) }

    /// The tensor named `key`, if present.
    public subscript(key: String) -> StoredTensor? { tensors.first { $0.name == key } }

    /// Total bytes of tensor data as stored.
    public var byteCount: Int { tensors.reduce(0) { $0 + $1.byteCount } }
}
