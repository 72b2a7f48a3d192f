namespace GameSignals.Notifications.Conditions;

/// <summary>
/// Recursive-descent parser for the contract's CEL subset, with CEL's precedence:
/// <c>||</c> &lt; <c>&amp;&amp;</c> &lt; relations and <c>in</c> &lt; <c>+ -</c> &lt; <c>* / %</c> &lt; unary <c>! -</c> &lt; member access.
/// </summary>
internal sealed class CelParser
{
    private const int MaxDepth = 64;

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private CelParser(List<Token> tokens) => _tokens = tokens;

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(CelLexer.Tokenize(text));
        var expr = parser.ParseOr();
        var rest = parser.Peek;
        return rest.Kind == TokenKind.End ? expr : throw new CelSyntaxException(rest.Position, $"unexpected '{rest.Text}'");
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

    private Token Expect(string op)
    {
        if (!IsOperator(op))
        {
            throw new CelSyntaxException(Peek.Position, $"expected '{op}' but found {Describe(Peek)}");
        }

        return _tokens[_next++];
    }

    private static string Describe(Token token) => token.Kind == TokenKind.End ? "the end of the expression" : $"'{token.Text}'";

    private CelExpr ParseOr()
    {
        if (++_depth > MaxDepth)
        {
            throw new CelSyntaxException(Peek.Position, "the expression is nested too deeply");
        }

        var left = ParseAnd();
        while (IsOperator("||"))
        {
            var op = _tokens[_next++];
            left = new CelBinary(op.Position, "||", left, ParseAnd());
        }

        _depth--;
        return left;
    }

    private CelExpr ParseAnd()
    {
        var left = ParseRelation();
        while (IsOperator("&&"))
        {
            var op = _tokens[_next++];
            left = new CelBinary(op.Position, "&&", left, ParseRelation());
        }

        return left;
    }

    private CelExpr ParseRelation()
    {
        var left = ParseAdditive();
        while (Peek is { Kind: TokenKind.Operator, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" } || Peek is { Kind: TokenKind.Identifier, Text: "in" })
        {
            var op = _tokens[_next++];
            left = new CelBinary(op.Position, op.Text, left, ParseAdditive());
        }

        return left;
    }

    private CelExpr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek is { Kind: TokenKind.Operator, Text: "+" or "-" })
        {
            var op = _tokens[_next++];
            left = new CelBinary(op.Position, op.Text, left, ParseMultiplicative());
        }

        return left;
    }

    private CelExpr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek is { Kind: TokenKind.Operator, Text: "*" or "/" or "%" })
        {
            var op = _tokens[_next++];
            left = new CelBinary(op.Position, op.Text, left, ParseUnary());
        }

        return left;
    }

    private CelExpr ParseUnary()
    {
        if (Peek is { Kind: TokenKind.Operator, Text: "!" or "-" })
        {
            var op = _tokens[_next++];
            if (op.Text == "-" && Peek.Kind is TokenKind.Int or TokenKind.Double && !IsMemberAfterNumber())
            {
                var number = _tokens[_next++];
                return new CelLiteral(op.Position, number.Kind == TokenKind.Int ? CelLiteralKind.Int : CelLiteralKind.Double, -number.Number, null, false);
            }

            if (++_depth > MaxDepth)
            {
                throw new CelSyntaxException(op.Position, "the expression is nested too deeply");
            }

            var operand = ParseUnary();
            _depth--;
            return new CelUnary(op.Position, op.Text, operand);
        }

        return ParseMember();
    }

    private bool IsMemberAfterNumber() => _tokens[_next + 1] is { Kind: TokenKind.Operator, Text: "." };

    private CelExpr ParseMember()
    {
        var expr = ParsePrimary();
        while (IsOperator("."))
        {
            _next++;
            var name = Peek;
            if (name.Kind != TokenKind.Identifier)
            {
                throw new CelSyntaxException(name.Position, $"expected a field or method name after '.' but found {Describe(name)}");
            }

            _next++;
            expr = IsOperator("(")
                ? new CelCall(name.Position, expr, name.Text, ParseArguments())
                : new CelSelect(name.Position, expr, name.Text);
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
        var args = new List<CelExpr>();
        if (!IsOperator(")"))
        {
            do
            {
                args.Add(ParseOr());
            }
            while (Accept(","));
        }

        Expect(")");
        return args;
    }

    private CelExpr ParsePrimary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Int:
                _next++;
                return new CelLiteral(token.Position, CelLiteralKind.Int, token.Number, null, false);
            case TokenKind.Double:
                _next++;
                return new CelLiteral(token.Position, CelLiteralKind.Double, token.Number, null, false);
            case TokenKind.String:
                _next++;
                return new CelLiteral(token.Position, CelLiteralKind.String, 0, token.Text, false);
            case TokenKind.Identifier:
                _next++;
                return token.Text switch
                {
                    "true" or "false" => new CelLiteral(token.Position, CelLiteralKind.Bool, 0, null, token.Text == "true"),
                    "null" => new CelLiteral(token.Position, CelLiteralKind.Null, 0, null, false),
                    "in" => throw new CelSyntaxException(token.Position, "unexpected 'in'"),
                    _ when IsOperator("(") => new CelCall(token.Position, null, token.Text, ParseArguments()),
                    _ => new CelIdent(token.Position, token.Text),
                };
            case TokenKind.Operator when token.Text == "(":
                _next++;
                var inner = ParseOr();
                Expect(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                _next++;
                var items = new List<CelExpr>();
                if (!IsOperator("]"))
                {
                    do
                    {
                        items.Add(ParseOr());
                    }
                    while (Accept(","));
                }

                Expect("]");
                return new CelList(token.Position, items);
            default:
                throw new CelSyntaxException(token.Position, token.Kind == TokenKind.End ? "the expression ends too early" : $"unexpected '{token.Text}'");
        }
    }
}
