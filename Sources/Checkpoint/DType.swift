/// The element types a checkpoint can store, spelled as safetensors spells them.
///
/// Every dtype converts to Float32 when loaded into the kit: F16/BF16 exactly, F64 and the
/// integers by rounding to the nearest Float32 (exact for |n| < 2²⁴, so for `num_batches_tracked`).
/// Storage is little-endian unless a PyTorch archive declares `byteorder = big`.
public enum DType: String, CaseIterable, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// True for the integer and boolean types (kept as int64 when the kit writes them back).
    public var isInteger: Bool {
        switch self {
        case .f64, .f32, .f16, .bf16: return false
        default: return true
        }
    }

    /// PyTorch's legacy storage class for this dtype (`torch.FloatStorage`), as pickled in .pth files.
    public var torchStorageName: String {
        switch self {
        case .f64: return "DoubleStorage"
        case .f32: return "FloatStorage"
        case .f16: return "HalfStorage"
        case .bf16: return "BFloat16Storage"
        case .i64: return "LongStorage"
        case .i32: return "IntStorage"
        case .i16: return "ShortStorage"
        case .i8: return "CharStorage"
        case .u8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    /// The dtype of a `torch.<Name>Storage` class name, if it is one the kit reads.
    public init?(torchStorageName name: String) {
        guard let d = DType.allCases.first(where: { $0.torchStorageName == name }) else { return nil }
        self = d
    }

    /// PyTorch's name (`torch.float32`), for reports.
    public var torchName: String {
        switch self {
        case .f64: return "float64"
        case .f32: return "float32"
        case .f16: return "float16"
        case .bf16: return "bfloat16"
        case .i64: return "int64"
        case .i32: return "int32"
        case .i16: return "int16"
        case .i8: return "int8"
        case .u8: return "uint8"
        case .bool: return "bool"
        }
    }
}

// MARK: - Element conversion

/// IEEE 754 binary16 → binary32, exactly (subnormals, infinities and NaN included).
@inline(__always)
func floatFromHalf(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = Int((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    switch exponent {
    case 0:
        // Subnormal (or zero): mantissa · 2⁻²⁴, exact in Float32.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign != 0 ? -magnitude : magnitude
    case 31:
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
        return Float(bitPattern: sign | (UInt32(exponent - 15 + 127) << 23) | (mantissa << 13))
    }
}

/// bfloat16 is the top half of a binary32.
@inline(__always)
func floatFromBFloat16(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

/// Reads element `index` of `dtype` at `base` as a Float. `swapped` is true for big-endian data.
@inline(__always)
func loadElement(_ base: UnsafeRawPointer, _ index: Int, _ dtype: DType, swapped: Bool) -> Float {
    switch dtype {
    case .f32:
        let bits = base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
        return Float(bitPattern: swapped ? bits.byteSwapped : UInt32(littleEndian: bits))
    case .f64:
        let bits = base.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
        return Float(Double(bitPattern: swapped ? bits.byteSwapped : UInt64(littleEndian: bits)))
    case .f16:
        let bits = base.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
        return floatFromHalf(swapped ? bits.byteSwapped : UInt16(littleEndian: bits))
    case .bf16:
        let bits = base.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
        return floatFromBFloat16(swapped ? bits.byteSwapped : UInt16(littleEndian: bits))
    case .i64:
        let bits = base.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
        return Float(Int64(bitPattern: swapped ? bits.byteSwapped : UInt64(littleEndian: bits)))
    case .i32:
        let bits = base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
        return Float(Int32(bitPattern: swapped ? bits.byteSwapped : UInt32(littleEndian: bits)))
    case .i16:
        let bits = base.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
        return Float(Int16(bitPattern: swapped ? bits.byteSwapped : UInt16(littleEndian: bits)))
    case .i8:
        return Float(base.load(fromByteOffset: index, as: Int8.self))
    case .u8:
        return Float(base.load(fromByteOffset: index, as: UInt8.self))
    case .bool:
        return base.load(fromByteOffset: index, as: UInt8.self) != 0 ? 1 : 0
    }
}
