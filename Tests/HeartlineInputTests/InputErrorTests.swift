import Glibc
import Testing

@testable import HeartlineInput

struct InputErrorTests {
    @Test(arguments: [
        (ENOENT, InputError.Code.notFound, "no such file"),
        (EACCES, .permissionDenied, "permission denied"),
        (EPERM, .permissionDenied, "permission denied"),
        (EISDIR, .isDirectory, "is a directory, not a file"),
        (EIO, .io, "read failed: Input/output error"),
    ])
    func errnoChoosesCodeAndWords(code: Int32, expected: InputError.Code, message: String) {
        let error = InputError(errno: code, path: "/var/log/x.log", operation: "read failed")
        #expect(error.code == expected)
        #expect(error.errno == code)
        #expect(error.description == "/var/log/x.log: \(message)")
    }
}
