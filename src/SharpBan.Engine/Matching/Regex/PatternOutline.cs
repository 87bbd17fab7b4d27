namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// The group structure of a Python pattern that compiled: where each group opens, where its body starts and where it
/// closes, what kind it is, its parent, its own-level <c>|</c>, and how each of its branches ends (the last item and
/// its quantifier). The whole pattern is a root group without brackets, the parent of the top-level groups. Read for
/// load-time rewrites that must know which parts a match always passes through; escapes, classes and comments are
/// skipped, not interpreted.
/// </summary>
internal sealed class PatternOutline
{
    private PatternOutline(List<Node> groups, bool hasCaseOrVerboseFlag)
    {
        Groups = groups;
        HasCaseOrVerboseFlag = hasCaseOrVerboseFlag;
    }

    /// <summary>The groups in the order they open.</summary>
    public IReadOnlyList<Node> Groups { get; }

    /// <summary>True when an <c>i</c> or <c>x</c> flag appears anywhere (literals then mean more than their text).</summary>
    public bool HasCaseOrVerboseFlag { get; }

    /// <summary>The outline, or null when a construct is not understood (the caller then leaves the pattern alone).</summary>
    public static PatternOutline? Read(string p)
    {
        var root = new Node(NodeKind.Root, open: -1, bodyStart: 0, parent: null, number: 0, name: null, reference: null) { Close = p.Length };
        var groups = new List<Node>();
        var current = root;
        var captures = 0;
        var caseOrVerbose = false;
        var i = 0;
        while (i < p.Length)
        {
            switch (p[i])
            {
                case '\\':
                    current.Item(null, i);
                    i += 2;
                    break;
                case '[':
                    current.Item(null, i);
                    i = ClassEnd(p, i);
                    break;
                case '|':
                    current.Bars.Add(i);
                    current.EndBranch(i);
                    i++;
                    break;
                case ')':
                    if (current.Parent is null)
                    {
                        return null;
                    }

                    current.EndBranch(i);
                    current.Close = i;
                    current.Parent.Item(current, -1);
                    current = current.Parent;
                    i++;
                    break;
                case '(':
                    if (Header(p, i, ref captures, ref caseOrVerbose, current) is not { } node)
                    {
                        return null;
                    }

                    if (node.Kind == NodeKind.Closed)
                    {
                        if (p[i + 2] == 'P')
                        {
                            current.Item(null, i); // a back-reference
                        }

                        i = node.BodyStart;
                        break;
                    }

                    groups.Add(node);
                    current = node;
                    i = node.BodyStart;
                    break;
                case '*' or '+' or '?':
                    i = current.Quantify(p, i, i + 1);
                    break;
                case '{' when PySyntaxCheck.IsRepeat(p, i, out var end, out _, out _):
                    i = current.Quantify(p, i, end);
                    break;
                default:
                    current.Item(null, i);
                    i++;
                    break;
            }
        }

        root.EndBranch(p.Length);
        return current == root && i == p.Length ? new PatternOutline(groups, caseOrVerbose) : null;
    }

    /// <summary>The group opening at <paramref name="open"/>; a <see cref="NodeKind.Closed"/> node for constructs without a body.</summary>
    private static Node? Header(string p, int open, ref int captures, ref bool caseOrVerbose, Node parent)
    {
        if (open + 1 >= p.Length)
        {
            return null;
        }

        if (p[open + 1] != '?')
        {
            return new Node(NodeKind.Capture, open, open + 1, parent, ++captures, name: null, reference: null);
        }

        var rest = p.AsSpan(open + 2);
        if (rest.StartsWith("P<"))
        {
            var close = p.IndexOf('>', open + 4);
            return close < 0 ? null : new Node(NodeKind.Capture, open, close + 1, parent, ++captures, p[(open + 4)..close], reference: null);
        }

        if (rest.StartsWith("#"))
        {
            var commentEnd = PySyntaxCheck.CommentEnd(p, open);
            return commentEnd < 0 ? null : new Node(NodeKind.Closed, open, commentEnd, parent, 0, name: null, reference: null);
        }

        if (rest.StartsWith("P="))
        {
            var close = p.IndexOf(')', open + 3);
            return close < 0 ? null : new Node(NodeKind.Closed, open, close + 1, parent, 0, name: null, reference: null);
        }

        if (rest.StartsWith("("))
        {
            var close = p.IndexOf(')', open + 3);
            return close < 0 ? null : new Node(NodeKind.Conditional, open, close + 1, parent, 0, name: null, p[(open + 3)..close]);
        }

        NodeKind? kind = rest switch
        {
            _ when rest.StartsWith(":") => NodeKind.Plain,
            _ when rest.StartsWith(">") => NodeKind.Plain, // atomic: passed through like any group
            _ when rest.StartsWith("=") || rest.StartsWith("!") => NodeKind.LookAhead,
            _ when rest.StartsWith("<=") || rest.StartsWith("<!") => NodeKind.LookBehind,
            _ => null,
        };
        if (kind is { } k)
        {
            return new Node(k, open, open + (k == NodeKind.LookBehind ? 4 : 3), parent, 0, name: null, reference: null);
        }

        // flags: (?aiLmsux) for the whole pattern, or (?flags-flags:…) for a group
        var end = open + 2;
        while (end < p.Length && "aiLmsux-".Contains(p[end], StringComparison.Ordinal))
        {
            end++;
        }

        if (end == open + 2 || end >= p.Length || p[end] is not (')' or ':'))
        {
            return null;
        }

        caseOrVerbose |= p.AsSpan(open + 2, end - open - 2).ContainsAny('i', 'x');
        return p[end] == ')'
            ? new Node(NodeKind.Closed, open, end + 1, parent, 0, name: null, reference: null)
            : new Node(NodeKind.Plain, open, end + 1, parent, 0, name: null, reference: null);
    }

    /// <summary>The index after the class opening at <paramref name="open"/> (a <c>]</c> first in it is a member).</summary>
    private static int ClassEnd(string p, int open)
    {
        var i = open + 1;
        if (i < p.Length && p[i] == '^')
        {
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            i++;
        }

        while (i < p.Length && p[i] != ']')
        {
            i += p[i] == '\\' ? 2 : 1;
        }

        return i + 1;
    }

    internal enum Quantifier
    {
        None,
        Greedy,
        Lazy,
        Possessive,
    }

    /// <summary>
    /// Where a branch ends (its <c>|</c> or the group's <c>)</c>) and what its last item is: a group, or the text
    /// <c>[LastItemStart, LastItemEnd)</c> before its quantifier (-1 when there is none or the item is a group), and
    /// whether that quantifier has no upper bound (<c>*</c>, <c>+</c>, <c>{m,}</c>). A class, not a struct: generic
    /// collections of it then share the framework's precompiled code instead of being jitted at start-up.
    /// </summary>
    internal sealed record BranchEnd(int Position, Node? LastGroup, Quantifier LastQuantifier, bool LastUnbounded, int LastItemStart, int LastItemEnd);

    internal enum NodeKind
    {
        Root,
        Capture,
        Plain,
        LookAhead,
        LookBehind,
        Conditional,
        Closed,
    }

    /// <summary>
    /// One group: <see cref="Open"/> is its <c>(</c>, <see cref="BodyStart"/> where its body starts (after the
    /// condition of a conditional), <see cref="Close"/> its <c>)</c>. <see cref="Number"/> and <see cref="Name"/>
    /// belong to capturing groups, <see cref="Reference"/> (a name or number) to conditionals.
    /// </summary>
    internal sealed class Node(NodeKind kind, int open, int bodyStart, Node? parent, int number, string? name, string? reference)
    {
        public NodeKind Kind { get; } = kind;

        public int Open { get; } = open;

        public int BodyStart { get; } = bodyStart;

        public Node? Parent { get; } = parent;

        public int Number { get; } = number;

        public string? Name { get; } = name;

        public string? Reference { get; } = reference;

        public int Close { get; set; } = -1;

        /// <summary>Positions of this group's own <c>|</c> (the branches of an alternation or a conditional).</summary>
        public List<int> Bars { get; } = [];

        /// <summary>The end of each branch, in order (one more than <see cref="Bars"/>).</summary>
        public List<BranchEnd> Branches { get; } = [];

        /// <summary>The quantifier after this group's <c>)</c>.</summary>
        public Quantifier Quantifier { get; private set; }

        private Node? _lastGroup;
        private Quantifier _lastQuantifier;
        private bool _lastUnbounded;
        private int _lastItemStart = -1;
        private int _lastItemEnd = -1;

        /// <summary>An item of this group's current branch: a group, or (<paramref name="group"/> null) one starting at <paramref name="start"/>.</summary>
        internal void Item(Node? group, int start)
        {
            _lastGroup = group;
            _lastQuantifier = Quantifier.None;
            _lastUnbounded = false;
            _lastItemStart = start;
            _lastItemEnd = -1;
        }

        /// <summary>A quantifier from <paramref name="start"/> whose repeat part ends before <paramref name="next"/>; returns the index after it.</summary>
        internal int Quantify(string p, int start, int next)
        {
            var kind = next < p.Length && p[next] == '?' ? Quantifier.Lazy : next < p.Length && p[next] == '+' ? Quantifier.Possessive : Quantifier.Greedy;
            _lastQuantifier = kind;
            _lastUnbounded = p[start] is '*' or '+' || (p[start] == '{' && p[next - 2] == ',');
            _lastItemEnd = start;
            _lastGroup?.Quantifier = kind;
            return kind == Quantifier.Greedy ? next : next + 1;
        }

        internal void EndBranch(int position)
        {
            var quantified = _lastItemEnd >= 0 && _lastGroup is null;
            Branches.Add(new BranchEnd(position, _lastGroup, _lastQuantifier, _lastUnbounded, quantified ? _lastItemStart : -1, quantified ? _lastItemEnd : -1));
            _lastGroup = null;
            _lastQuantifier = Quantifier.None;
            _lastUnbounded = false;
            _lastItemStart = _lastItemEnd = -1;
        }

        /// <summary>True when <paramref name="other"/> is this group or inside it.</summary>
        public bool Contains(Node other)
        {
            for (var n = other; n is not null; n = n.Parent)
            {
                if (n == this)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
