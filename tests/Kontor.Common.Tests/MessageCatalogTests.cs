using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Sdk;

namespace Kontor.Common.Tests;

/// <summary>
/// Every message the code raises for people has its Polish and Russian row (src/Kontor.Common/Resources/messages/*.py,
/// generated into Messages.*.resx), found by reading the sources with Roslyn: the template a message's interpolated
/// string gives at run time (<see cref="MessageTemplate"/>) is computed from its syntax the same way.
/// </summary>
public class MessageCatalogTests
{
    private static readonly string Root = typeof(MessageCatalogTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new XunitException("The test assembly does not say where the repository is (AssemblyMetadata RepositoryRoot).");

    [Fact]
    public void Every_message_raised_in_the_code_has_a_polish_and_a_russian_row()
    {
        var found = MessagesInCode();
        var rows = new[] { "pl", "ru" }.ToDictionary(l => l, l => ResxKeys(Path.Combine(Root, "src/Kontor.Common/Resources", $"Messages.{l}.resx")));
        var problems = new StringBuilder();
        foreach (var m in found.Where(m => m.Template is null))
            problems.AppendLine($"{m.Where}: cannot be translated as written ({m.Why}): {m.Text}");
        foreach (var m in found.Where(m => m.Template is not null && !rows.Values.All(r => r.Contains(m.Template!))).DistinctBy(m => m.Template))
            problems.AppendLine($"{m.Where}: no row: {Python(m.Template!)}");
        Assert.True(problems.Length == 0,
            "Messages without a translation (add rows to src/Kontor.Common/Resources/messages/<module>.py, then run generate_resx.py):\n" + problems);
    }

    [Fact]
    public void The_template_read_from_the_source_is_the_one_built_at_run_time()
    {
        var (number, status, due, amount) = ("FV/1/2026", DayOfWeek.Monday, new DateOnly(2026, 11, 25), 12.5m);
        var runTime = Template($"Invoice {number} is {status,-8}; {{braces}} due {due:yyyy-MM-dd}, {amount:N2} left.\n" + $"Second {number}");

        var source = File.ReadAllText(Path.Combine(Root, "tests/Kontor.Common.Tests/MessageCatalogTests.cs"));
        var call = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .First(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "Template" });
        var (fromSource, why) = TemplateOf(call.ArgumentList.Arguments[0].Expression);

        Assert.Null(why);
        Assert.Equal("Invoice {0} is {1,-8}; {{braces}} due {2:yyyy-MM-dd}, {3:N2} left.\nSecond {4}", runTime);
        Assert.Equal(runTime, fromSource);
    }

    [Fact]
    public void A_message_is_said_in_the_readers_language_with_its_values_and_enum_members()
    {
        using (new UiCulture("pl"))
        {
            Assert.Equal("Nie znaleziono: Faktura 'x'.", new NotFoundException("Invoice", "x").Message);
            var ex = new ValidationException("nip", "NIP checksum is invalid");
            Assert.Equal(["Suma kontrolna NIP jest nieprawidłowa"], ex.Errors["nip"]);
            Assert.Equal("Dla DE numer VAT musi mieć postać: 9 cyfr", Assert.Throws<ValidationException>(() => EuVatNumber.Parse("DE12", "vat")).Errors["vat"][0]);
            Assert.Equal("Konta IBAN dla PL mają 28 znaków", Assert.Throws<ValidationException>(() => Iban.Parse("PL12", "iban")).Errors["iban"][0]);
        }
        using (new UiCulture("ru"))
            Assert.Equal("Контрольная сумма NIP неверна", new ValidationException("nip", "NIP checksum is invalid").Errors["nip"][0]);
        using (new UiCulture("en"))
        {
            Assert.Equal("Invoice 'x' was not found.", new NotFoundException("Invoice", "x").Message);
            Assert.Equal("IBAN for PL must have 28 characters", Assert.Throws<ValidationException>(() => Iban.Parse("PL12", "iban")).Errors["iban"][0]);
        }
    }

    [Fact]
    public void A_message_without_a_row_stays_english_with_its_values()
    {
        using var _ = new UiCulture("pl");
        var value = 7;
        Assert.Equal("Nothing like this is translated 7.", new ConflictException($"Nothing like this is translated {value}.").Message);
        Assert.Equal("Nor this.", new ConflictException("Nor this.").Message);
    }

    [Fact]
    public void An_interpolated_string_in_a_conditional_is_a_plain_string_so_it_is_looked_up_whole()
    {
        // Why the catalog test asks for if/else instead of ?: around interpolated messages: the compiler gives the
        // conditional its natural type, string, and the handler never sees the template.
        var (flag, value) = (true, 5);
        Assert.Equal("string", Which(flag ? $"a {value}" : $"b {value}"));
        Assert.Equal("template", Which($"a {value}"));
        Assert.Equal("string", Which("a"));
        Assert.Equal("string", Which($"a {value}" + " b"));
        Assert.Equal("template", Which($"a {value}" + $" b"));
    }

    private static string Which(string _) => "string";

    private static string Which(MessageTemplate _) => "template";

    private static string Template(MessageTemplate message) => message.Template;

    private sealed record Found(string Where, string Text, string? Template, string? Why);

    /// <summary>Where a message for people is given: the exception types that carry one, ValidationErrors, Messages.</summary>
    private static List<Found> MessagesInCode()
    {
        var files = new[] { "src/Kontor.Core", "src/Kontor.Common", "src/Kontor.Web/Hosting" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}"));
        var found = new List<Found>();
        foreach (var file in files)
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var node in root.DescendantNodes())
            {
                var message = node switch
                {
                    BaseObjectCreationExpressionSyntax { ArgumentList: { } args } create when TypeName(create) is { } type => type switch
                    {
                        "ConflictException" or "LedgerPostingException" when args.Arguments.Count == 1 => args.Arguments[0].Expression,
                        "ValidationException" or "ForbiddenException" when args.Arguments.Count == 2 => args.Arguments[1].Expression,
                        "NotFoundException" when args.Arguments.Count == 2 => args.Arguments[0].Expression,
                        _ => null,
                    },
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments: var a } => (access.Expression, access.Name.Identifier.ValueText, a.Count) switch
                    {
                        (IdentifierNameSyntax receiver, "Add", 2) when receiver.Identifier.ValueText.EndsWith("rrors", StringComparison.Ordinal) => a[1].Expression,
                        (IdentifierNameSyntax receiver, "Require", 3) when receiver.Identifier.ValueText.EndsWith("rrors", StringComparison.Ordinal) => a[2].Expression,
                        (IdentifierNameSyntax { Identifier.ValueText: "Messages" }, "Format" or "Translate", > 0) => a[0].Expression,
                        _ => null,
                    },
                    _ => null,
                };
                if (message is null) continue;
                var where = $"{Path.GetRelativePath(Root, file)}:{message.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                foreach (var (template, why) in Templates(message))
                    if (template is not null || why is not null)
                        found.Add(new Found(where, message.ToString(), template, why));
            }
        }
        return found;
    }

    private static string? TypeName(BaseObjectCreationExpressionSyntax create) => create switch
    {
        ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax n } => n.Identifier.ValueText,
        ObjectCreationExpressionSyntax { Type: QualifiedNameSyntax q } => q.Right.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The templates a message expression can give; a value computed elsewhere (a variable, a call) gives none.</summary>
    private static IEnumerable<(string? Template, string? Why)> Templates(ExpressionSyntax message)
    {
        switch (message)
        {
            case ConditionalExpressionSyntax c:
                // Each branch is a string (no handler flows through ?:), so only constant branches are looked up.
                foreach (var branch in new[] { c.WhenTrue, c.WhenFalse })
                    foreach (var t in Templates(branch))
                        yield return t.Template is not null && branch is not LiteralExpressionSyntax && HasHoles(branch)
                            ? (null, "an interpolated string in a ?: branch becomes a plain string; use if/else or a Messages.Format")
                            : t;
                yield break;
            case SwitchExpressionSyntax s:
                foreach (var arm in s.Arms)
                    foreach (var t in Templates(arm.Expression))
                        yield return t.Template is not null && HasHoles(arm.Expression)
                            ? (null, "an interpolated string in a switch arm becomes a plain string; use a Messages.Format")
                            : t;
                yield break;
            case ParenthesizedExpressionSyntax p:
                foreach (var t in Templates(p.Expression)) yield return t;
                yield break;
            default:
                yield return TemplateOf(message);
                yield break;
        }
    }

    private static bool HasHoles(ExpressionSyntax e) => e.DescendantNodesAndSelf().OfType<InterpolationSyntax>().Any();

    /// <summary>The template of one message expression, as <see cref="MessageTemplate"/> or <see cref="Messages.Translate"/> sees it.</summary>
    private static (string? Template, string? Why) TemplateOf(ExpressionSyntax message)
    {
        var parts = new List<ExpressionSyntax>();
        if (!Flatten(message, parts)) return (null, null);
        var interpolated = parts.Any(p => p is InterpolatedStringExpressionSyntax);
        if (interpolated && parts.Any(p => p is LiteralExpressionSyntax))
            return (null, "an interpolated string joined with a plain one becomes a plain string; write every part as $\"…\"");
        var template = new StringBuilder();
        var index = 0;
        foreach (var part in parts)
        {
            if (part is LiteralExpressionSyntax literal)
            {
                template.Append(literal.Token.ValueText);
                continue;
            }
            foreach (var content in ((InterpolatedStringExpressionSyntax)part).Contents)
            {
                if (content is InterpolatedStringTextSyntax text)
                {
                    // The token's value keeps a literal brace doubled ({{), as the template does.
                    template.Append(text.TextToken.ValueText);
                    continue;
                }
                var hole = (InterpolationSyntax)content;
                template.Append('{').Append(index++);
                if (hole.AlignmentClause is { } alignment) template.Append(',').Append(alignment.Value.ToString().Replace(" ", ""));
                if (hole.FormatClause is { } format) template.Append(':').Append(format.FormatStringToken.ValueText);
                template.Append('}');
            }
        }
        return (template.ToString(), null);
    }

    /// <summary>The string pieces joined by + into one message; false when a piece is not a literal.</summary>
    private static bool Flatten(ExpressionSyntax e, List<ExpressionSyntax> parts)
    {
        switch (e)
        {
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add:
                return Flatten(add.Left, parts) && Flatten(add.Right, parts);
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal:
                parts.Add(literal);
                return true;
            case InterpolatedStringExpressionSyntax interpolated:
                parts.Add(interpolated);
                return true;
            default:
                return false;
        }
    }

    private static HashSet<string> ResxKeys(string path) =>
        File.Exists(path)
            ? XDocument.Load(path).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>A row's key as it is written in the tables, so a missing one can be pasted.</summary>
    private static string Python(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\": (\"\", \"\"),";

    private sealed class UiCulture : IDisposable
    {
        private readonly CultureInfo previous = CultureInfo.CurrentUICulture;

        public UiCulture(string name) => CultureInfo.CurrentUICulture = new CultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = previous;
    }
}
