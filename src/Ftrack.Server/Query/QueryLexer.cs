using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Ftrack.Server.Query;

internal enum TokenKind { Word, String, Number, Operator, LeftParen, RightParen, Comma, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool IsWord(string keyword) => Kind == TokenKind.Word && string.Equals(Text, keyword, System.StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits a query expression into tokens; any character it cannot place is a ParseError.</summary>
internal static class QueryLexer
{
    public static List<Token> Tokenize(string expression)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            switch (c)
            {
                case '(': tokens.Add(new Token(TokenKind.LeftParen, "(", i++)); continue;
                case ')': tokens.Add(new Token(TokenKind.RightParen, ")", i++)); continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, ",", i++)); continue;
                case '"' or '\'':
                    tokens.Add(new Token(TokenKind.String, ReadString(expression, ref i), start));
                    continue;
                case '=':
                    tokens.Add(new Token(TokenKind.Operator, "=", i++)); continue;
                case '!' when i + 1 < expression.Length && expression[i + 1] == '=':
                    tokens.Add(new Token(TokenKind.Operator, "!=", i)); i += 2; continue;
                case '<' or '>':
                    var op = i + 1 < expression.Length && expression[i + 1] == '=' ? c + "=" : c.ToString();
                    tokens.Add(new Token(TokenKind.Operator, op, i)); i += op.Length; continue;
            }
            if (IsWordChar(c))
            {
                while (i < expression.Length && IsWordChar(expression[i]))
                    i++;
                var text = expression[start..i];
                // Digits make a number; "NaN" and "Infinity", which double.TryParse also takes, are words.
                var digits = text.AsSpan().TrimStart("+-");
                var kind = digits.Length > 0 && (char.IsAsciiDigit(digits[0]) || digits[0] == '.')
                    && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
                    ? TokenKind.Number : TokenKind.Word;
                tokens.Add(new Token(kind, text, start));
                continue;
            }
            throw QueryParser.Error(expression, $"unexpected character '{c}' at position {i}");
        }
        tokens.Add(new Token(TokenKind.End, "", expression.Length));
        return tokens;
    }

    // Brackets belong to paths with a type cast: parent[Shot].name.
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '+' or '$' or '@' or '/' or '[' or ']';

    private static string ReadString(string expression, ref int i)
    {
        var quote = expression[i++];
        var text = new StringBuilder();
        while (i < expression.Length)
        {
            var c = expression[i++];
            if (c == quote)
                return text.ToString();
            if (c == '\\' && i < expression.Length)
            {
                text.Append(expression[i++]);
                continue;
            }
            text.Append(c);
        }
        throw QueryParser.Error(expression, "unterminated string");
    }
}
