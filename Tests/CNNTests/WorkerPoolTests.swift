import CNN
import Dispatch
import Foundation
import Synchronization
import Testing

/// Runs `body` on another thread and reports whether it returned within `seconds` (a deadlock in
/// the pool fails the test instead of hanging the suite).
private func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread { body(); done.signal() }.start()
    return done.wait(timeout: .now() + seconds) == .success
}

@Suite("Worker pool: every task once, nested regions serial, concurrent callers, parked workers")
struct WorkerPoolTests {
    @Test("each task index runs exactly once", arguments: [2, 3, 7, 64, 1_000])
    func everyTaskOnce(tasks: Int) {
        let runs = Mutex([Int](repeating: 0, count: tasks))
        for _ in 0..<50 {
            WorkerPool.shared.run(tasks: tasks) { t in runs.withLock { $0[t] += 1 } }
        }
        #expect(runs.withLock { $0 } == [Int](repeating: 50, count: tasks))
    }

    @Test("parallelRanges splits 0..<count into the same contiguous ranges every time")
    func rangesAreFixed() {
        let previous = Engine.threadCount
        defer { Engine.threadCount = previous }
        for threads in [2, 3, 4] {
            Engine.threadCount = threads
            for (count, minimum) in [(10, 1), (1_000, 1), (1_000, 300), (5, 1), (1, 1)] {
                let tasks = min(threads, count / minimum)
                let expected = tasks <= 1 ? [0..<count] : (0..<tasks).map { t in (count * t / tasks)..<(count * (t + 1) / tasks) }
                for _ in 0..<20 {
                    let seen = Mutex([Range<Int>]())
                    parallelRanges(count, minimumPerTask: minimum) { r in seen.withLock { $0.append(r) } }
                    #expect(seen.withLock { $0.sorted { $0.lowerBound < $1.lowerBound } } == expected,
                            "\(threads) threads, count \(count), minimum \(minimum)")
                }
            }
        }
    }

    @Test("a region opened inside a task runs whole on that task's thread")
    func nestedRegionIsSerial() {
        let inner = Mutex([(Range<Int>, Bool)]())
        parallelRanges(4) { _ in
            let outerThread = pthread_self()
            parallelRanges(100) { r in inner.withLock { $0.append((r, pthread_equal(pthread_self(), outerThread) != 0)) } }
        }
        let calls = inner.withLock { $0 }
        #expect(calls.count == min(Engine.threadCount, 4) || Engine.threadCount == 1)
        #expect(calls.allSatisfy { $0.0 == 0..<100 && $0.1 })
    }

    @Test("regions opened from several threads at once all complete with the right sums")
    func concurrentCallers() {
        let ok = finishes(within: 60) {
            let group = DispatchGroup()
            let failures = Atomic<Int>(0)
            for caller in 0..<4 {
                group.enter()
                Thread {
                    for round in 0..<300 {
                        let count = 1_000 + 37 * caller + round
                        let total = Atomic<Int>(0)
                        parallelRanges(count) { r in total.add(r.reduce(0, +), ordering: .relaxed) }
                        if total.load(ordering: .relaxed) != count * (count - 1) / 2 { failures.add(1, ordering: .relaxed) }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            #expect(failures.load(ordering: .relaxed) == 0)
        }
        #expect(ok, "four threads opening 300 regions each did not finish within a minute")
    }

    @Test("after the workers park (an idle pause), new regions still run to completion")
    func wakesParkedWorkers() {
        let ok = finishes(within: 60) {
            for round in 0..<20 {
                let total = Atomic<Int>(0)
                WorkerPool.shared.run(tasks: 8) { t in total.add(t + 1, ordering: .relaxed) }
                #expect(total.load(ordering: .relaxed) == 36, "round \(round)")
                usleep(round.isMultiple(of: 2) ? 2_000 : 50)   // past the spin time, or well inside it
            }
        }
        #expect(ok)
    }
}
