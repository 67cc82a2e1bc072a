import Dispatch
import Foundation
import Synchronization
import CBLAS

/// Threading policy of the engine.
///
/// Kernels split work over `threadCount` tasks with `parallelRanges`; BLAS runs with its own
/// threads. A kernel that calls BLAS inside a parallel region must call `withSingleThreadedBLAS`
/// so that the two never oversubscribe the cores.
public enum Engine {
    private static let threads = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// Tasks a parallel kernel splits into (default: the active cores).
    public static var threadCount: Int {
        get { threads.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "Engine.threadCount: \(newValue) must be at least 1")
            threads.store(newValue, ordering: .relaxed)
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// Runs `body` with BLAS limited to one thread, then restores the engine's count.
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(threadCount)) }
        return try body()
    }
}

/// Splits `0..<count` into contiguous ranges and runs them on up to `Engine.threadCount`
/// threads. Work below `minimumPerTask` items per task stays on the calling thread.
@inline(__always)
package func parallelRanges(_ count: Int, minimumPerTask: Int = 1, _ body: (Range<Int>) -> Void) {
    let tasks = min(Engine.threadCount, count / max(minimumPerTask, 1))
    if tasks <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: tasks) { t in
            let lo = count * t / tasks, hi = count * (t + 1) / tasks
            if lo < hi { work(lo..<hi) }
        }
    }
}

/// Pointer wrapper that may cross into parallel tasks (the caller guarantees disjoint writes).
package struct SendablePointer<T>: @unchecked Sendable {
    package let p: UnsafeMutablePointer<T>
    package init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}
