import Foundation

/// Prometheus text format read by the parser of the PyPI package prometheus-client
/// (`prometheus_client.parser.text_string_to_metric_families`), through `python3 -c`: a parser we
/// did not write, as a scraper would read `/metrics`.
enum PrometheusTextParser {
    /// One sample as the parser read it, with its family's name, type and help.
    struct Sample: Decodable, Hashable {
        var family: String
        var type: String
        var help: String
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        samples = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            for sample in family.samples:
                samples.append({"family": family.name, "type": family.type, "help": family.documentation,
                                "name": sample.name, "labels": sample.labels, "value": sample.value})
        json.dump(samples, sys.stdout)
        """

    /// Parses `text`; throws with the parser's message when it rejects it (or is not installed:
    /// `python3 -m pip install prometheus-client`).
    static func parse(_ text: String) throws -> [Sample] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "prometheus_client rejected the text or is missing:\n\(message)")
        }
        return try JSONDecoder().decode([Sample].self, from: data)
    }
}
