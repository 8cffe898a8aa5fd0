/// The wanted paths as a tree of keys, so that one pass over a line finds each wanted value with
/// one short comparison per key.
///
/// Node 0 is the top level. Each path is entered twice: its whole text as one key below the top
/// (``FieldPath`` rule 1) and its components as a walk (rule 2); for a one-component path both are
/// the same. A node holds the slots it gives values to, and the slots of the nodes below it in one
/// range of ``subtreeSlots``, so that a repeated key can forget what its earlier value gave them.
struct FieldTrie: Sendable {
    struct Node: Sendable {
        /// Children as a range of ``FieldTrie/edges``.
        var edges: Range<Int> = 0..<0
        /// This node's own slots, a range of ``FieldTrie/nodeSlots``.
        var slots: Range<Int> = 0..<0
        /// The slots of the nodes strictly below this one, a range of ``FieldTrie/subtreeSlots``.
        var below: Range<Int> = 0..<0
        /// Bit `min(n, 63)` is set when some child's key is `n` bytes long: most keys that lead
        /// nowhere are turned away by their length alone.
        var keyLengths: UInt64 = 0
    }

    struct Edge: Sendable {
        /// The key, a range of ``FieldTrie/keyBytes``.
        var key: Range<Int>
        var node: Int
    }

    private(set) var nodes: [Node] = []
    private(set) var edges: [Edge] = []
    private(set) var keyBytes: [UInt8] = []
    private(set) var nodeSlots: [Int] = []
    private(set) var subtreeSlots: [Int] = []

    /// Builds the tree; slot `i` is `paths[i]`.
    init(paths: [FieldPath]) {
        // Built as nested dictionaries first, then laid out flat, children in first-seen order.
        final class Builder {
            var children: [[UInt8]: Builder] = [:]
            var order: [[UInt8]] = []
            var slots: [Int] = []

            func child(_ key: String) -> Builder {
                let bytes = Array(key.utf8)
                if let existing = children[bytes] { return existing }
                let node = Builder()
                children[bytes] = node
                order.append(bytes)
                return node
            }
        }
        let root = Builder()
        for (slot, path) in paths.enumerated() {
            let whole = root.child(path.description)
            whole.slots.append(slot)
            guard path.components.count > 1 else { continue }
            var node = root
            for component in path.components { node = node.child(component) }
            node.slots.append(slot)
        }
        func layOut(_ builder: Builder, at index: Int) {
            nodes[index].slots = nodeSlots.count..<nodeSlots.count + builder.slots.count
            nodeSlots += builder.slots
            let firstEdge = edges.count
            for key in builder.order {
                let start = keyBytes.count
                keyBytes += key
                nodes.append(Node())
                edges.append(Edge(key: start..<keyBytes.count, node: nodes.count - 1))
                nodes[index].keyLengths |= 1 << min(key.count, 63)
            }
            nodes[index].edges = firstEdge..<edges.count
            let belowStart = subtreeSlots.count
            for (offset, key) in builder.order.enumerated() {
                let child = builder.children[key]!
                subtreeSlots += child.slots
                layOut(child, at: edges[firstEdge + offset].node)
            }
            nodes[index].below = belowStart..<subtreeSlots.count
        }
        nodes.append(Node())
        layOut(root, at: 0)
    }

    /// The child of `node` reached by `key`, or nil.
    @inline(__always)
    func child(of node: Int, key: UnsafeRawBufferPointer) -> Int? {
        let node = nodes[node]
        guard node.keyLengths & (1 << min(key.count, 63)) != 0 else { return nil }
        for edgeIndex in node.edges {
            let edge = edges[edgeIndex]
            guard edge.key.count == key.count else { continue }
            var offset = 0
            while offset < key.count && keyBytes[edge.key.lowerBound + offset] == key[offset] { offset += 1 }
            if offset == key.count { return edge.node }
        }
        return nil
    }
}
