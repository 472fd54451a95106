namespace Kontor.Crm.Complaints;

/// <summary>New → InReview → Resolved (with a <see cref="ComplaintResolution"/>) or Rejected (with a reason) → Closed.</summary>
public enum ComplaintStatus { New, InReview, Resolved, Rejected, Closed }

/// <summary>
/// How a complaint was resolved. CreditNote makes a correction draft of the linked invoice; Replacement records that goods
/// are replaced (no document: the stock issue comes with inventory, docs/decisions.md); Rejection needs a reason.
/// </summary>
public enum ComplaintResolution { CreditNote, Replacement, Rejection }

/// <summary>
/// A customer's complaint (reklamacja) about an invoice, order or product (at least one). Numbered on registration in its
/// own yearly series REK/{yyyy}/{n}. Due dates come from the company's complaint settings when it is registered:
/// an answer (any move out of New) is due <see cref="ResponseDueOn"/> — 14 days by default, as Polish consumer law
/// requires — and a resolution by <see cref="ResolutionDueOn"/>.
/// </summary>
public sealed class Complaint
{
    public const string DocumentType = "complaint";
    public const string DefaultNumberPattern = "REK/{yyyy}/{n}";
    public const int MaxDescriptionLength = 4000;
    public const int MaxReasonLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Number { get; set; } = "";
    public Guid SeriesId { get; set; }
    public Guid PartyId { get; set; }
    public Guid? ContactId { get; set; }
    public Guid? InvoiceId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? ProductId { get; set; }
    public string Description { get; set; } = "";
    public DateOnly ReceivedOn { get; set; }
    public DateOnly ResponseDueOn { get; set; }
    public DateOnly ResolutionDueOn { get; set; }
    public ComplaintStatus Status { get; set; }
    public ComplaintResolution? Resolution { get; set; }
    /// <summary>What was decided: free text for a replacement or credit note, the reason of a rejection.</summary>
    public string? ResolutionNote { get; set; }
    /// <summary>The correction draft made by a CreditNote resolution (then reviewed and issued by a person).</summary>
    public Guid? CorrectionInvoiceId { get; set; }
    public DateTimeOffset? RespondedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<ComplaintLine> Lines { get; init; } = [];

    public bool IsOpen => Status is ComplaintStatus.New or ComplaintStatus.InReview;

    /// <summary>Open and past a due date: not answered by <see cref="ResponseDueOn"/>, or not resolved by <see cref="ResolutionDueOn"/>.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && (today > ResolutionDueOn || (Status == ComplaintStatus.New && today > ResponseDueOn));

    public static bool CanMove(ComplaintStatus from, ComplaintStatus to) => (from, to) switch
    {
        (ComplaintStatus.New, ComplaintStatus.InReview) => true,
        (ComplaintStatus.New or ComplaintStatus.InReview, ComplaintStatus.Resolved or ComplaintStatus.Rejected) => true,
        (ComplaintStatus.Resolved or ComplaintStatus.Rejected, ComplaintStatus.Closed) => true,
        _ => false,
    };
}

/// <summary>A line of the complained invoice (by position) and the quantity complained about.</summary>
public sealed class ComplaintLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ComplaintId { get; init; }
    public int Position { get; init; }
    public string Description { get; init; } = "";
    public decimal Quantity { get; init; }
}
