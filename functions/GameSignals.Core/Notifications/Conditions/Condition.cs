using System.Text;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>What a condition said about one event.</summary>
public enum ConditionOutcome
{
    Match,
    NoMatch,

    /// <summary>A field the condition reads is absent: no match, counted.</summary>
    MissingField,

    /// <summary>An evaluation error (e.g. a number compared with a string, division by zero): no match, counted.</summary>
    Error,
}

/// <summary>
/// A rule's CEL condition (contract §3), compiled once into a tree of evaluator nodes.
/// </summary>
/// <remarks>
/// Hand-written rather than the young <c>Cel</c> 0.3.3 package: save-time errors need the position
/// and cause of every problem, and evaluation must not allocate per event (values are structs,
/// JSON fields are read in place), which a general object-model interpreter does not give.
/// </remarks>
public sealed class Condition
{
    /// <summary>Longest condition accepted; with the parser's depth limit it bounds the work of compiling one.</summary>
    public const int MaxLength = 4096;

    private readonly CelNode _root;

    private Condition(string text, CelNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Parses, type-checks and compiles <paramref name="text"/>; every problem is returned with its position.</summary>
    public static bool TryCompile(string text, out Condition? condition, out IReadOnlyList<CelError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            condition = null;
            errors = [new CelError(MaxLength, $"the condition is longer than {MaxLength} characters")];
            return false;
        }

        var (node, type, problems) = CelCompiler.Compile(text);
        if (node is not null && type is not (CelType.Bool or CelType.Dyn))
        {
            problems = [new CelError(0, $"the condition must be a bool, not a {type.ToString().ToLowerInvariant()}")];
        }

        errors = problems;
        condition = problems.Count == 0 ? new Condition(text, node!) : null;
        return condition is not null;
    }

    /// <summary>Compiles a condition known to be valid (rules already checked when saved).</summary>
    public static Condition Compile(string text) =>
        TryCompile(text, out var condition, out var errors)
            ? condition!
            : throw new ArgumentException($"invalid condition '{text}': {string.Join("; ", errors)}", nameof(text));

    /// <summary>Evaluates against one event. Never throws and allocates nothing for the contract's subset.</summary>
    public ConditionOutcome Evaluate(GameEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _root.Test(e) switch
        {
            Truth.True => ConditionOutcome.Match,
            Truth.False => ConditionOutcome.NoMatch,
            Truth.Missing => ConditionOutcome.MissingField,
            _ => ConditionOutcome.Error,
        };
    }

    public override string ToString() => Text;
}

/// <summary>A value path as conditions and template placeholders use it: an envelope attribute, <c>data</c> or <c>data.a.b</c>.</summary>
public sealed class ValuePath
{
    private readonly CelNode _node;

    private ValuePath(string text, CelNode node)
    {
        Text = text;
        _node = node;
    }

    public string Text { get; }

    public static bool TryParse(string text, out ValuePath? path, out CelError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        path = null;
        error = null;
        try
        {
            var expr = CelParser.Parse(text);
            if (!CelCompiler.IsPath(expr))
            {
                error = new CelError(expr.Position, expr is CelIdent ident
                    ? CelCompiler.UnknownIdentifier(ident.Name)
                    : $"'{text.Trim()}' is not a path; use an envelope attribute (type, source, gameid, userid, characterid, server) or data.field");
                return false;
            }

            path = new ValuePath(text.Trim(), CelCompiler.CompilePath(expr));
            return true;
        }
        catch (CelSyntaxException ex)
        {
            error = ex.Error;
            return false;
        }
    }

    public CelValue Resolve(GameEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _node.Evaluate(e);
    }

    /// <summary>Appends the value as text (numbers as written in the JSON); a missing value appends nothing.</summary>
    public void AppendTo(StringBuilder builder, GameEvent e)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Resolve(e).AppendTo(builder);
    }

    public override string ToString() => Text;
}
