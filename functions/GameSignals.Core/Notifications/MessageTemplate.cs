using System.Text;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;
using GameSignals.Stats;

namespace GameSignals.Notifications;

/// <summary>
/// A title or body with <c>{path}</c> placeholders (the same paths as conditions), parsed once.
/// <c>{{</c> and <c>}}</c> write literal braces. A stats message's template (a rule on a moment, docs/design.md "Stats
/// among similar players") may also name the player's standing among peers: <c>{peers.FEATURE.value|median|percentile}</c>
/// and <c>{peers.k}</c> (<see cref="PeerPlaceholder"/>).
/// </summary>
public sealed class MessageTemplate
{
    // Each part is literal text, a path or a peer placeholder.
    private readonly object[] _parts;

    private MessageTemplate(string text, object[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>The features whose standing among peers the template shows, in order of appearance.</summary>
    public IEnumerable<string> PeerFeatures => _parts.OfType<PeerPlaceholder>().Select(p => p.Feature).OfType<string>();

    /// <summary>Parses a template; <paramref name="allowPeers"/> admits <c>{peers...}</c> (stats messages only).</summary>
    public static bool TryParse(string text, bool allowPeers, out MessageTemplate? template, out CelError? error)
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

                object part;
                var inner = text[(i + 1)..end];
                if (PeerPlaceholder.Names(inner))
                {
                    if (!allowPeers)
                    {
                        error = new CelError(i + 1, "{peers...} is only for rules on a moment (eventType moment.*)");
                        return false;
                    }

                    if (!PeerPlaceholder.TryParse(inner, out var peer, out var cause))
                    {
                        error = new CelError(i + 1, cause!);
                        return false;
                    }

                    part = peer!;
                }
                else if (ValuePath.TryParse(inner, out var path, out var pathError))
                {
                    part = path!;
                }
                else
                {
                    error = pathError! with { Position = pathError.Position + i + 1 };
                    return false;
                }

                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(part);
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

    /// <summary>The text for <paramref name="e"/>; <paramref name="peers"/> fills the peer placeholders (nothing without it).</summary>
    public string Render(GameEvent e, PeerStanding? peers = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var builder = new StringBuilder(Text.Length + 16);
        foreach (var part in _parts)
        {
            switch (part)
            {
                case ValuePath path:
                    path.AppendTo(builder, e);
                    break;
                case PeerPlaceholder peer:
                    peer.AppendTo(builder, peers);
                    break;
                default:
                    builder.Append((string)part);
                    break;
            }
        }

        return builder.ToString();
    }

    public override string ToString() => Text;
}
