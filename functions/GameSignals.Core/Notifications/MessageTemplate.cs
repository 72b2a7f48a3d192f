using System.Text;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Notifications;

/// <summary>
/// A title or body with <c>{path}</c> placeholders (the same paths as conditions), parsed once.
/// <c>{{</c> and <c>}}</c> write literal braces.
/// </summary>
public sealed class MessageTemplate
{
    // Each part is literal text or a path.
    private readonly object[] _parts;

    private MessageTemplate(string text, object[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    public static bool TryParse(string text, out MessageTemplate? template, out CelError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        template = null;
        error = null;
        var parts = new List<object>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '}')
            {
                error = new CelError(i, "'}' without '{'; write '}}' for a literal brace");
                return false;
            }
            else if (c == '{')
            {
                var end = text.IndexOf('}', i + 1);
                if (end < 0)
                {
                    error = new CelError(i, "the placeholder is not closed with '}'");
                    return false;
                }

                if (!ValuePath.TryParse(text[(i + 1)..end], out var path, out var pathError))
                {
                    error = pathError! with { Position = pathError.Position + i + 1 };
                    return false;
                }

                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(path!);
                i = end;
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        template = new MessageTemplate(text, [.. parts]);
        return true;
    }

    public string Render(GameEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var builder = new StringBuilder(Text.Length + 16);
        foreach (var part in _parts)
        {
            if (part is ValuePath path)
            {
                path.AppendTo(builder, e);
            }
            else
            {
                builder.Append((string)part);
            }
        }

        return builder.ToString();
    }

    public override string ToString() => Text;
}
