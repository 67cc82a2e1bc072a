import CNN

extension Training {
    /// Recomputes the running mean and variance of every batch norm of `model` with its weights
    /// as they are now (PyTorch's `torch.optim.swa_utils.update_bn`): each layer's statistics
    /// are reset, then every batch of `source` (epoch 0's order) runs forward in training mode
    /// without a graph, and each layer averages the batches' means and (unbiased) variances with
    /// equal weight. Afterwards `num_batches_tracked` counts those batches, as in PyTorch; the
    /// momenta and the model's mode are restored. Returns the number of batch norms updated.
    ///
    /// Why: the running averages gathered during training (momentum 0.1: mostly the last ten or
    /// so steps) describe weights that have since moved. After a short training with a large
    /// rate they can be far from the statistics of the final weights, and eval mode then
    /// measures that lag rather than the trained net.
    ///
    /// Dropout, if any, is active during the pass, as in PyTorch. A batch norm folded into its
    /// convolution (`foldBatchNorms`) cannot be updated and stops the call with a message.
    @discardableResult
    public static func updateBatchNormStatistics(model: Module, on source: any BatchSource) -> Int {
        let norms = model.namedModules().compactMap { $0.module as? BatchNorm2D }
        guard !norms.isEmpty else { return 0 }
        let momenta = norms.map(\.momentum)
        let wasTraining = model.isTraining
        for norm in norms {
            norm.resetRunningStatistics()
            norm.momentum = nil
        }
        model.train()
        defer {
            for (norm, momentum) in zip(norms, momenta) { norm.momentum = momentum }
            if !wasTraining { model.eval() }
        }
        withNoGrad {
            for (x, _) in source.batches(epoch: 0) { _ = model(x) }
        }
        return norms.count
    }
}
