import Foundation
import Synchronization
import Testing

@testable import HeartlineSystemd

struct EventChannelTests {
    @Test func producerBlocksWhileCapacityElementsWait() async throws {
        let channel = EventChannel<Int>(capacity: 2)
        let sent = Sent()
        // The producer runs on an OS thread of its own, as the journal reader does.
        Thread {
            for value in 1...5 { sent.append(channel.send(value)) }
        }.start()
        try await Task.sleep(for: .milliseconds(300))
        #expect(sent.results == [true, true])
        #expect(await channel.receive() == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(sent.results == [true, true, true])
        #expect(await channel.receive() == 2)
        #expect(await channel.receive() == 3)
        #expect(await channel.receive() == 4)
        #expect(await channel.receive() == 5)
        try await Task.sleep(for: .milliseconds(100))
        #expect(sent.results == [true, true, true, true, true])
    }

    @Test func closingWakesABlockedProducerAndItsSendFails() async throws {
        let channel = EventChannel<Int>(capacity: 1)
        let sent = Sent()
        Thread {
            for value in 1...3 { sent.append(channel.send(value)) }
        }.start()
        try await Task.sleep(for: .milliseconds(200))
        #expect(sent.results == [true])
        channel.close()
        try await Task.sleep(for: .milliseconds(200))
        #expect(sent.results == [true, false, false])
        #expect(await channel.receive() == nil)
    }

    @Test func cancellingTheWaitingConsumerClosesTheChannel() async throws {
        let channel = EventChannel<Int>(capacity: 1)
        let consumer = Task { await channel.receive() }
        try await Task.sleep(for: .milliseconds(100))
        consumer.cancel()
        #expect(await consumer.value == nil)
        #expect(channel.isClosed)
        #expect(!channel.send(1))
    }

    @Test func sleepEndsEarlyWhenClosed() async throws {
        let channel = EventChannel<Int>(capacity: 1)
        let clock = ContinuousClock()
        let slept = Mutex<(Bool, Duration)?>(nil)
        Thread {
            let start = clock.now
            let result = channel.sleep(for: .seconds(30))
            slept.withLock { $0 = (result, clock.now - start) }
        }.start()
        try await Task.sleep(for: .milliseconds(100))
        channel.close()
        // Bounded wait: on a loaded machine the thread may take a while to be scheduled.
        for _ in 0..<100 where slept.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(100)) }
        let (result, duration) = try #require(slept.withLock { $0 })
        #expect(!result)
        // Far below the 30 s asked for: the close woke it.
        #expect(duration < .seconds(15))
    }

    final class Sent: Sendable {
        private let state = Mutex<[Bool]>([])
        var results: [Bool] { state.withLock { $0 } }
        func append(_ result: Bool) { state.withLock { $0.append(result) } }
    }
}
