namespace GameSignals.Notifications.Conditions;

/// <summary>A problem in a condition or template: where (0-based character offset) and why.</summary>
public sealed record CelError(int Position, string Cause)
{
    public override string ToString() => $"at column {Position + 1}: {Cause}";
}

/// <summary>Thrown by the lexer and parser; callers turn it into a <see cref="CelError"/>.</summary>
internal sealed class CelSyntaxException(int position, string cause) : Exception(cause)
{
    public CelError Error { get; } = new(position, cause);
}

/// <summary>The parsed expression. Every node keeps its position for error messages.</summary>
internal abstract record CelExpr(int Position);

internal sealed record CelLiteral(int Position, CelLiteralKind Kind, double Number, string? Text, bool Bool) : CelExpr(Position);

internal enum CelLiteralKind { Int, Double, String, Bool, Null }

internal sealed record CelIdent(int Position, string Name) : CelExpr(Position);

internal sealed record CelSelect(int Position, CelExpr Operand, string Field) : CelExpr(Position);

/// <summary>A global call <c>f(args)</c> (Target null) or a method call <c>target.f(args)</c>.</summary>
internal sealed record CelCall(int Position, CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr(Position);

internal sealed record CelUnary(int Position, string Operator, CelExpr Operand) : CelExpr(Position);

internal sealed record CelBinary(int Position, string Operator, CelExpr Left, CelExpr Right) : CelExpr(Position);

internal sealed record CelList(int Position, IReadOnlyList<CelExpr> Items) : CelExpr(Position);

internal enum TokenKind { End, Identifier, Int, Double, String, Operator }

internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0);
