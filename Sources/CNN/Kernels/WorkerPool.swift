// The threads that run the tasks of the engine's parallel regions (`parallelRanges`).
//
// A training step of a small net opens dozens of short regions (every conv, activation, pooling
// and their gradients), separated by a few microseconds of serial work. With GCD's
// concurrentPerform each region woke a parked worker through the kernel: in a LeNet-5 step,
// `perf` put about an eighth of the time in the scheduler (futex waits, wake-ups, sched_yield).
// Here the workers spin on the job word for a while after their last task, so a region that
// follows within that time starts without a system call, and park on a condition variable
// only when the engine has gone quiet.
//
// One job at a time. The caller publishes it in one 64-bit ticket, generation | tasks | next
// task, after storing the body's address; every thread, the caller included, then claims task
// indices from the ticket by compare-and-swap until none is left, and the caller waits for the
// tasks that others claimed. Task t always covers the same range whichever thread runs it, so a
// result never depends on the timing. A second thread that opens a region while one is running
// (a data loader beside the training loop) runs its tasks one after another on its own thread:
// the same ranges, so the same bits.
import Foundation
import Synchronization

package final class WorkerPool: @unchecked Sendable {
    package static let shared = WorkerPool()

    /// generation << 32 | tasks << 16 | next: the job in flight and its next unclaimed task.
    private let ticket = Atomic<UInt64>(0)
    /// Address of the job's body, `(Int) -> Void` on the caller's stack (0 between jobs).
    private let body = Atomic<UInt>(0)
    /// Tasks of the current job finished by workers (the caller counts its own).
    private let finished = Atomic<Int>(0)
    /// Whether a thread is running a job (the others run their regions serially).
    private let busy = Atomic<Bool>(false)
    /// Workers parked on `wake`, or about to.
    private let sleepers = Atomic<Int>(0)
    private let started = Mutex<Int>(0)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    /// The caller's generation counter (only the thread holding `busy` touches it).
    private let generation = Atomic<UInt64>(0)

    /// How long an idle worker spins before it parks.
    static let spinNanoseconds: UInt64 = 200_000

    private init() {
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        precondition(pthread_mutex_init(mutex, nil) == 0 && pthread_cond_init(wake, nil) == 0,
                     "WorkerPool: cannot create its mutex and condition variable")
    }

    /// Workers started so far (they live as long as the process).
    package var workerCount: Int { started.withLock { $0 } }

    /// Runs `task(t)` for every t in 0..<tasks, on this thread and the workers, and returns when
    /// all have finished.
    package func run(tasks: Int, _ task: (Int) -> Void) {
        precondition(tasks >= 0 && tasks <= 0xFFFF, "WorkerPool.run: \(tasks) tasks (at most 65,535)")
        guard tasks > 1 else {
            if tasks == 1 { task(0) }
            return
        }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for t in 0..<tasks { task(t) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(upTo: tasks - 1)
        withoutActuallyEscaping(task) { task in
            var job = task
            withUnsafeMutablePointer(to: &job) { job in
                let gen = (generation.load(ordering: .relaxed) &+ 1) & 0xFFFF_FFFF
                generation.store(gen, ordering: .relaxed)
                body.store(UInt(bitPattern: job), ordering: .relaxed)
                finished.store(0, ordering: .relaxed)
                ticket.store(gen << 32 | UInt64(tasks) << 16, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(mutex)
                    pthread_cond_broadcast(wake)
                    pthread_mutex_unlock(mutex)
                }
                var own = 0
                while let t = claim(gen) {
                    job.pointee(t)
                    own += 1
                }
                while finished.load(ordering: .acquiring) + own < tasks {}
                body.store(0, ordering: .relaxed)
            }
        }
    }

    /// The next unclaimed task of job `gen`, or nil when it has none left (or another job is in flight).
    @inline(__always)
    private func claim(_ gen: UInt64) -> Int? {
        var current = ticket.load(ordering: .acquiring)
        while true {
            guard current >> 32 == gen, current & 0xFFFF < (current >> 16) & 0xFFFF else { return nil }
            let (exchanged, original) = ticket.compareExchange(expected: current, desired: current + 1,
                                                               ordering: .acquiringAndReleasing)
            if exchanged { return Int(current & 0xFFFF) }
            current = original
        }
    }

    private func startWorkers(upTo wanted: Int) {
        started.withLock { count in
            while count < wanted {
                let thread = Thread { [self] in workerLoop() }
                thread.name = "CNN worker \(count + 1)"
                thread.start()
                count += 1
            }
        }
    }

    private func workerLoop() {
        var seen = ticket.load(ordering: .acquiring) >> 32
        while true {
            var current = ticket.load(ordering: .acquiring)
            if current >> 32 == seen {
                let start = DispatchTime.now().uptimeNanoseconds
                var spins = 0
                while current >> 32 == seen {
                    spins += 1
                    if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds - start > Self.spinNanoseconds {
                        park(while: seen)
                    }
                    current = ticket.load(ordering: .acquiring)
                }
            }
            seen = current >> 32
            var done = 0
            while let t = claim(seen) {
                // The claim (acquire) orders this read after the caller stored the body; the caller
                // keeps the body alive until `finished` counts this task.
                let job = UnsafePointer<(Int) -> Void>(bitPattern: body.load(ordering: .relaxed))!
                job.pointee(t)
                done += 1
            }
            if done > 0 { finished.add(done, ordering: .releasing) }
        }
    }

    /// Sleeps until the ticket's generation is no longer `seen`.
    private func park(while seen: UInt64) {
        sleepers.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen { pthread_cond_wait(wake, mutex) }
        pthread_mutex_unlock(mutex)
        sleepers.subtract(1, ordering: .relaxed)
    }
}
