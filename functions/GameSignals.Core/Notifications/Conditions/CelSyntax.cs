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

/// <summary>
/// The parsed expression. Every node keeps its position for error messages and its height (1 for a leaf),
/// which the parser bounds so that the recursive compiler and evaluator stay within a small stack.
/// </summary>
internal abstract record CelExpr(int Position, int Height);

internal sealed record CelLiteral(int Position, CelValue Value) : CelExpr(Position, 1);

internal sealed record CelIdent(int Position, string Name) : CelExpr(Position, 1);

internal sealed record CelSelect(int Position, CelExpr Operand, string Field) : CelExpr(Position, Operand.Height + 1);

/// <summary>A global call <c>f(args)</c> (Target null) or a method call <c>target.f(args)</c>.</summary>
internal sealed record CelCall(int Position, CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args)
    : CelExpr(Position, Math.Max(Target?.Height ?? 0, Args.Count == 0 ? 0 : Args.Max(a => a.Height)) + 1);

internal sealed record CelUnary(int Position, string Operator, CelExpr Operand) : CelExpr(Position, Operand.Height + 1);

internal sealed record CelBinary(int Position, string Operator, CelExpr Left, CelExpr Right) : CelExpr(Position, Math.Max(Left.Height, Right.Height) + 1);

/// <summary>
/// A chain <c>a &amp;&amp; b &amp;&amp; c</c> or <c>a || b || c</c>, kept flat (one level however long): both
/// operators are associative, and a long chain of alternatives is an ordinary condition.
/// </summary>
internal sealed record CelLogical(int Position, bool IsAnd, IReadOnlyList<CelExpr> Operands, IReadOnlyList<int> OperatorPositions)
    : CelExpr(Position, Operands.Max(o => o.Height) + 1);

internal sealed record CelList(int Position, IReadOnlyList<CelExpr> Items) : CelExpr(Position, (Items.Count == 0 ? 0 : Items.Max(i => i.Height)) + 1);

internal enum TokenKind { End, Identifier, Int, Double, String, Operator }

/// <summary>
/// One token. An int keeps its magnitude unsigned so that <c>-9223372036854775808</c> can be read; the parser
/// rejects a magnitude no int64 holds. A string keeps its decoded value in <see cref="Value"/>.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, ulong Magnitude = 0, double Double = 0, string? Value = null);
