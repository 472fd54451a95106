using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Sales;

namespace Kontor.UiTests;

/// <summary>
/// Every text the components ask the localizer for exists in Polish, English and Russian. The .resx files
/// are generated from one table (src/Kontor.Web/Resources/generate_resx.py); this catches a key typed in
/// a component but never added there, which would show the English key to a Polish or Russian reader.
/// </summary>
public sealed class ResourceCompletenessTests
{
    private static readonly string[] Suffixes = ["", ".pl", ".ru"];

    [Fact]
    public void Every_literal_key_used_in_a_component_is_translated_in_all_three_languages()
    {
        var used = Directory.EnumerateFiles(Path.Combine(WebProject(), "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"L\[""((?:[^""\\]|\\.)*)""").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Contains("Edit", used); // the scan itself works
        foreach (var suffix in Suffixes)
        {
            var missing = used.Except(Translations(suffix).Keys).Order().ToList();
            Assert.True(missing.Count == 0, $"SharedResource{suffix}.resx lacks: {string.Join(" | ", missing)}. Add rows to Resources/generate_resx.py and run it.");
        }
    }

    [Fact]
    public void Enum_members_shown_through_built_keys_are_translated()
    {
        // Components show an enum's member as L[$"OrderStatus.{status}"]: every such prefix must name one enum of Kontor,
        // and each of its members must be translated — a member added later would otherwise show its key.
        var prefixes = Directory.EnumerateFiles(Path.Combine(WebProject(), "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"L\[\$""([A-Za-z]+)\.\{").Select(m => m.Groups[1].Value))
            // The customer timeline's words name these enums' members (TimelineText arguments, built in Kontor.Core).
            .Concat(["OrderStatus", "PaymentVia", "OfferState", "ComplaintStatus", "ActivityOutcome"])
            .ToHashSet();
        // Not one enum's members: document types, match reasons and timeline kinds are strings (their keys are literal rows of the
        // table), order actions are the statuses an order can be moved to.
        prefixes.ExceptWith(["DocumentType", "TemplateType", "MatchReason", "TimelineKind", "OrderAction"]);
        Assert.Contains("IntegrationStatus", prefixes); // the scan itself works
        var enums = new[] { typeof(Party).Assembly, typeof(Kontor.Web.Components.Ui).Assembly, typeof(TaxIdKind).Assembly }
            .SelectMany(a => a.GetTypes()).Where(t => t.IsEnum).ToLookup(t => t.Name);
        var unnamed = prefixes.Where(p => enums[p].Count() != 1).Order().ToList();
        Assert.True(unnamed.Count == 0, $"These L[$\"X.{{…}}\"] prefixes name no single enum of Kontor: {string.Join(", ", unnamed)}.");
        var keys = prefixes.SelectMany(p => Enum.GetNames(enums[p].Single()).Select(n => $"{p}.{n}")).ToList();
        foreach (var suffix in Suffixes)
        {
            var missing = keys.Except(Translations(suffix).Keys).Order().ToList();
            Assert.True(missing.Count == 0, $"SharedResource{suffix}.resx lacks enum members: {string.Join(" | ", missing)}. Add rows to Resources/generate_resx.py and run it.");
        }
    }

    [Fact]
    public void Every_word_of_the_customer_timeline_is_translated()
    {
        // The timeline sources in Kontor.Core write their words as literal `new TimelineText("…")`; keys without a letter ("{0} · {1}") are punctuation.
        var keys = Directory.EnumerateFiles(Path.Combine(WebProject(), "..", "Kontor.Core"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"new TimelineText\(""((?:[^""\\]|\\.)*)""").Select(m => m.Groups[1].Value))
            .Where(key => key.Any(char.IsLetter)).ToHashSet();
        Assert.Contains("Payment received", keys); // the scan itself works
        Assert.Contains("{0}: goods returned", keys);
        foreach (var suffix in Suffixes)
        {
            var missing = keys.Except(Translations(suffix).Keys).Order().ToList();
            Assert.True(missing.Count == 0, $"SharedResource{suffix}.resx lacks timeline words: {string.Join(" | ", missing)}. Add rows to Resources/generate_resx.py and run it.");
        }
    }

    [Fact]
    public void The_three_languages_have_the_same_keys_and_no_empty_text()
    {
        var english = Translations("");
        foreach (var suffix in Suffixes)
        {
            var other = Translations(suffix);
            Assert.Equal(english.Keys.Order(), other.Keys.Order());
            Assert.DoesNotContain(other, pair => string.IsNullOrWhiteSpace(pair.Value));
        }
        Assert.Equal("Zapisz zmiany", Translations(".pl")["Save changes"]);
        Assert.Equal("Сохранить изменения", Translations(".ru")["Save changes"]);
    }

    private static Dictionary<string, string> Translations(string suffix) =>
        XDocument.Load(Path.Combine(WebProject(), "Resources", $"SharedResource{suffix}.resx")).Root!.Elements("data")
            .ToDictionary(e => (string)e.Attribute("name")!, e => (string?)e.Element("value") ?? "");

    /// <summary>Found from this source file, because the test binaries live in an artifacts folder outside the repository.</summary>
    private static string WebProject([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "src", "Kontor.Web"));
}
