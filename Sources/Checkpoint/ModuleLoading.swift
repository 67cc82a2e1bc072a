import CNN

/// What `loadStateDict` did, as PyTorch's `load_state_dict` returns it (`_IncompatibleKeys`).
public struct LoadReport: CustomStringConvertible, Sendable {
    /// Model keys the checkpoint does not provide (left as they were).
    public var missingKeys: [String]
    /// Checkpoint keys the model does not have (ignored).
    public var unexpectedKeys: [String]
    /// Keys copied into the model.
    public var loadedKeys: [String]
    /// `num_batches_tracked` counters absent from the checkpoint and kept at their current value,
    /// as PyTorch's BatchNorm does for checkpoints older than its version 2.
    public var keptKeys: [String]

    /// PyTorch's wording: `<All keys matched successfully>` or
    /// `_IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])`.
    public var description: String {
        if missingKeys.isEmpty && unexpectedKeys.isEmpty { return "<All keys matched successfully>" }
        let quote = { (keys: [String]) in "[" + keys.map { "'\($0)'" }.joined(separator: ", ") + "]" }
        return "_IncompatibleKeys(missing_keys=\(quote(missingKeys)), unexpected_keys=\(quote(unexpectedKeys)))"
    }
}

/// `loadStateDict` refused the checkpoint; nothing was copied into the model.
public struct LoadStateDictError: Error, CustomStringConvertible, Sendable {
    /// The model's type name, as PyTorch prints it ("ResNet").
    public var modelName: String
    /// Reported only in strict mode, as in PyTorch.
    public var missingKeys: [String]
    public var unexpectedKeys: [String]
    /// Keys present on both sides with different shapes: an error in both modes, as in PyTorch.
    public var sizeMismatches: [(key: String, checkpointShape: [Int], modelShape: [Int])]

    /// PyTorch's message: `Error(s) in loading state_dict for Net:` then one tab-indented line each
    /// for missing keys, unexpected keys and every size mismatch.
    public var description: String {
        let quote = { (keys: [String]) in keys.map { "\"\($0)\"" }.joined(separator: ", ") }
        let size = { (s: [Int]) in "torch.Size([\(s.map(String.init).joined(separator: ", "))])" }
        var lines: [String] = []
        if !missingKeys.isEmpty { lines.append("Missing key(s) in state_dict: \(quote(missingKeys)). ") }
        if !unexpectedKeys.isEmpty { lines.append("Unexpected key(s) in state_dict: \(quote(unexpectedKeys)). ") }
        for m in sizeMismatches {
            lines.append("size mismatch for \(m.key): copying a param with shape \(size(m.checkpointShape)) from checkpoint, the shape in current model is \(size(m.modelShape)).")
        }
        return "Error(s) in loading state_dict for \(modelName):\n\t" + lines.joined(separator: "\n\t")
    }
}

extension Module {
    /// Copies a checkpoint's tensors into this model's parameters and buffers (BN running
    /// statistics included), converting every dtype to Float32: `model.load_state_dict(sd, strict)`.
    ///
    /// - strict: missing or unexpected keys are an error (nothing is copied). Non-strict: they
    ///   are only reported. Shape mismatches are an error in both modes, as in PyTorch.
    /// - Unlike PyTorch, a failed load leaves the model untouched (all checks run before any copy).
    /// - Complexity: one pass over the checkpoint's bytes.
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict, strict: Bool = true) throws -> LoadReport {
        let targets = stateDictTargets()
        let byName = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var provided = Set<String>()
        var unexpected: [String] = []
        var mismatches: [(String, [Int], [Int])] = []
        var plan: [(StoredTensor, Tensor)] = []
        for stored in stateDict.tensors {
            guard let target = byName[stored.name] else { unexpected.append(stored.name); continue }
            provided.insert(stored.name)
            let sameShape = stored.shape == target.tensor.shape
                // A scalar counter saved as [] may live in a [1] buffer (or the reverse).
                || (target.isInteger && stored.count == 1 && target.tensor.count == 1 && stored.shape.count <= 1 && target.tensor.rank <= 1)
            if sameShape { plan.append((stored, target.tensor)) } else { mismatches.append((stored.name, stored.shape, target.tensor.shape)) }
        }
        var missing: [String] = [], kept: [String] = []
        for t in targets where !provided.contains(t.name) {
            if t.isInteger && t.name.hasSuffix("num_batches_tracked") { kept.append(t.name) } else { missing.append(t.name) }
        }
        if !mismatches.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
            throw LoadStateDictError(modelName: typeName, missingKeys: strict ? missing : [], unexpectedKeys: strict ? unexpected : [],
                                     sizeMismatches: mismatches.map { (key: $0.0, checkpointShape: $0.1, modelShape: $0.2) })
        }
        for (stored, tensor) in plan { tensor.withUnsafeMutableBufferPointer { stored.decode(into: $0) } }
        return LoadReport(missingKeys: missing, unexpectedKeys: unexpected, loadedKeys: plan.map(\.0.name), keptKeys: kept)
    }

    /// Parameters and buffers with their state_dict keys and whether they hold integers.
    private func stateDictTargets() -> [(name: String, tensor: Tensor, isInteger: Bool)] {
        let integer = Set(namedBuffers().filter(\.isInteger).map(\.name))
        return stateDict().map { ($0.name, $0.tensor, integer.contains($0.name)) }
    }
}
