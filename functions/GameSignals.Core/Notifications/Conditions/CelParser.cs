using System.Runtime.CompilerServices;

namespace GameSignals.Notifications.Conditions;

/// <summary>
/// Recursive-descent parser for the contract's CEL subset, with CEL's precedence:
/// <c>||</c> &lt; <c>&amp;&amp;</c> &lt; relations and <c>in</c> &lt; <c>+ -</c> &lt; <c>* / %</c> &lt; unary <c>! -</c> &lt; member access.
/// </summary>
/// <remarks>
/// Safe for any input: the parser's own recursion (parentheses, lists, arguments, unary operators) and the
/// height of the tree it builds (which bounds the compiler's and the evaluator's recursion, and counts every
/// operator of a left-associative chain such as <c>1 + 1 + ... + 1</c>) are both limited to <see cref="MaxDepth"/>;
/// chains of <c>&amp;&amp;</c> and of <c>||</c> are kept flat. As a last line, a stack that is nevertheless
/// too small for the next level is reported as a syntax error instead of overflowing.
/// </remarks>
internal sealed class CelParser
{
    /// <summary>Deepest nesting accepted; CEL requires at least 32 levels and 32 repetitions of an operator.</summary>
    public const int MaxDepth = 100;

    /// <summary>Most elements in one list literal.</summary>
    public const int MaxListElements = 1000;

    private static readonly HashSet<string> Keywords = ["true", "false", "null", "in"];

    private static readonly HashSet<string> Reserved =
        ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"];

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private CelParser(List<Token> tokens) => _tokens = tokens;

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(CelLexer.Tokenize(text));
        var expr = parser.ParseExpr();
        var rest = parser.Peek;
        return rest.Kind == TokenKind.End ? expr : throw new CelSyntaxException(rest.Position, $"unexpected {Describe(rest)}");
    }

    private Token Peek => _tokens[_next];

    private bool IsOperator(string op) => Peek.Kind == TokenKind.Operator && Peek.Text == op;

    private bool Accept(string op)
    {
        if (!IsOperator(op))
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new CelSyntaxException(Peek.Position, $"expected '{op}' but found {Describe(Peek)}");
        }
    }

    private static string Describe(Token token) => token.Kind == TokenKind.End ? "the end of the expression" : $"'{token.Text}'";

    private void Enter(int position)
    {
        if (++_depth > MaxDepth)
        {
            throw TooDeep(position);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new CelSyntaxException(position, "the expression is nested too deeply for the available stack");
        }
    }

    private static CelSyntaxException TooDeep(int position) =>
        new(position, $"the expression is nested too deeply (more than {MaxDepth} levels; each operator of a chain such as 1 + 2 + 3 counts as one)");

    /// <summary>Returns <paramref name="expr"/> once its height is known to be within the limit.</summary>
    private static T Bounded<T>(T expr)
        where T : CelExpr => expr.Height <= MaxDepth ? expr : throw TooDeep(expr.Position);

    private CelExpr ParseExpr()
    {
        Enter(Peek.Position);
        var expr = ParseLogical(isAnd: false);
        _depth--;
        return expr;
    }

    private CelExpr ParseLogical(bool isAnd)
    {
        var op = isAnd ? "&&" : "||";
        var first = isAnd ? ParseRelation() : ParseLogical(isAnd: true);
        if (!IsOperator(op))
        {
            return first;
        }

        var operands = new List<CelExpr> { first };
        var positions = new List<int>();
        while (IsOperator(op))
        {
            positions.Add(_tokens[_next++].Position);
            operands.Add(isAnd ? ParseRelation() : ParseLogical(isAnd: true));
        }

        return Bounded(new CelLogical(positions[0], isAnd, operands, positions));
    }

    private CelExpr ParseRelation()
    {
        var left = ParseAdditive();
        while (Peek is { Kind: TokenKind.Operator, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" } || Peek is { Kind: TokenKind.Identifier, Text: "in" })
        {
            var op = _tokens[_next++];
            left = Bounded(new CelBinary(op.Position, op.Text, left, ParseAdditive()));
        }

        return left;
    }

    private CelExpr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek is { Kind: TokenKind.Operator, Text: "+" or "-" })
        {
            var op = _tokens[_next++];
            left = Bounded(new CelBinary(op.Position, op.Text, left, ParseMultiplicative()));
        }

        return left;
    }

    private CelExpr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek is { Kind: TokenKind.Operator, Text: "*" or "/" or "%" })
        {
            var op = _tokens[_next++];
            left = Bounded(new CelBinary(op.Position, op.Text, left, ParseUnary()));
        }

        return left;
    }

    private CelExpr ParseUnary()
    {
        if (Peek is not { Kind: TokenKind.Operator, Text: "!" or "-" })
        {
            return ParseMember();
        }

        var op = _tokens[_next++];
        if (op.Text == "-" && Peek.Kind is TokenKind.Int or TokenKind.Double && !IsMemberAfterNumber())
        {
            var number = _tokens[_next++];
            return number.Kind == TokenKind.Double
                ? new CelLiteral(op.Position, CelValue.FromDouble(-number.Double))
                : number.Magnitude <= 1UL << 63
                    ? new CelLiteral(op.Position, CelValue.FromInt(unchecked(-(long)number.Magnitude)))
                    : throw OutOfRange(number);
        }

        Enter(op.Position);
        var operand = ParseUnary();
        _depth--;
        return Bounded(new CelUnary(op.Position, op.Text, operand));
    }

    private static CelSyntaxException OutOfRange(Token number) => new(number.Position, $"the integer {number.Text} is out of the int64 range");

    private bool IsMemberAfterNumber() => _tokens[_next + 1] is { Kind: TokenKind.Operator, Text: "." };

    private CelExpr ParseMember()
    {
        var expr = ParsePrimary();
        while (Accept("."))
        {
            var name = Peek;
            if (name.Kind != TokenKind.Identifier)
            {
                throw new CelSyntaxException(name.Position, $"expected a field or method name after '.' but found {Describe(name)}");
            }

            if (Keywords.Contains(name.Text))
            {
                throw new CelSyntaxException(name.Position, $"'{name.Text}' is a keyword and cannot be a field name");
            }

            _next++;
            expr = Bounded<CelExpr>(IsOperator("(")
                ? new CelCall(name.Position, expr, name.Text, ParseArguments())
                : new CelSelect(name.Position, expr, name.Text));
        }

        if (IsOperator("["))
        {
            throw new CelSyntaxException(Peek.Position, "indexing with [ ] is not supported; select fields with '.'");
        }

        return expr;
    }

    private List<CelExpr> ParseArguments()
    {
        Expect("(");
        var args = ParseItems(")");
        Expect(")");
        return args;
    }

    private List<CelExpr> ParseItems(string close)
    {
        var items = new List<CelExpr>();
        if (IsOperator(close))
        {
            return items;
        }

        do
        {
            if (items.Count == MaxListElements)
            {
                throw new CelSyntaxException(Peek.Position, $"a list or call has more than {MaxListElements} elements");
            }

            items.Add(ParseExpr());
        }
        while (Accept(","));
        return items;
    }

    private CelExpr ParsePrimary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Int:
                _next++;
                return token.Magnitude <= long.MaxValue ? new CelLiteral(token.Position, CelValue.FromInt((long)token.Magnitude)) : throw OutOfRange(token);
            case TokenKind.Double:
                _next++;
                return new CelLiteral(token.Position, CelValue.FromDouble(token.Double));
            case TokenKind.String:
                _next++;
                return new CelLiteral(token.Position, CelValue.FromLiteral(token.Value!));
            case TokenKind.Identifier:
                _next++;
                return token.Text switch
                {
                    "true" or "false" => new CelLiteral(token.Position, CelValue.FromBool(token.Text == "true")),
                    "null" => new CelLiteral(token.Position, CelValue.Null),
                    "in" => throw new CelSyntaxException(token.Position, "unexpected 'in'"),
                    _ when Reserved.Contains(token.Text) => throw new CelSyntaxException(token.Position, $"'{token.Text}' is a reserved word"),
                    _ when IsOperator("(") => Bounded(new CelCall(token.Position, null, token.Text, ParseArguments())),
                    _ => new CelIdent(token.Position, token.Text),
                };
            case TokenKind.Operator when token.Text == "(":
                _next++;
                var inner = ParseExpr();
                Expect(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                _next++;
                var items = ParseItems("]");
                Expect("]");
                return Bounded(new CelList(token.Position, items));
            default:
                throw new CelSyntaxException(token.Position, token.Kind == TokenKind.End ? "the expression ends too early" : $"unexpected {Describe(token)}");
        }
    }
}
