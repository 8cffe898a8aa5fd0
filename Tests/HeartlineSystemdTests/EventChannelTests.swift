import Foundation
import Synchronization
import Testing

@testable import HeartlineSystemd

struct EventChannelTests {
    @Test func producerBlocksWhileCapacityElementsWait() async throws {
        let channel = EventChannel<Int>(capacity: 2)
        let sent = Sent()
        let waited = { channel.sendsThatWaited.load(ordering: .acquiring) }
        // The producer runs on an OS thread of its own, as the journal reader does.
        Thread {
            for value in 1...5 { sent.append(channel.send(value)) }
        }.start()
        // The third send found the channel full: it waits, so no later send can have gone through.
        try await waitUntil("the third send to wait for room") { waited() == 1 }
        #expect(sent.results == [true, true])
        #expect(await channel.receive() == 1)
        try await waitUntil("the fourth send to wait for room") { waited() == 2 }
        #expect(sent.results == [true, true, true])
        #expect(await channel.receive() == 2)
        #expect(await channel.receive() == 3)
        #expect(await channel.receive() == 4)
        #expect(await channel.receive() == 5)
        try await waitUntil("every send to return") { sent.results.count == 5 }
        #expect(sent.results == [true, true, true, true, true])
    }

    @Test func closingWakesABlockedProducerAndItsSendFails() async throws {
        let channel = EventChannel<Int>(capacity: 1)
        let sent = Sent()
        Thread {
            for value in 1...3 { sent.append(channel.send(value)) }
        }.start()
        try await waitUntil("the second send to wait for room") {
            channel.sendsThatWaited.load(ordering: .acquiring) == 1
        }
        #expect(sent.results == [true])
        channel.close()
        try await waitUntil("every send to return") { sent.results.count == 3 }
        #expect(sent.results == [true, false, false])
        #expect(await channel.receive() == nil)
    }

    @Test func cancellingTheWaitingConsumerClosesTheChannel() async throws {
        let channel = EventChannel<Int>(capacity: 1)
        let consumer = Task { await channel.receive() }
        try await waitUntil("the consumer to wait") { channel.hasWaitingReceiver }
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
        try await waitUntil("the producer to begin its sleep") {
            channel.sleepsBegun.load(ordering: .acquiring) == 1
        }
        channel.close()
        try await waitUntil("the sleep to end") { slept.withLock { $0 != nil } }
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
