// Shape changes and joins. Storage is contiguous, so a reshape is free (it shares memory).

extension Tensor {
    /// The same elements with another shape; one dimension may be -1 (inferred).
    ///
    ///     Tensor.zeros([2, 3, 4]).reshaped([2, -1]).shape   // [2, 12]
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        let inferred = target.indices.filter { target[$0] == -1 }
        precondition(inferred.count <= 1, "reshape: more than one -1 in \(newShape)")
        precondition(target.allSatisfy { $0 >= -1 }, "reshape: negative dimension in \(newShape)")
        if let i = inferred.first {
            let known = target.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) for \(count) elements of \(shape)")
            target[i] = count / known
        }
        precondition(target.reduce(1, *) == count, "reshape: \(shape) (\(count) elements) cannot become \(newShape)")
        let inputShape = shape
        return Tensor(shape: target, storage: storage)
            .traced("reshape", [self])
            .recording("reshape", [self]) { g, _ in [g.reshaped(inputShape)] }
    }

    /// Keeps dimension 0 (the batch) and flattens the rest: [N, C, H, W] -> [N, C·H·W].
    public func flattened() -> Tensor {
        precondition(rank >= 1, "flatten: a scalar has no batch dimension")
        return reshaped([shape[0], shape.dropFirst().reduce(1, *)])
    }
}

/// Joins tensors along `axis` (channels, axis 1, for inception branches and dense blocks).
/// All other dimensions must agree.
///
/// - Shape: [N, C₁, H, W], [N, C₂, H, W] → [N, C₁ + C₂, H, W]
public func concatenate(_ tensors: [Tensor], axis: Int = 1) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: no tensors")
    let first = tensors[0].shape
    precondition(axis >= 0 && axis < first.count, "concatenate: axis \(axis) out of range for rank \(first.count)")
    for (i, t) in tensors.enumerated() {
        precondition(t.rank == first.count, "concatenate: tensor \(i) has rank \(t.rank), tensor 0 has rank \(first.count)")
        for d in 0..<first.count where d != axis {
            precondition(t.shape[d] == first[d],
                         "concatenate: tensor \(i) has shape \(t.shape), tensor 0 has \(first) (they may differ only in dimension \(axis))")
        }
    }
    var outShape = first
    outShape[axis] = tensors.map { $0.shape[axis] }.reduce(0, +)
    if tensors.contains(where: \.isMeta) { return Tensor(meta: outShape).traced("concat", tensors) }

    let outer = first[..<axis].reduce(1, *)
    let inner = first[(axis + 1)...].reduce(1, *)
    let sizes = tensors.map { $0.shape[axis] * inner }          // contiguous run per outer index
    let total = outShape[axis] * inner
    let out = Tensor(uninitialized: outShape)
    var offset = 0
    for (t, run) in zip(tensors, sizes) {
        for o in 0..<outer {   // seek: out[o, offset ..< offset+run] = t[o, :]
            (out.storage.base + o * total + offset).update(from: t.storage.base + o * run, count: run)
        }
        offset += run
    }
    return out.traced("concat", tensors).recording("concat", tensors) { g, needs in
        var grads: [Tensor?] = []
        var offset = 0
        for (i, run) in sizes.enumerated() {
            if needs[i] {
                var s = outShape; s[axis] = run / inner
                let gi = Tensor(uninitialized: s)
                for o in 0..<outer { (gi.storage.base + o * run).update(from: g.storage.base + o * total + offset, count: run) }
                grads.append(gi)
            } else { grads.append(nil) }
            offset += run
        }
        return grads
    }
}
