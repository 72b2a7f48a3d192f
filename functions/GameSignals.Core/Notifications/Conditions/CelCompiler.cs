using System.Runtime.CompilerServices;
using System.Text;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>Static types the checker knows; <see cref="Dyn"/> is anything read from <c>data</c>, <see cref="Number"/> an int or a double.</summary>
internal enum CelType { Dyn, Int, Double, Number, String, Bool, Null, List, Map }

/// <summary>
/// Type-checks a parsed expression (every problem, with its position) and compiles it into a
/// tree of <see cref="CelNode"/>s, once per rule version.
/// </summary>
internal sealed class CelCompiler
{
    private static readonly Dictionary<string, Func<GameEvent, string?>> Envelope = new(StringComparer.Ordinal)
    {
        ["type"] = e => e.Type,
        ["source"] = e => e.Source,
        ["gameid"] = e => e.GameId,
        ["userid"] = e => e.UserId,
        ["characterid"] = e => e.CharacterId,
        ["server"] = e => e.Server,
    };

    private readonly List<CelError> _errors = [];

    public IReadOnlyList<CelError> Errors => _errors;

    /// <summary>Parses, checks and compiles; on any error the node is null and <see cref="Errors"/> says why.</summary>
    public static (CelNode? Node, CelType Type, IReadOnlyList<CelError> Errors) Compile(string text)
    {
        CelExpr expr;
        try
        {
            expr = CelParser.Parse(text);
        }
        catch (CelSyntaxException ex)
        {
            return (null, CelType.Dyn, [ex.Error]);
        }

        var compiler = new CelCompiler();
        var (node, type) = compiler.Visit(expr);
        return compiler._errors.Count == 0 ? (node, type, []) : (null, type, compiler._errors);
    }

    /// <summary>True when <paramref name="expr"/> is a path: an envelope attribute, <c>data</c> or <c>data.a.b</c>.</summary>
    public static bool IsPath(CelExpr expr) => expr switch
    {
        CelIdent ident => ident.Name == "data" || Envelope.ContainsKey(ident.Name),
        CelSelect select => DataSegments(select) is not null,
        _ => false,
    };

    internal static string UnknownIdentifier(string name) =>
        $"unknown identifier '{name}'; use data.{name} or one of data, {string.Join(", ", Envelope.Keys)}";

    private static List<string>? DataSegments(CelExpr expr)
    {
        switch (expr)
        {
            case CelIdent { Name: "data" }:
                return [];
            case CelSelect select when DataSegments(select.Operand) is { } segments:
                segments.Add(select.Field);
                return segments;
            default:
                return null;
        }
    }

    private static DataPathNode DataPath(List<string> segments) => new([.. segments.Select(s => Encoding.UTF8.GetBytes(s))]);

    /// <summary>The node reading a path of data: a single field (the usual <c>data.x</c>) has its own, lighter node.</summary>
    private static CelNode DataValue(List<string> segments) => segments.Count == 1 ? new FieldNode(Encoding.UTF8.GetBytes(segments[0])) : DataPath(segments);

    private static string Name(CelType type) => type switch
    {
        CelType.Dyn => "dyn",
        CelType.Int => "int",
        CelType.Double => "double",
        CelType.Number => "number",
        CelType.String => "string",
        CelType.Bool => "bool",
        CelType.Null => "null",
        CelType.List => "list",
        _ => "map",
    };

    private static bool IsNumber(CelType t) => t is CelType.Int or CelType.Double or CelType.Number;

    private static bool Fits(CelType actual, CelType wanted) =>
        actual == CelType.Dyn || actual == wanted || (IsNumber(actual) && IsNumber(wanted));

    private (CelNode Node, CelType Type) Fail(int position, string cause)
    {
        _errors.Add(new CelError(position, cause));
        return (new ConstantNode(CelValue.Error), CelType.Dyn);
    }

    private (CelNode Node, CelType Type) Visit(CelExpr expr)
    {
        // The parser bounds the tree's height; this is the last line should a caller's stack still be too small.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Fail(expr.Position, "the expression is nested too deeply for the available stack");
        }

        return expr switch
        {
            CelLiteral literal => (new ConstantNode(literal.Value), TypeOf(literal.Value)),
            CelIdent ident => VisitIdent(ident),
            CelSelect select => VisitSelect(select),
            CelCall call => VisitCall(call),
            CelUnary unary => VisitUnary(unary),
            CelLogical logical => VisitLogical(logical),
            CelBinary binary => VisitBinary(binary),
            CelList list => Fail(list.Position, "a list can only appear on the right of 'in'"),
            _ => Fail(expr.Position, "unsupported expression"),
        };
    }

    private static CelType TypeOf(CelValue value) => value.Kind switch
    {
        CelKind.IntNumber => CelType.Int,
        CelKind.DoubleNumber => CelType.Double,
        CelKind.Text => CelType.String,
        CelKind.Bool => CelType.Bool,
        _ => CelType.Null,
    };

    private (CelNode, CelType) VisitIdent(CelIdent ident)
    {
        if (ident.Name == "data")
        {
            return (DataPath([]), CelType.Map);
        }

        return Envelope.TryGetValue(ident.Name, out var read)
            ? (new EnvelopeNode(read), CelType.String)
            : Fail(ident.Position, UnknownIdentifier(ident.Name));
    }

    private (CelNode, CelType) VisitSelect(CelSelect select)
    {
        if (DataSegments(select) is { } segments)
        {
            return (DataValue(segments), CelType.Dyn);
        }

        var (_, operandType) = Visit(select.Operand);
        return Fail(select.Position, $"cannot select field '{select.Field}' of a {Name(operandType)}; fields are selected from data");
    }

    private (CelNode, CelType) VisitCall(CelCall call)
    {
        if (call.Target is null)
        {
            if (call.Function != "has")
            {
                return Fail(call.Position, $"unknown function '{call.Function}'");
            }

            if (call.Args.Count != 1 || call.Args[0] is not CelSelect select || DataSegments(select) is not { } segments)
            {
                return Fail(call.Args.Count > 0 ? call.Args[0].Position : call.Position, "has() takes one field selection such as has(data.x)");
            }

            return (new HasNode(DataPath(segments)), CelType.Bool);
        }

        StringMethod? method = call.Function switch
        {
            "startsWith" => StringMethod.StartsWith,
            "endsWith" => StringMethod.EndsWith,
            "contains" => StringMethod.Contains,
            _ => null,
        };
        if (method is null)
        {
            return Fail(call.Position, $"unknown function '{call.Function}'");
        }

        var (target, targetType) = Visit(call.Target);
        if (call.Args.Count != 1)
        {
            return Fail(call.Position, $"{call.Function}() takes one argument, not {call.Args.Count}");
        }

        var (argument, argumentType) = Visit(call.Args[0]);
        if (!Fits(targetType, CelType.String))
        {
            return Fail(call.Target.Position, $"{call.Function}() applies to a string, not a {Name(targetType)}");
        }

        if (!Fits(argumentType, CelType.String))
        {
            return Fail(call.Args[0].Position, $"{call.Function}() takes a string argument, not a {Name(argumentType)}");
        }

        return (FieldTests.StringMethod(method.Value, target, argument, new StringMethodNode(method.Value, target, argument)), CelType.Bool);
    }

    private (CelNode, CelType) VisitUnary(CelUnary unary)
    {
        var (operand, type) = Visit(unary.Operand);
        if (unary.Operator == "!")
        {
            return Fits(type, CelType.Bool)
                ? (new NotNode(operand), CelType.Bool)
                : Fail(unary.Position, $"operator '!' cannot be applied to a {Name(type)}");
        }

        return IsNumber(type) || type == CelType.Dyn
            ? (new NegateNode(operand), type == CelType.Dyn ? CelType.Number : type)
            : Fail(unary.Position, $"operator '-' cannot be applied to a {Name(type)}");
    }

    private (CelNode, CelType) VisitLogical(CelLogical logical)
    {
        var op = logical.IsAnd ? "&&" : "||";
        var nodes = new CelNode[logical.Operands.Count];
        var types = new CelType[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            (nodes[i], types[i]) = Visit(logical.Operands[i]);
        }

        for (var i = 0; i < nodes.Length; i++)
        {
            if (!Fits(types[i], CelType.Bool))
            {
                // The operator next to the operand: before it, or after it for the first one.
                var at = logical.OperatorPositions[Math.Max(i - 1, 0)];
                var (l, r) = i == 0 ? (types[0], types[1]) : (types[i - 1], types[i]);
                return Fail(at, $"operator '{op}' cannot be applied to {Name(l)} and {Name(r)}");
            }
        }

        // Cheapest operands first, so a decisive one is found with the least work: the order cannot change the
        // result, as CEL's && and || are commutative (errors included, see LogicalNode).
        var cheapestFirst = nodes.Zip(logical.Operands, (node, operand) => (node, Size(operand))).OrderBy(pair => pair.Item2).Select(pair => pair.node);
        return (new LogicalNode(logical.IsAnd, [.. cheapestFirst]), CelType.Bool);
    }

    /// <summary>The number of nodes of an expression: how much evaluating it costs, roughly.</summary>
    private static int Size(CelExpr expr) => expr switch
    {
        CelSelect select => 1 + Size(select.Operand),
        CelCall call => 1 + (call.Target is null ? 0 : Size(call.Target)) + call.Args.Sum(Size),
        CelUnary unary => 1 + Size(unary.Operand),
        CelBinary binary => 1 + Size(binary.Left) + Size(binary.Right),
        CelLogical logical => 1 + logical.Operands.Sum(Size),
        CelList list => 1 + list.Items.Sum(Size),
        _ => 1,
    };

    private (CelNode, CelType) VisitBinary(CelBinary binary)
    {
        if (binary.Operator == "in")
        {
            return VisitIn(binary);
        }

        var (left, l) = Visit(binary.Left);
        var (right, r) = Visit(binary.Right);
        var mismatch = $"operator '{binary.Operator}' cannot be applied to {Name(l)} and {Name(r)}";
        switch (binary.Operator)
        {
            case "+" when l == CelType.String || r == CelType.String:
                return Fits(l, CelType.String) && Fits(r, CelType.String)
                    ? (new ArithmeticNode('+', left, right), CelType.String)
                    : Fail(binary.Position, mismatch);
            case "+" or "-" or "*" or "/" or "%":
                if (!Fits(l, CelType.Double) || !Fits(r, CelType.Double))
                {
                    return Fail(binary.Position, mismatch);
                }

                // int op int is an int; a double on either side makes a double (the contract's mixing rule).
                var type = l == CelType.Dyn && r == CelType.Dyn ? CelType.Dyn
                    : l == CelType.Int && r == CelType.Int ? CelType.Int
                    : l == CelType.Double || r == CelType.Double ? CelType.Double
                    : CelType.Number;
                return (new ArithmeticNode(binary.Operator[0], left, right), type);
            case "==" or "!=":
                var comparable = l == r || l == CelType.Dyn || r == CelType.Dyn || l == CelType.Null || r == CelType.Null || (IsNumber(l) && IsNumber(r));
                var equality = binary.Operator == "==" ? Comparison.Equal : Comparison.NotEqual;
                return comparable && l != CelType.List && r != CelType.List
                    ? (FieldTests.Compare(equality, left, right, new CompareNode(equality, left, right)), CelType.Bool)
                    : Fail(binary.Position, mismatch);
            default:
                var ordered = (Fits(l, CelType.Double) && Fits(r, CelType.Double))
                    || (Fits(l, CelType.String) && Fits(r, CelType.String))
                    || (Fits(l, CelType.Bool) && Fits(r, CelType.Bool));
                if (!ordered)
                {
                    return Fail(binary.Position, mismatch);
                }

                var comparison = binary.Operator switch
                {
                    "<" => Comparison.Less,
                    "<=" => Comparison.LessOrEqual,
                    ">" => Comparison.Greater,
                    _ => Comparison.GreaterOrEqual,
                };
                return (FieldTests.Compare(comparison, left, right, new CompareNode(comparison, left, right)), CelType.Bool);
        }
    }

    private (CelNode, CelType) VisitIn(CelBinary binary)
    {
        var (item, itemType) = Visit(binary.Left);
        if (itemType is CelType.List or CelType.Map)
        {
            return Fail(binary.Left.Position, $"'in' looks for a single value, not a {Name(itemType)}");
        }

        if (binary.Right is CelList list)
        {
            var nodes = new CelNode[list.Items.Count];
            for (var i = 0; i < nodes.Length; i++)
            {
                var (node, type) = Visit(list.Items[i]);
                if (type is CelType.List or CelType.Map)
                {
                    return Fail(list.Items[i].Position, $"a list element must be a single value, not a {Name(type)}");
                }

                nodes[i] = node;
            }

            return (FieldTests.In(item, nodes, new InListNode(item, nodes)), CelType.Bool);
        }

        var (container, containerType) = Visit(binary.Right);
        return containerType is CelType.Dyn or CelType.Map
            ? (new InJsonNode(item, container), CelType.Bool)
            : Fail(binary.Right.Position, $"the right side of 'in' must be a list, not a {Name(containerType)}");
    }

    /// <summary>Compiles a path (already known to be one) into its node.</summary>
    internal static CelNode CompilePath(CelExpr path) => path switch
    {
        CelIdent { Name: "data" } => DataPath([]),
        CelIdent ident => new EnvelopeNode(Envelope[ident.Name]),
        _ => DataValue(DataSegments(path)!),
    };
}
