import HeartlineCore
import Testing

@testable import HeartlineSystemd

struct JournalCursorTests {
    @Test func cursorRealtimeIsItsHexadecimalTPart() {
        let cursor =
            "s=f6886c7d9ebd4a15be5654201c0cef52;i=15c;b=86b09459b6e24918b7201b8a1bc779a2;"
            + "m=7cb4ae85;t=6616fdc150880;x=694e25d299b7c886"
        #expect(JournalCursor.realtime(of: cursor) == Instant(nanoseconds: 1_795_982_921_894_016_000))
        #expect(JournalCursor.realtime(of: "s=1;i=2") == nil)
        #expect(JournalCursor.realtime(of: "t=zz") == nil)
    }
}
