import Synchronization

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`; malloc.h is not part of Swift's Glibc module.
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Counts the bytes held by live tensor storage, and the peak since the last reset.
///
/// Every `TensorStorage` reports its allocation and its release here, so the figure is the
/// engine's own activation + parameter + gradient memory (not the process RSS).
///
///     MemoryMeter.resetPeak()
///     let y = model(x)                 // ...
///     MemoryMeter.peakBytes            // the high-water mark of this step
public enum MemoryMeter {
    private static let live = Atomic<Int>(0)
    private static let peak = Atomic<Int>(0)
    private static let allocations = Atomic<Int>(0)

    /// Bytes held by tensors that are alive now.
    public static var liveBytes: Int { live.load(ordering: .relaxed) }
    /// The largest `liveBytes` seen since the last `resetPeak()`.
    public static var peakBytes: Int { peak.load(ordering: .relaxed) }
    /// Number of storage allocations since the process started (a cheap profile of churn).
    public static var allocationCount: Int { allocations.load(ordering: .relaxed) }

    /// Sets the peak to the current live figure.
    public static func resetPeak() { peak.store(live.load(ordering: .relaxed), ordering: .relaxed) }

    static func allocated(_ bytes: Int) {
        allocations.wrappingAdd(1, ordering: .relaxed)
        let now = live.add(bytes, ordering: .relaxed).newValue
        var seen = peak.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    static func released(_ bytes: Int) { live.subtract(bytes, ordering: .relaxed) }
}

extension Engine {
    /// How freed tensor memory goes back to the C allocator (glibc on Linux).
    public enum AllocationPolicy: Sendable, Equatable {
        /// The default: blocks up to 32 MiB stay on the heap and the heap is not trimmed, so a
        /// training step that frees and re-allocates the same activations reuses warm pages
        /// instead of page-faulting (and zeroing) every page again. Fast; the process keeps its
        /// high-water mark of memory.
        case reuse
        /// glibc's own defaults: large blocks are mapped on allocation and unmapped on release,
        /// so the process's resident memory follows the live tensors. Use it when the resident
        /// memory itself is being measured (`course bench`'s DenseNet step memory).
        case release
    }

    private static let policyState = Atomic<Int>(0)   // 0: not chosen yet, 1: reuse, 2: release

    /// The policy in force (set it before the memory-sensitive work; it applies to later allocations).
    public static var allocationPolicy: AllocationPolicy {
        get { policyState.load(ordering: .relaxed) == 2 ? .release : .reuse }
        set {
            policyState.store(newValue == .release ? 2 : 1, ordering: .relaxed)
            #if os(Linux)
            switch newValue {
            case .reuse:
                _ = glibcMallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD (malloc.h)
                _ = glibcMallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
            case .release:
                _ = glibcMallopt(-3, 128 << 10)  // glibc's defaults
                _ = glibcMallopt(-1, 128 << 10)
            }
            #endif
        }
    }

    static func applyDefaultAllocationPolicy() {
        if policyState.load(ordering: .relaxed) == 0 { allocationPolicy = .reuse }
    }
}

/// Contiguous Float32 memory owned by one or more tensors (a reshape shares it).
///
/// Aligned to 64 bytes for the vector kernels. A *meta* storage has a count but no memory:
/// the analysis walks a network on meta tensors to get shapes and costs without arithmetic.
public final class TensorStorage: @unchecked Sendable {
    public let count: Int
    public let isMeta: Bool
    /// The first element. Never dereference it for a meta storage.
    public let base: UnsafeMutablePointer<Float>

    /// Applies the default allocation policy once, unless a program chose one first.
    private static let allocatorTuned: Void = { Engine.applyDefaultAllocationPolicy() }()

    init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        Self.allocatorTuned
        self.count = count
        self.isMeta = false
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        if zeroed { base.initialize(repeating: 0, count: count) }
        MemoryMeter.allocated(count * 4)
    }

    init(metaCount: Int) {
        count = metaCount
        isMeta = true
        base = UnsafeMutablePointer(bitPattern: 64)!   // never read: every op checks isMeta first
    }

    deinit {
        if !isMeta {
            UnsafeMutableRawPointer(base).deallocate()
            MemoryMeter.released(count * 4)
        }
    }
}
