namespace GameSignals.Notifications;

/// <summary>One thing wrong with a rule: the field (<c>rules[2].condition</c>), the position inside a condition or template when it applies, and why.</summary>
public sealed record RuleProblem(string Field, int? Position, string Cause)
{
    public override string ToString() => Position is { } p ? $"{Field} at column {p + 1}: {Cause}" : $"{Field}: {Cause}";
}
