using Antlr4.Runtime;
using Antlr4.Runtime.Atn;
using Antlr4.Runtime.Misc;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Syntax.Ast;
using StreamX.Idl.Syntax.Generated;

namespace StreamX.Idl.Syntax;

/// <summary>
/// Text → syntax tree. Lexes everything first so lexical problems and hostile nesting are caught
/// before the recursive-descent parser runs (deep recursion would overflow the stack, which .NET
/// cannot catch), then parses with SLL and falls back to full LL only when SLL fails.
/// </summary>
internal static class ThriftSyntaxParser
{
    public static DocumentSyntax? Parse(string path, string text, DiagnosticBag diagnostics, int maxNestingDepth)
    {
        // UTF-16 code units, not code points: SourceSpan columns count UTF-16 code units (as editors do).
        var lexer = new ThriftLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        var tokens = new List<IToken>();
        var depth = 0;
        var syntaxOk = true;
        for (var token = lexer.NextToken(); token.Type != TokenConstants.EOF; token = lexer.NextToken())
        {
            switch (token.Type)
            {
                case ThriftLexer.ERROR_CHAR:
                    if (char.IsLowSurrogate(text[token.StartIndex]) && token.StartIndex > 0 && char.IsHighSurrogate(text[token.StartIndex - 1]))
                    {
                        continue; // second half of a character already reported
                    }

                    diagnostics.Add(DiagnosticDescriptors.InvalidCharacter, Span(path, token), DescribeChar(text, token.StartIndex));
                    syntaxOk = false;
                    if (diagnostics.IsSaturated(path))
                    {
                        return null;
                    }

                    continue;
                case ThriftLexer.UNTERMINATED_LITERAL:
                    diagnostics.Add(DiagnosticDescriptors.UnterminatedString, Span(path, token));
                    syntaxOk = false;

                    // Keep parsing as if the quote were there, so one typo gives one error.
                    var fixedToken = new CommonToken(token) { Type = ThriftLexer.LITERAL, Text = token.Text + token.Text[0] };
                    tokens.Add(fixedToken);
                    continue;
                case ThriftLexer.UNTERMINATED_COMMENT:
                    diagnostics.Add(DiagnosticDescriptors.UnterminatedComment, Span(path, token));
                    syntaxOk = false;
                    continue;
                case ThriftLexer.LBRACE or ThriftLexer.LBRACKET or ThriftLexer.LPAREN or ThriftLexer.LT:
                    if (++depth > maxNestingDepth)
                    {
                        diagnostics.Add(DiagnosticDescriptors.NestingTooDeep, Span(path, token), maxNestingDepth);
                        return null;
                    }

                    break;
                case ThriftLexer.RBRACE or ThriftLexer.RBRACKET or ThriftLexer.RPAREN or ThriftLexer.GT:
                    depth = Math.Max(0, depth - 1);
                    break;
            }

            tokens.Add(token);
        }

        // "unexpected end of file" points at the end of the text (the last token may span lines).
        var lastNewline = text.LastIndexOf('\n');
        var eof = new CommonToken(TokenConstants.EOF, "<EOF>")
        {
            Line = 1 + text.AsSpan().Count('\n'),
            Column = text.Length - (lastNewline + 1),
            StartIndex = text.Length,
            StopIndex = text.Length - 1,
        };
        tokens.Add(eof);

        var stream = new CommonTokenStream(new ListTokenSource(tokens));
        stream.Fill();
        var parser = new ThriftParser(stream);
        parser.RemoveErrorListeners();
        parser.Interpreter.PredictionMode = PredictionMode.SLL;
        parser.ErrorHandler = new BailErrorStrategy();
        ThriftParser.DocumentContext tree;
        try
        {
            tree = parser.document();
        }
        catch (ParseCanceledException)
        {
            stream.Seek(0);
            parser.Reset();
            parser.Interpreter.PredictionMode = PredictionMode.LL;
            parser.ErrorHandler = new DefaultErrorStrategy();
            var listener = new SyntaxErrorListener(path, diagnostics);
            parser.AddErrorListener(listener);
            tree = parser.document();
            syntaxOk = false;
        }

        if (!syntaxOk)
        {
            return null;
        }

        return new SyntaxTreeBuilder(path, stream, diagnostics).Build(tree);
    }

    internal static SourceSpan Span(string path, IToken token)
    {
        var text = token.Text ?? string.Empty;
        var lines = text.Split('\n');
        var endLine = token.Line + lines.Length - 1;
        var endColumn = lines.Length == 1 ? token.Column + 1 + text.Length : lines[^1].Length + 1;
        return new SourceSpan(path, token.Line, token.Column + 1, endLine, endColumn);
    }

    private static string DescribeChar(string text, int index)
    {
        if (index + 1 < text.Length && char.IsSurrogatePair(text[index], text[index + 1]))
        {
            return $"U+{char.ConvertToUtf32(text[index], text[index + 1]):X4}";
        }

        var c = text[index];
        return char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD'
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
    }

    private sealed class SyntaxErrorListener : IAntlrErrorListener<IToken>
    {
        private readonly string _path;
        private readonly DiagnosticBag _diagnostics;

        public SyntaxErrorListener(string path, DiagnosticBag diagnostics)
        {
            _path = path;
            _diagnostics = diagnostics;
        }

        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
        {
            var parser = (Parser)recognizer;
            var found = offendingSymbol.Type == TokenConstants.EOF ? "end of file" : $"'{offendingSymbol.Text}'";
            string message;
            IntervalSet? expected = null;
            try
            {
                expected = e?.GetExpectedTokens() ?? parser.GetExpectedTokens();
            }
            catch (ArgumentException)
            {
                // The expected set is unavailable in some recovery states; the generic message is fine.
            }

            if (expected is not null && expected.Count > 0)
            {
                message = $"unexpected {found}; expected {DescribeExpected(parser.Vocabulary, expected)}";
            }
            else
            {
                message = $"unexpected {found}";
            }

            _diagnostics.Add(DiagnosticDescriptors.SyntaxError, Span(_path, offendingSymbol), message);
        }

        private static string DescribeExpected(IVocabulary vocabulary, IntervalSet expected)
        {
            // The identifier rule admits every keyword; listing them all would bury the point.
            var names = new SortedSet<string>(StringComparer.Ordinal);
            var identifierLike = false;
            foreach (var t in expected.ToList())
            {
                if (t == ThriftLexer.IDENTIFIER || (IdentifierLike.Contains(t) && expected.Contains(ThriftLexer.IDENTIFIER)))
                {
                    identifierLike = true;
                    continue;
                }

                names.Add(t == TokenConstants.EOF ? "end of file" : vocabulary.GetLiteralName(t) ?? vocabulary.GetDisplayName(t).ToLowerInvariant().Replace('_', ' '));
            }

            var all = names.ToList();
            if (identifierLike)
            {
                all.Insert(0, "a name");
            }

            return all.Count switch
            {
                1 => all[0],
                <= 8 => string.Join(", ", all.Take(all.Count - 1)) + " or " + all[^1],
                _ => string.Join(", ", all.Take(8)) + " …",
            };
        }

        // Every token the grammar's `identifier` rule admits (keywords usable as names).
        private static readonly HashSet<int> IdentifierLike = new()
        {
            ThriftLexer.INCLUDE, ThriftLexer.CPP_INCLUDE, ThriftLexer.NAMESPACE, ThriftLexer.CONST, ThriftLexer.TYPEDEF,
            ThriftLexer.ENUM, ThriftLexer.SENUM, ThriftLexer.STRUCT, ThriftLexer.UNION, ThriftLexer.EXCEPTION,
            ThriftLexer.SERVICE, ThriftLexer.EXTENDS, ThriftLexer.ONEWAY, ThriftLexer.VOID, ThriftLexer.THROWS,
            ThriftLexer.REQUIRED, ThriftLexer.OPTIONAL, ThriftLexer.MAP, ThriftLexer.SET, ThriftLexer.LIST,
            ThriftLexer.CPP_TYPE, ThriftLexer.BOOL, ThriftLexer.BYTE, ThriftLexer.I8, ThriftLexer.I16, ThriftLexer.I32,
            ThriftLexer.I64, ThriftLexer.DOUBLE, ThriftLexer.STRING, ThriftLexer.BINARY, ThriftLexer.UUID, ThriftLexer.SLIST,
            ThriftLexer.XSD_ALL, ThriftLexer.XSD_OPTIONAL, ThriftLexer.XSD_NILLABLE, ThriftLexer.XSD_ATTRS,
            ThriftLexer.LEGACY_NAMESPACE, ThriftLexer.XSD_NAMESPACE, ThriftLexer.SMALLTALK_CATEGORY, ThriftLexer.SMALLTALK_PREFIX,
        };
    }
}
