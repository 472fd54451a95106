using Kontor.Common;

namespace Kontor.Crm;

public enum PartyKind { Company, Person }

/// <summary>How a customer usually pays; shown on the customer card (documents do not default from it yet).</summary>
public enum PaymentMethod { BankTransfer, Cash, Card, Online, CashOnDelivery }
/// <summary>Merged: kept for history after a merge (read-only, hidden from lists); <see cref="Party.MergedIntoPartyId"/> names the survivor.</summary>
public enum PartyStatus { Active, Merged }

/// <summary>A customer or supplier: a company or a person the business deals with.</summary>
public sealed class Party
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public PartyKind Kind { get; set; }
    public string Name { get; set; } = "";
    public TaxIdKind TaxIdKind { get; set; }
    public string? TaxId { get; set; }
    /// <summary>Russian КПП (reason-for-registration code), which goes with a legal entity's 10-digit INN.</summary>
    public string? Kpp { get; set; }
    public Address Address { get; set; } = new();
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public int PaymentTermDays { get; set; }
    public decimal? CreditLimit { get; set; }
    public string CreditLimitCurrency { get; set; } = "PLN";
    public string? PriceGroup { get; set; }
    /// <summary>The language this party's documents are printed in when a download names none; null: the company's default.</summary>
    public Documents.DocumentLanguage? DocumentLanguage { get; set; }
    /// <summary>How the customer prefers to pay; null: not known.</summary>
    public PaymentMethod? PreferredPaymentMethod { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<Contact> Contacts { get; init; } = [];
    /// <summary>One of the company's segments (Settings); null: not segmented.</summary>
    public Guid? SegmentId { get; set; }
    /// <summary>When the personal data of this person was erased (GDPR); the row stays for the documents that refer to it.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    public PartyStatus Status { get; set; } = PartyStatus.Active;
    /// <summary>The party this one was merged into (docs/crm.md, "Duplicates, merge and import"); set once, never cleared.</summary>
    public Guid? MergedIntoPartyId { get; set; }
    public DateTimeOffset? MergedAt { get; set; }

    // Duplicate-detection keys (Crm/Duplicates/PartyMatchKeys), recomputed by the DbContext whenever a party is saved.
    public string NameKey { get; set; } = "";
    public string? CityKey { get; set; }
    public string? TaxKey { get; set; }
    public string? EmailKey { get; set; }
    public string? PhoneKey { get; set; }
    // The one or two longest letter words of NameKey (PartyMatchKeys.NameBlockWords): the blocks the duplicate check
    // selects look-alike names by, in SQL, together with CityKey — so it never loads a whole city.
    public string? NameWord1 { get; set; }
    public string? NameWord2 { get; set; }
}

public sealed class Address
{
    public string? Street { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string CountryCode { get; set; } = "PL";

    public override string ToString() =>
        string.Join(", ", new[] { Street, string.Join(" ", new[] { PostalCode, City }.Where(s => !string.IsNullOrEmpty(s))), CountryCode }
            .Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>A person at a party: who to call, who receives invoices.</summary>
public sealed class Contact
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; init; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? Position { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>When this contact's personal data was erased (GDPR).</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}
