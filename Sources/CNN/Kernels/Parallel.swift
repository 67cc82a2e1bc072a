import Foundation
import Synchronization
import CBLAS

/// Threading policy of the engine.
///
/// One pool of workers (`WorkerPool`, through `parallelRanges`) uses the cores; BLAS itself always
/// runs single-threaded. A product large enough to profit from several cores is split by
/// `sgemm` into column (or row) blocks run by `parallelRanges`. So a small GEMM never wakes
/// BLAS's own threads (which spin for a while after each call and steal the cores from the
/// kernels that follow), and GEMMs called inside a parallel region (one image per task) never
/// oversubscribe: a region opened inside a task runs on that task's thread.
public enum Engine {
    private static let threads = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// Tasks a parallel kernel splits into (default: the active cores).
    public static var threadCount: Int {
        get { threads.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "Engine.threadCount: \(newValue) must be at least 1")
            threads.store(newValue, ordering: .relaxed)
        }
    }

    /// Runs `body` as one task of a parallel region: a GEMM or a parallel kernel called inside
    /// stays on the calling thread (BLAS is single-threaded in any case).
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        let outer = ParallelRegion.enter()
        defer { ParallelRegion.leave(outer) }
        return try body()
    }

    /// Sets BLAS to one thread, once, before the first product.
    static let blasConfigured: Void = { openblas_set_num_threads(1) }()
}

/// Whether the current thread is running a task of a parallel region. A region opened there
/// (a GEMM in a per-image task, an elementwise kernel called from a worker) runs serially on
/// that thread. The flag is per thread, so what one thread does never changes how another
/// splits its work: each call site always takes the same path and computes the same bits
/// (a batcher prefetching on another thread does not make a training step take another path).
package enum ParallelRegion {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "ParallelRegion: pthread_key_create failed")
        return key
    }()
    package static var isActive: Bool { pthread_getspecific(key) != nil }

    /// Marks the current thread as inside a region; returns the previous mark for `leave`.
    @inline(__always)
    static func enter() -> UnsafeMutableRawPointer? {
        let outer = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeMutableRawPointer(bitPattern: 1))
        return outer
    }

    @inline(__always)
    static func leave(_ outer: UnsafeMutableRawPointer?) { pthread_setspecific(key, outer) }
}

/// Splits `0..<count` into contiguous ranges and runs them on up to `Engine.threadCount`
/// threads. Work below `minimumPerTask` items per task, or a call from inside a task of
/// another region, stays on the calling thread.
@inline(__always)
package func parallelRanges(_ count: Int, minimumPerTask: Int = 1, _ body: (Range<Int>) -> Void) {
    let tasks = min(Engine.threadCount, count / max(minimumPerTask, 1))
    if tasks <= 1 || ParallelRegion.isActive {
        if count > 0 { body(0..<count) }
        return
    }
    WorkerPool.shared.run(tasks: tasks) { t in
        let lo = count * t / tasks, hi = count * (t + 1) / tasks
        let outer = ParallelRegion.enter()
        if lo < hi { body(lo..<hi) }
        ParallelRegion.leave(outer)
    }
}

/// Pointer wrapper that may cross into parallel tasks (the caller guarantees disjoint writes).
package struct SendablePointer<T>: @unchecked Sendable {
    package let p: UnsafeMutablePointer<T>
    package init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}
