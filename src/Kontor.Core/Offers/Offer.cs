using Kontor.Catalog;
using Kontor.Sales;

namespace Kontor.Offers;

/// <summary>What is stored. <see cref="OfferState"/> is what a person sees: it adds Expired, computed from the date.</summary>
public enum OfferStatus { Draft, Sent, Accepted, Rejected }

/// <summary>The status shown and filtered on: the stored one, or Expired when the validity date has passed (see <see cref="Offer.StateOn"/>).</summary>
public enum OfferState { Draft, Sent, Accepted, Rejected, Expired }

/// <summary>
/// A quote (oferta): invoice lines offered to a buyer until <see cref="ValidUntil"/>. A draft changes
/// freely and has no number; sending numbers it (OF/yyyy/MM/n) and fixes its content; the buyer's
/// answer is recorded as accepted or rejected; an accepted offer becomes an invoice draft once.
/// </summary>
public sealed class Offer
{
    /// <summary>Document type in numbering series and document links.</summary>
    public const string DocumentType = "offer";
    public const string DefaultNumberPattern = "OF/{yyyy}/{MM}/{n}";
    public const int DefaultValidityDays = 14;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public OfferStatus Status { get; set; }
    public string? Number { get; set; }
    public Guid? SeriesId { get; set; }
    public Guid PartyId { get; set; }
    public string Currency { get; set; } = "PLN";
    public PricingMode PricingMode { get; set; }
    public DateOnly ValidUntil { get; set; }
    public string? Notes { get; set; }
    public decimal TotalNet { get; set; }
    public decimal TotalVat { get; set; }
    public decimal TotalGross { get; set; }
    /// <summary>The day it was sent (numbered); its number's period.</summary>
    public DateOnly? SentOn { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>When the buyer's answer (accepted or rejected) was recorded.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
    /// <summary>The marketing campaign this sale is attributed to (docs/crm.md, "Campaigns"); carried into the documents made of it.</summary>
    public Guid? CampaignId { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<OfferLine> Lines { get; init; } = [];

    /// <summary>
    /// Expiry is computed on read, never stored: a sent or accepted offer that was not converted is
    /// Expired once <paramref name="today"/> is past <see cref="ValidUntil"/> (the prices were promised
    /// until then). No scheduler has to run for the state to be right (docs/decisions.md §14).
    /// </summary>
    public OfferState StateOn(DateOnly today, bool converted) =>
        Status is OfferStatus.Sent or OfferStatus.Accepted && !converted && today > ValidUntil
            ? OfferState.Expired
            : (OfferState)(int)Status;
}

/// <summary>One offered line: the same fields as an invoice line, so conversion copies them one to one.</summary>
public sealed class OfferLine : PricedLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OfferId { get; init; }
}
