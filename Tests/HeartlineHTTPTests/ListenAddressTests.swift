import HeartlineHTTP
import Testing

/// `http.listen`: `HOST:PORT`.
struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464),
        ("localhost:80", "localhost", 80),
        ("[::1]:9464", "::1", 9464),
        ("0.0.0.0:0", "0.0.0.0", 0),
    ])
    func hostAndPortAreRead(text: String, host: String, port: Int) throws {
        let address = try #require(ListenAddress(text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: ["127.0.0.1", ":9464", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", "[]:80"])
    func anythingElseIsRejected(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
