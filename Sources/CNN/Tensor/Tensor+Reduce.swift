// Reductions to a scalar (losses, regularisers, tests).

extension Tensor {
    /// Sum of all elements, shape [] (accumulated in Double).
    public func sum() -> Tensor {
        if isMeta { return Tensor(meta: []) }
        var acc: Double = 0
        for i in 0..<count { acc += Double(storage.base[i]) }
        let inputShape = shape
        return Tensor(scalar: Float(acc)).traced("sum", [self])
            .recording("sum", [self]) { g, _ in [Tensor.full(inputShape, g.item())] }
    }

    /// Mean of all elements, shape [].
    public func mean() -> Tensor {
        precondition(count > 0, "mean: empty tensor of shape \(shape)")
        return sum().scaled(by: 1 / Float(count))
    }

    /// Index of the largest value in each row of a [N, K] tensor (predicted classes).
    public func argmaxRows() -> [Int] {
        precondition(rank == 2, "argmaxRows: expects [N, K], got \(shape)")
        let k = shape[1]
        return (0..<shape[0]).map { n in
            var best = 0
            for j in 1..<max(k, 1) where storage.base[n * k + j] > storage.base[n * k + best] { best = j }
            return best
        }
    }
}
