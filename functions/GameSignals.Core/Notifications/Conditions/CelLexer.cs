using System.Globalization;
using System.Text;

namespace GameSignals.Notifications.Conditions;

/// <summary>
/// Splits a condition into tokens with CEL's lexis (langdef "Syntax"): identifiers, int, double and string
/// literals (quoted, triple-quoted, raw), operators, the whitespace <c>[\t\n\f\r ]</c> and <c>//</c> comments.
/// </summary>
internal static class CelLexer
{
    private static readonly string[] Operators = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ".", ","];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\f' or '\r')
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] is not ('\n' or '\r'))
                {
                    i++;
                }
            }
            else if (IsStringStart(text, i, out var prefix))
            {
                tokens.Add(ReadString(text, ref i, prefix));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                    ?? throw new CelSyntaxException(i, char.IsWhiteSpace(c)
                        ? $"unexpected whitespace character U+{(int)c:X4}; use a space, tab or line break"
                        : $"unexpected character '{c}'");
                tokens.Add(new Token(TokenKind.Operator, op, i));
                i += op.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    /// <summary>A quote, optionally after <c>r</c>/<c>R</c> (raw); a <c>b</c> prefix (bytes) is read to be refused clearly.</summary>
    private static bool IsStringStart(string text, int i, out string prefix)
    {
        var end = i;
        while (end < text.Length && end - i < 2 && text[end] is 'r' or 'R' or 'b' or 'B')
        {
            end++;
        }

        prefix = text[i..end];
        var isPrefix = prefix.Length == 0 || prefix.ToUpperInvariant() is "R" or "B" or "BR" or "RB";
        return isPrefix && end < text.Length && text[end] is '"' or '\'';
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
        {
            i += 2;
            var digits = i;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                i++;
            }

            if (i == digits)
            {
                throw new CelSyntaxException(start, "a hexadecimal integer needs digits after 0x");
            }

            RejectSuffix(text, i, start);
            return ulong.TryParse(text.AsSpan(digits, i - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
                ? new Token(TokenKind.Int, text[start..i], start, hex)
                : throw new CelSyntaxException(start, $"the integer {text[start..i]} is out of the int64 range");
        }

        var isDouble = false;
        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            isDouble = true;
            i++;
            SkipDigits(text, ref i);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                isDouble = true;
                i = exponent;
                SkipDigits(text, ref i);
            }
        }

        RejectSuffix(text, i, start);
        var spelling = text[start..i];
        if (isDouble)
        {
            var value = double.Parse(spelling, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(value)
                ? new Token(TokenKind.Double, spelling, start, Double: value)
                : throw new CelSyntaxException(start, $"the number {spelling} is out of the double range");
        }

        return ulong.TryParse(spelling, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude)
            ? new Token(TokenKind.Int, spelling, start, magnitude)
            : throw new CelSyntaxException(start, $"the integer {spelling} is out of the int64 range");
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
    }

    private static void RejectSuffix(string text, int i, int start)
    {
        if (i < text.Length && text[i] is 'u' or 'U')
        {
            throw new CelSyntaxException(i, $"unsigned integers ({text[start..(i + 1)]}) are not supported; write {text[start..i]}");
        }

        if (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            throw new CelSyntaxException(i, $"unexpected '{text[i]}' after the number {text[start..i]}");
        }
    }

    private static Token ReadString(string text, ref int i, string prefix)
    {
        var start = i;
        if (prefix.Contains('b', StringComparison.OrdinalIgnoreCase))
        {
            throw new CelSyntaxException(start, "bytes literals (b\"...\") are not supported; conditions compare strings");
        }

        var raw = prefix.Length > 0;
        i += prefix.Length;
        var quote = text[i];
        var triple = i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;
        i += triple ? 3 : 1;
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw new CelSyntaxException(start, "the string is not closed");
            }

            var c = text[i];
            if (c == quote && (!triple || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)))
            {
                i += triple ? 3 : 1;
                return new Token(TokenKind.String, text[start..i], start, Value: value.ToString());
            }

            if (!triple && c is '\n' or '\r')
            {
                throw new CelSyntaxException(start, "the string is not closed before the end of the line; use ''' or \"\"\" for text over several lines");
            }

            if (c == '\\' && !raw)
            {
                ReadEscape(text, ref i, value);
                continue;
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                throw new CelSyntaxException(i, "the string holds a lone surrogate character");
            }

            value.Append(c);
            if (char.IsHighSurrogate(c))
            {
                value.Append(text[++i]);
            }

            i++;
        }
    }

    /// <summary>Reads one escape sequence at <paramref name="i"/> (a backslash) into <paramref name="value"/>.</summary>
    private static void ReadEscape(string text, ref int i, StringBuilder value)
    {
        var at = i;
        if (i + 1 >= text.Length)
        {
            throw new CelSyntaxException(at, "the string is not closed");
        }

        var escape = text[i + 1];
        i += 2;
        switch (escape)
        {
            case '\\' or '\'' or '"' or '`' or '?':
                value.Append(escape);
                return;
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v':
                value.Append(escape switch { 'a' => '\a', 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => '\v' });
                return;
            case 'x' or 'X' or 'u' or 'U':
                AppendCodePoint(value, ReadDigits(text, ref i, escape switch { 'u' => 4, 'U' => 8, _ => 2 }, 16, at), at);
                return;
            case >= '0' and <= '3':
                i--;
                AppendCodePoint(value, ReadDigits(text, ref i, 3, 8, at), at);
                return;
            default:
                throw new CelSyntaxException(at, $"unknown escape sequence '\\{escape}'");
        }
    }

    /// <summary>Exactly <paramref name="count"/> digits of <paramref name="radix"/>: no sign, no space, no fewer.</summary>
    private static int ReadDigits(string text, ref int i, int count, int radix, int at)
    {
        var result = 0;
        for (var n = 0; n < count; n++, i++)
        {
            var digit = i < text.Length ? HexValue(text[i]) : -1;
            if (digit < 0 || digit >= radix)
            {
                throw new CelSyntaxException(at, $"the escape sequence needs {count} {(radix == 16 ? "hexadecimal" : "octal")} digits");
            }

            result = (result * radix) + digit;
        }

        return result;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static void AppendCodePoint(StringBuilder value, int codePoint, int at)
    {
        if (!Rune.IsValid(codePoint))
        {
            throw new CelSyntaxException(at, $"the escape sequence is not a Unicode scalar value (U+{codePoint:X4}: surrogate halves and values past U+10FFFF are not characters)");
        }

        value.Append(new Rune(codePoint).ToString());
    }
}
