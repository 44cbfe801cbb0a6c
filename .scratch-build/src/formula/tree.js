export function isExpr(entry) {
    return entry.kind !== 'colon' && entry.kind !== 'range';
}
/** The direct sub-expressions of a node, in source order. */
export function childrenOf(node) {
    switch (node.kind) {
        case 'negate':
        case 'transpose':
            return [node.arg];
        case 'binary':
            return [node.left, node.right];
        case 'call':
            return node.args;
        case 'index':
            return node.entries;
        case 'list':
            return node.items;
        case 'range':
            return [node.start, node.end];
        default:
            return [];
    }
}
/** A span-free rendering of the tree, so that two readings of a formula can be compared for equality. */
export function treeShape(statement) {
    return JSON.stringify(statement, (key, value) => (key === 'span' || key === 'opSpan' || key === 'nameSpan' || key === 'targetSpan' ? undefined : value));
}
