using Kontor.Common;
using Kontor.Crm.Duplicates;

namespace Kontor.Tests.Unit;

/// <summary>
/// Duplicate detection, table-driven: an existing party and a new one, and the reasons expected (empty: not a duplicate).
/// True positives across spelling, legal forms, scripts' quotes and phone formats; false positives that must not fire.
/// </summary>
public sealed class DuplicateDetectionTests
{
    // name, city, tax kind, tax id, e-mail, phone
    public sealed record P(string Name, string? City = null, TaxIdKind TaxKind = TaxIdKind.None, string? TaxId = null, string? Email = null, string? Phone = null);

    public static TheoryData<string, P, P, string> Cases => new()
    {
        // case, existing, new, expected reasons
        { "legal form spelled out, same city", new("ACME Sp. z o.o.", "Warszawa"), new("Acme spółka z o.o.", "Warszawa"), "NameAndCity" },
        { "legal form in full words", new("ACME Sp. z o.o.", "Warszawa"), new("Acme Spółka z ograniczoną odpowiedzialnością", "warszawa"), "NameAndCity" },
        { "same name, other city", new("ACME Sp. z o.o.", "Warszawa"), new("ACME Sp. z o.o.", "Kraków"), "" },
        { "same name, no city on the new one", new("ACME Sp. z o.o.", "Warszawa"), new("ACME Sp. z o.o.", null), "" },
        { "Russian quotes and legal form position", new("ООО «Ромашка»", "Москва"), new("Ромашка ООО", "москва"), "NameAndCity" },
        { "Russian straight quotes, АО", new("АО \"Ромашка\"", "Москва"), new("Ромашка", "Москва"), "NameAndCity" },
        { "Polish diacritics missing", new("Zakład Usług Łódź S.A.", "Łódź"), new("Zaklad Uslug Lodz SA", "Lodz"), "NameAndCity" },
        { "typo in a long name", new("Przedsiębiorstwo Kowalski sp.k.", "Poznań"), new("Przedsiebiorstwo Kowalsky", "Poznań"), "NameAndCity" },
        { "word order", new("Hurtownia Beta sp. j.", "Gdańsk"), new("Beta Hurtownia", "Gdansk"), "NameAndCity" },
        { "different short names in one city", new("Alfa Sp. z o.o.", "Warszawa"), new("Alfa Bis Sp. z o.o.", "Warszawa"), "" },
        { "different companies in one city", new("Piekarnia Jan", "Kraków"), new("Kwiaciarnia Ewa", "Kraków"), "" },
        { "same NIP, different spelling", new("Beta", null, TaxIdKind.Nip, "5260250274"), new("Gamma", null, TaxIdKind.Nip, "526-025-02-74"), "TaxId" },
        { "NIP written with its PL prefix (a shop's VAT id)", new("Beta", null, TaxIdKind.Nip, "5260250274"), new("Gamma", null, TaxIdKind.Nip, "PL5260250274"), "TaxId" },
        { "NIP vs PL EU VAT number", new("Beta", null, TaxIdKind.Nip, "5260250274"), new("Gamma", null, TaxIdKind.EuVat, "PL5260250274"), "TaxId" },
        { "INN vs NIP with the same digits", new("Beta", null, TaxIdKind.Nip, "7707083893"), new("Gamma", null, TaxIdKind.Inn, "7707083893"), "" },
        { "different NIPs, similar names: flagged by name only", new("Delta Sp. z o.o.", "Wrocław", TaxIdKind.Nip, "5260250274"), new("DELTA spółka z o.o.", "Wroclaw", TaxIdKind.Nip, "1132191233"), "NameAndCity" },
        { "same e-mail in other case", new("Beta", Email: "Biuro@Beta.pl"), new("Gamma", Email: "biuro@beta.PL"), "Email" },
        { "different e-mails", new("Beta", Email: "biuro@beta.pl"), new("Gamma", Email: "biuro@gamma.pl"), "" },
        { "phone with and without +48", new("Beta", Phone: "+48 601 234 567"), new("Gamma", Phone: "601-234-567"), "Phone" },
        { "phone with 0048", new("Beta", Phone: "0048601234567"), new("Gamma", Phone: "601 234 567"), "Phone" },
        { "Russian phone +7 and 8", new("Beta", Phone: "+7 (495) 123-45-67"), new("Gamma", Phone: "8 495 123 45 67"), "Phone" },
        { "different phones", new("Beta", Phone: "601 234 567"), new("Gamma", Phone: "601 234 568"), "" },
        { "short extension numbers are not compared", new("Beta", Phone: "123"), new("Gamma", Phone: "123"), "" },
        { "everything at once", new("Omega S.A.", "Kraków", TaxIdKind.Nip, "5260250274", "a@omega.pl", "601234567"),
            new("OMEGA SA", "KRAKÓW", TaxIdKind.Nip, "5260250274", "A@omega.pl", "+48601234567"), "TaxId,Email,Phone,NameAndCity" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Finds_true_duplicates_and_no_false_ones(string name, P existing, P candidate, string expected)
    {
        var existingId = Guid.NewGuid();
        var keys = new PartyKeys(existingId, existing.Name, existing.TaxId, existing.City, PartyMatchKeys.Name(existing.Name), PartyMatchKeys.City(existing.City),
            PartyMatchKeys.Tax(existing.TaxKind, existing.TaxId), PartyMatchKeys.Email(existing.Email), PartyMatchKeys.Phone(existing.Phone));
        var probe = PartyProbe.Of(candidate.Name, candidate.City, candidate.TaxKind, candidate.TaxId, candidate.Email, candidate.Phone);
        foreach (var blocked in new[] { false, true })
        {
            var found = new DuplicateIndex([keys], blockNamesByLongWords: blocked).Find(probe);
            var reasons = string.Join(",", found.SelectMany(c => c.Reasons));
            Assert.True(expected == reasons, $"{name} (blocked {blocked}): expected [{expected}], got [{reasons}]");
            if (expected != "") Assert.Equal(existingId, Assert.Single(found).PartyId);
        }
    }

    [Theory]
    [InlineData("ACME Sp. z o.o.", "acme")]
    [InlineData("Acme spółka z o.o.", "acme")]
    [InlineData("ООО «Ромашка»", "ромашка")]
    [InlineData("ИП Иванов Иван", "иван иванов")]
    [InlineData("„Kowalski i Syn” sp.k.", "i kowalski syn")]
    [InlineData("S.A.", "a s")]
    public void Names_are_normalised(string name, string key) => Assert.Equal(key, PartyMatchKeys.Name(name));

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("alfa", "alfa bis", 0.9)]
    public void Jaro_winkler_matches_the_published_examples(string a, string b, double expected) =>
        Assert.Equal(expected, PartyMatchKeys.JaroWinkler(a, b), 3);
}
