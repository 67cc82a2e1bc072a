// The parts of the unpickler that give meaning to values: which globals exist, what calling
// them builds, persistent ids, and container mutation. Everything not listed here is an error.

extension PickleMachine {
    /// Maps a GLOBAL's module and name to an allowed value, or throws naming it.
    func resolveGlobal(module: String, name: String) throws -> PickleValue {
        if module == "torch", let dtype = DType(torchStorageName: name) { return .storageClass(dtype) }
        if let g = AllowedGlobal(rawValue: "\(module).\(name)") { return .global(g) }
        let shown = "\(module).\(name)".unicodeScalars.prefix(200).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        throw CheckpointError.forbiddenGlobal(file: file, offset: opcodeStart, global: shown)
    }

    func tupleItems(_ value: PickleValue, _ what: String) throws -> [PickleValue] {
        guard case let .object(i) = value, case let .tuple(items) = heap[i] else {
            throw fail("\(what) must be a tuple, got \(value.kindName)")
        }
        return items
    }

    func integer(_ value: PickleValue, _ what: String) throws -> Int {
        guard case let .int(n) = value, let i = Int(exactly: n) else { throw fail("\(what) must be an int, got \(value.kindName)") }
        return i
    }

    /// REDUCE/NEWOBJ: only the allowed callables, with the argument shapes PyTorch writes.
    mutating func call(_ callable: PickleValue, arguments args: [PickleValue]) throws -> PickleValue {
        guard case let .global(g) = callable else { throw fail("cannot call a \(callable.kindName)") }
        switch g {
        case .orderedDict:
            guard args.isEmpty else { throw fail("OrderedDict(...) with arguments is not supported") }
            var d = PickleDict()
            d.isOrdered = true
            return try allocate(.dict(d))
        case .rebuildTensorV2:
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            guard args.count >= 4 else { throw fail("_rebuild_tensor_v2 needs at least 4 arguments, got \(args.count)") }
            return try allocate(.tensor(tensorRecord(args)))
        case .rebuildParameter, .rebuildParameterWithState:
            // (data, requires_grad, backward_hooks[, state]): the parameter is its data.
            guard let data = args.first, case let .object(i) = data, case .tensor = heap[i] else {
                throw fail("\(g.rawValue) expects a tensor as its first argument")
            }
            return data
        case .rebuildFromTypeV2:
            // (func, new_type, args, state): a plain Tensor or Parameter rebuilt by an allowed func.
            guard args.count == 4, case let .global(inner) = args[0], inner != .rebuildFromTypeV2,
                  case let .global(type) = args[1], type == .tensor || type == .parameter else {
                throw fail("_rebuild_from_type_v2 is only allowed for torch.Tensor and Parameter")
            }
            return try call(args[0], arguments: tupleItems(args[2], "_rebuild_from_type_v2 arguments"))
        case .parameter, .tensor:
            throw fail("calling \(g.rawValue) directly is not supported")
        }
    }

    private func tensorRecord(_ args: [PickleValue]) throws -> TensorRecord {
        guard case let .object(s) = args[0], case let .storage(_, _, count) = heap[s] else {
            throw fail("_rebuild_tensor_v2: the first argument must be a storage, got \(args[0].kindName)")
        }
        let offset = try integer(args[1], "storage_offset")
        let shape = try tupleItems(args[2], "size").map { try integer($0, "a size entry") }
        let strides = try tupleItems(args[3], "stride").map { try integer($0, "a stride entry") }
        guard shape.count == strides.count, shape.count <= 64 else {
            throw fail("_rebuild_tensor_v2: size \(shape) and stride \(strides) disagree")
        }
        guard offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw fail("_rebuild_tensor_v2: negative offset, size or stride (\(offset), \(shape), \(strides))")
        }
        // The last element a view touches: offset + Σ (size_i - 1)·stride_i, which must lie in the storage.
        var elements = 1, last = offset
        for (d, st) in zip(shape, strides) {
            let (e, o1) = elements.multipliedReportingOverflow(by: d)
            let (span, o2) = max(d - 1, 0).multipliedReportingOverflow(by: st)
            let (l, o3) = last.addingReportingOverflow(span)
            guard !o1, !o2, !o3 else { throw fail("_rebuild_tensor_v2: size \(shape) with stride \(strides) overflows") }
            elements = e
            last = l
        }
        if elements > 0 && last >= count {
            throw fail("_rebuild_tensor_v2: a view of size \(shape), stride \(strides), offset \(offset) reaches element \(last) of a storage of \(count)")
        }
        return TensorRecord(storage: s, storageOffset: offset, shape: shape, strides: strides)
    }

    /// BINPERSID: `('storage', torch.FloatStorage, key, location, numel)`, as torch.save writes.
    mutating func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        let items = try tupleItems(pid, "a persistent id")
        guard items.count == 5, case .string("storage") = items[0] else {
            throw fail("persistent id must be ('storage', type, key, location, numel)")
        }
        guard case let .storageClass(dtype) = items[1] else { throw fail("persistent id names no storage class (\(items[1].kindName))") }
        guard case let .string(key) = items[2], !key.isEmpty, key.count <= 64,
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw fail("storage key must be a short alphanumeric string")
        }
        let count = try integer(items[4], "storage numel")
        guard count >= 0 else { throw fail("storage numel \(count) is negative") }
        return try allocate(.storage(key: key, dtype: dtype, count: count))
    }

    mutating func append(_ items: [PickleValue], to target: PickleValue) throws {
        guard case let .object(i) = target, case var .list(list) = heap[i] else {
            throw fail("APPEND to a \(target.kindName), not a list")
        }
        for v in items { try nest(v, in: i) }
        heap[i] = .tuple([])   // drop the heap's reference so the append does not copy the array
        list += items
        heap[i] = .list(list)
    }

    mutating func setItems(_ items: [PickleValue], into target: PickleValue) throws {
        guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
        guard case let .object(i) = target, case var .dict(d) = heap[i] else {
            throw fail("SETITEM on a \(target.kindName), not a dict")
        }
        heap[i] = .tuple([])
        for k in stride(from: 0, to: items.count, by: 2) {
            switch items[k] {
            case .string, .int, .bool, .none, .float, .bytes: break
            default: throw fail("dict key of type \(items[k].kindName) is not supported")
            }
            try nest(items[k + 1], in: i)
            d.set(items[k], items[k + 1])
        }
        heap[i] = .dict(d)
    }

    /// BUILD: OrderedDict attributes (`_metadata`, the per-module versions) are accepted and
    /// ignored; a tensor's state from `_rebuild_parameter_with_state` likewise. Nothing else.
    func build(_ target: PickleValue, state: PickleValue) throws {
        guard case let .object(i) = target else { throw fail("BUILD on a \(target.kindName)") }
        switch heap[i] {
        case .dict, .tensor: return
        default: throw fail("BUILD on this object is not supported")
        }
    }
}
