#if os(Linux)
import CEpoll
import Foundation
import Glibc
import Synchronization

/// Something registered with an event loop for readiness on a file descriptor.
/// Only ever called on the loop's own thread.
protocol EventLoopHandler: AnyObject {
    func handle(events: UInt32, at now: UInt64)
}

/// One I/O thread driving non-blocking sockets with epoll, plus precise (timerfd, nanosecond)
/// timers. Everything except `execute` must be called on the loop's thread: the loop's state is
/// confined to it, so it needs no locks on the hot path; work from other threads goes through the
/// inbox (behind a Mutex) and an eventfd wake-up. That confinement is why the class is
/// `@unchecked Sendable`.
final class EventLoop: @unchecked Sendable {
    let name: String
    private let epollFD: Int32
    private let wakeFD: Int32
    private let timerFD: Int32
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    /// Indexed by file descriptor (small integers): no hashing per event.
    private var handlers: [EventLoopHandler?] = []
    /// A wake-up is already on its way: jobs queued meanwhile need no write of their own.
    private let wakePending = Atomic<Bool>(false)
    private var timers = TimerHeap()
    private var armedDeadline: UInt64 = .max
    private var stopping = false
    private let stopped = Mutex<Bool>(false)
    private var thread: Thread?

    init(name: String) {
        self.name = name
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        timerFD = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        precondition(epollFD >= 0 && wakeFD >= 0 && timerFD >= 0, "cannot create epoll/eventfd/timerfd: errno \(errno)")
        addRaw(fd: wakeFD, events: UInt32(EPOLLIN.rawValue))
        addRaw(fd: timerFD, events: UInt32(EPOLLIN.rawValue))
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Runs `job` on the loop thread, soon. Safe from any thread; after the loop has stopped,
    /// jobs are dropped (the wake-up descriptor is closed and its number may be reused).
    func execute(_ job: @escaping @Sendable () -> Void) {
        let accepted = stopped.withLock { isStopped -> Bool in
            guard !isStopped else { return false }
            inbox.withLock { $0.append(job) }
            return true
        }
        guard accepted else { return }
        // One eventfd write per batch of jobs: a burst of requests costs one syscall, not one each.
        if wakePending.exchange(true, ordering: .acquiringAndReleasing) { return }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Stops the thread after the jobs already queued. The loop's sockets are closed by their owners.
    func shutdown() {
        execute { [self] in self.stopping = true }
    }

    /// CPU time used by the loop's thread so far (CLOCK_THREAD_CPUTIME_ID, read on that thread).
    func threadCPUTime() async -> UInt64 {
        await withCheckedContinuation { (continuation: CheckedContinuation<UInt64, Never>) in
            execute {
                var ts = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
                continuation.resume(returning: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
            }
        }
    }

    // MARK: loop-thread API

    func register(fd: Int32, events: UInt32, handler: EventLoopHandler) {
        let index = Int(fd)
        if index >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: max(index + 1, handlers.count * 2) - handlers.count))
        }
        handlers[index] = handler
        addRaw(fd: fd, events: events)
    }

    func modify(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    func unregister(fd: Int32) {
        let index = Int(fd)
        if index >= 0, index < handlers.count, handlers[index] != nil {
            handlers[index] = nil
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        }
    }

    /// Calls `action` on the loop at `deadline` (monotonic ns) unless cancelled first.
    @discardableResult
    func schedule(at deadline: UInt64, _ action: @escaping () -> Void) -> TimerHeap.ID {
        let id = timers.insert(deadline: deadline, action: action)
        if deadline < armedDeadline { arm(deadline) }
        return id
    }

    func cancelTimer(_ id: TimerHeap.ID) {
        timers.cancel(id)
    }

    // MARK: private

    private func addRaw(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        let rc = epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
        precondition(rc == 0, "epoll_ctl ADD failed: errno \(errno)")
    }

    private func arm(_ deadline: UInt64) {
        armedDeadline = deadline
        var spec = itimerspec()
        if deadline != .max {
            // A zero it_value would disarm the timer; an already-passed deadline fires at once.
            let at = max(deadline, 1)
            spec.it_value.tv_sec = Int(at / 1_000_000_000)
            spec.it_value.tv_nsec = Int(at % 1_000_000_000)
        }
        _ = timerfd_settime(timerFD, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    private func run() {
        // Timers are the mock server's token cadence and the client's deadlines: ask the kernel
        // not to batch our wake-ups (default slack is 50 µs).
        _ = chatbench_set_timer_slack(1)
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !stopping {
            let count = epoll_wait(epollFD, events, Int32(capacity), -1)
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait failed: errno \(errno)")
            }
            let now = MonotonicClock.now()
            for i in 0..<Int(count) {
                let fd = events[i].data.fd
                let mask = events[i].events
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if fd == timerFD {
                    var value: UInt64 = 0
                    _ = read(timerFD, &value, 8)
                    // The kernel timer has expired: nothing is armed now, so the next deadline must
                    // be armed again even when it equals the one that just fired (zero-delay chains).
                    armedDeadline = .max
                } else if fd >= 0, Int(fd) < handlers.count, let handler = handlers[Int(fd)] {
                    handler.handle(events: mask, at: now)
                }
            }
            runJobs()
            runTimers()
        }
        // Refuse new jobs first, then close: `execute` writes to wakeFD under the same lock.
        stopped.withLock { isStopped in
            isStopped = true
            close(wakeFD)
        }
        close(epollFD)
        close(timerFD)
    }

    private func runJobs() {
        // Cleared before the jobs are taken: a job queued after this point writes a new wake-up.
        wakePending.store(false, ordering: .sequentiallyConsistent)
        let jobs = inbox.withLock { jobs -> [@Sendable () -> Void] in
            let taken = jobs
            jobs.removeAll(keepingCapacity: true)
            return taken
        }
        for job in jobs { job() }
    }

    private func runTimers() {
        var now = MonotonicClock.now()
        // Timers scheduled while this pass runs wait for the next turn of the loop, even when
        // already due, so a chain of zero-delay timers cannot starve the sockets.
        let newest = timers.lastID
        while let (deadline, action) = timers.popDue(now: now, upTo: newest) {
            _ = deadline
            action()
            now = MonotonicClock.now()
        }
        // Only an earlier deadline needs the kernel timer moved: a later one (the earliest timer
        // was cancelled or ran) lets the armed one fire, find nothing due, and re-arm then. That
        // spares a timerfd_settime on nearly every turn when requests finish all the time.
        let next = timers.nextDeadline ?? .max
        if next < armedDeadline { arm(next) }
    }
}

/// A binary min-heap of one-shot timers with lazy cancellation.
struct TimerHeap {
    typealias ID = UInt64
    private var heap: [(deadline: UInt64, id: ID)] = []
    private var actions: [ID: () -> Void] = [:]
    private var nextID: ID = 1

    mutating func insert(deadline: UInt64, action: @escaping () -> Void) -> ID {
        let id = nextID
        nextID += 1
        actions[id] = action
        heap.append((deadline, id))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: ID) {
        actions.removeValue(forKey: id)
        // Cancelled entries are dropped lazily from the top; when they are most of the heap
        // (deadlines that rarely fire, like first-token limits), rebuild it.
        if heap.count > 1024 && actions.count * 2 < heap.count {
            heap.removeAll { actions[$0.id] == nil }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        }
    }

    /// The id of the most recently inserted timer.
    var lastID: ID { nextID - 1 }

    var nextDeadline: UInt64? {
        mutating get {
            dropCancelled()
            return heap.first?.deadline
        }
    }

    mutating func popDue(now: UInt64, upTo newest: ID = .max) -> (UInt64, () -> Void)? {
        dropCancelled()
        guard let top = heap.first, top.deadline <= now, top.id <= newest else { return nil }
        removeTop()
        guard let action = actions.removeValue(forKey: top.id) else { return nil }
        return (top.deadline, action)
    }

    private mutating func dropCancelled() {
        while let top = heap.first, actions[top.id] == nil { removeTop() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    /// Deadline order, and insertion order among equal deadlines.
    private static func earlier(_ a: (deadline: UInt64, id: ID), _ b: (deadline: UInt64, id: ID)) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            if !Self.earlier(heap[child], heap[parent]) { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            if left >= count { return }
            var smallest = left
            let right = left + 1
            if right < count && Self.earlier(heap[right], heap[left]) { smallest = right }
            if !Self.earlier(heap[smallest], heap[parent]) { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
#endif
