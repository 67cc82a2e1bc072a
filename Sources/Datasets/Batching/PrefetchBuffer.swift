import Foundation

/// A bounded queue between one producer thread and one consumer: the producer blocks while
/// `capacity` batches wait, the consumer blocks while none does.
final class PrefetchBuffer: @unchecked Sendable {   // all state is guarded by `condition`
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var finished = false
    private var cancelled = false
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Runs `produce` on a new thread and marks the buffer finished when it returns.
    func start(_ produce: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            produce()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "Datasets.prefetch"
        thread.start()
    }

    /// Adds a batch, waiting for room; false when the consumer has gone.
    func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    /// The next batch, waiting for it; nil when the producer is done and the queue is empty.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let batch = queue.removeFirst()   // capacity is a handful of batches: O(n) is nothing
        condition.broadcast()
        return batch
    }

    /// Tells the producer to stop at its next `put`.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
