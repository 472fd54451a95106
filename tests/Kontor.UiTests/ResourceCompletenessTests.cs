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
        var keys = Enum.GetNames<PartyKind>().Select(n => $"PartyKind.{n}")
            .Concat(Enum.GetNames<TaxIdKind>().Select(n => $"TaxIdKind.{n}"))
            .Concat(Enum.GetNames<ProductKind>().Select(n => $"ProductKind.{n}"))
            .Concat(Enum.GetNames<PricingMode>().Select(n => $"PricingMode.{n}"))
            .Concat(Enum.GetNames<InvoiceStatus>().Select(n => $"InvoiceStatus.{n}"))
            // The customer timeline's words name these enums' members (TimelineText arguments).
            .Concat(Enum.GetNames<Kontor.Orders.OrderStatus>().Select(n => $"OrderStatus.{n}"))
            .Concat(Enum.GetNames<Kontor.Ledger.PaymentVia>().Select(n => $"PaymentVia.{n}"))
            .Concat(Enum.GetNames<Kontor.Offers.OfferState>().Select(n => $"OfferState.{n}"))
            .Concat(Enum.GetNames<Kontor.Crm.Complaints.ComplaintStatus>().Select(n => $"ComplaintStatus.{n}"))
            .Concat(Enum.GetNames<Kontor.Crm.Activities.ActivityOutcome>().Select(n => $"ActivityOutcome.{n}"));
        foreach (var suffix in Suffixes)
            Assert.Empty(keys.Except(Translations(suffix).Keys));
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
