/// Gradient checkpointing: trade computation for activation memory (Chen et al. 2016,
/// "Training Deep Nets with Sublinear Memory Cost"; the memory-efficient DenseNet of Pleiss et
/// al. 2017 checkpoints each layer's concatenation + BN + ReLU + 1x1 conv this way).
///
/// `checkpointed(inputs) { xs in ... }` runs its body without recording, so none of the
/// body's intermediate tensors stays alive after the call; the tape keeps one node whose saved
/// state is the inputs alone. When the backward pass reaches that node, it runs the body again
/// with recording on (on the same inputs, detached as fresh leaves) and back-propagates the
/// incoming gradient through that short graph: the inputs get their gradients, and every
/// parameter the body uses accumulates its gradient exactly as it would without checkpointing.
///
/// The recomputation must reproduce the first forward bit for bit and must not change the
/// model's state a second time:
/// - the default random stream is saved before the forward and replayed in the recomputation
///   (dropout draws the same mask), while the caller's stream continues undisturbed;
/// - the buffers of the modules named in `restoring:` (batch-norm running mean and variance,
///   `num_batches_tracked`) are copied before the recomputation and put back after it, so a
///   training step updates them once, as the plain forward does;
/// - `Checkpointing.isRecomputing` is true inside the recomputation, for bodies that keep other
///   state of their own.
public enum Checkpointing {
    @TaskLocal static var recomputing = false

    /// True while a checkpointed body runs a second time during the backward pass.
    public static var isRecomputing: Bool { recomputing }
}

/// Runs `body(inputs)` keeping only `inputs` for the backward pass (see `Checkpointing`).
///
/// - Parameters:
///   - inputs: the tensors the body reads that are not parameters; their gradients flow back
///     through the checkpoint. Parameters and buffers of modules the body calls are captured by
///     the closure as usual.
///   - modules: modules whose buffers the body updates in training mode (batch norm); they are
///     restored after the recomputation so the update happens once.
///   - body: a pure function of the inputs, the parameters and the default random stream.
/// - Returns: the body's output. Without recording, with meta inputs, or when no input tracks a
///   gradient, the body simply runs once as written (recorded normally, so the gradients of its
///   parameters are still correct, but nothing is saved).
public func checkpointed(_ inputs: [Tensor], restoring modules: [Module] = [],
                         _ body: @escaping ([Tensor]) -> Tensor) -> Tensor {
    precondition(!inputs.isEmpty, "checkpointed: needs at least one input tensor")
    guard Autograd.isEnabled, !inputs.contains(where: \.isMeta), inputs.contains(where: \.tracksGradient) else {
        return body(inputs)
    }
    let randomState = Random.withGenerator { $0 }
    // A new tensor object over the result's storage: the body may return one of its inputs or a
    // parameter, whose own gradient function or leaf status must not be overwritten.
    let output = withNoGrad { body(inputs) }.detached()
    return output.recording("checkpoint", inputs) { gradOutput, needsGrad in
        let leaves = zip(inputs, needsGrad).map { input, needs in
            let leaf = input.detached()
            leaf.requiresGrad = needs
            return leaf
        }
        let buffers = modules.flatMap { $0.namedBuffers().map(\.tensor) }
        let savedBuffers = buffers.map { $0.copy() }
        let replay = RandomStream(randomState)
        let recomputed = Autograd.$enabled.withValue(true) {
            Checkpointing.$recomputing.withValue(true) {
                Random.using(replay) { body(leaves) }
            }
        }
        for (buffer, saved) in zip(buffers, savedBuffers) { buffer.assign(saved) }
        precondition(recomputed.shape == gradOutput.shape,
                     "checkpointed: the recomputation returned \(recomputed.shape), the first forward \(gradOutput.shape)")
        if recomputed.tracksGradient { recomputed.backward(gradOutput) }
        return leaves.map { $0.grad }
    }
}
