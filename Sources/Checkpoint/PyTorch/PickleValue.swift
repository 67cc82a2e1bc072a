/// A value on the unpickler's stack. Containers live in the machine's heap and are referred to
/// by index, so no Swift value nests inside another: a hostile pickle that builds a chain of a
/// million nested lists (or a list that contains itself) cannot overflow the stack when it is
/// walked or freed. Depth is checked where the result is walked.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// A class or function named by GLOBAL/STACK_GLOBAL, already checked against the allowed set.
    case global(AllowedGlobal)
    /// A storage class (`torch.FloatStorage`) named by a GLOBAL, used inside persistent ids.
    case storageClass(DType)
    /// A container or rebuilt object in the heap.
    case object(Int)

    var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case let .global(g): return g.rawValue
        case let .storageClass(d): return "torch.\(d.torchStorageName)"
        case .object: return "object"
        }
    }
}

/// The only globals a state_dict pickle needs, in the spirit of `torch.load(weights_only=True)`.
/// Anything else (`posix.system`, `builtins.eval`, `subprocess.Popen`, ...) is rejected by name
/// when the GLOBAL opcode is read, before anything could be called.
enum AllowedGlobal: String {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensorV2 = "torch._utils._rebuild_tensor_v2"
    case rebuildParameter = "torch._utils._rebuild_parameter"
    case rebuildParameterWithState = "torch._utils._rebuild_parameter_with_state"
    case rebuildFromTypeV2 = "torch._tensor._rebuild_from_type_v2"
    case parameter = "torch.nn.parameter.Parameter"
    case tensor = "torch.Tensor"
}

/// One heap object.
enum PickleObject {
    case list([PickleValue])
    case tuple([PickleValue])
    /// Insertion-ordered; string keys are unique (a later SETITEM replaces the value).
    case dict(PickleDict)
    /// A storage from a persistent id: the zip record `data/<key>` holding `count` elements.
    case storage(key: String, dtype: DType, count: Int)
    /// A tensor view of a storage, from `_rebuild_tensor_v2`.
    case tensor(TensorRecord)
}

struct PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []
    var stringIndex: [String: Int] = [:]
    var isOrdered = false

    mutating func set(_ key: PickleValue, _ value: PickleValue) {
        if case let .string(s) = key {
            if let i = stringIndex[s] { entries[i].value = value; return }
            stringIndex[s] = entries.count
        }
        entries.append((key, value))
    }
}

/// What `_rebuild_tensor_v2(storage, storage_offset, size, stride, ...)` describes.
struct TensorRecord {
    var storage: Int          // heap index of a `.storage`
    var storageOffset: Int    // in elements
    var shape: [Int]
    var strides: [Int]
}
