using System.Globalization;
using System.Text.Json.Serialization;
using Kontor.Crm.Activities;
using Kontor.Crm.Complaints;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;

namespace Kontor.CustomerCard;

/// <summary>
/// One event on a customer's timeline. <see cref="At"/> orders it (the instant it happened in Kontor: issued, sent,
/// registered, done); <see cref="Date"/> is the business date when the event has one (issue date, payment date).
/// <see cref="Kind"/> is one of <see cref="TimelineKinds"/>; <see cref="Link"/> a UI path to open it; <see cref="SourceId"/>
/// the id of the record (with Kind, unique on the timeline).
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, DateOnly? Date, string Kind, string Title, string? Summary,
    decimal? Amount, string? Currency, string? Link, Guid SourceId)
{
    /// <summary>The title as words a screen writes in its reader's language; null when <see cref="Title"/> is the record's own text (a number, a subject).</summary>
    [JsonIgnore] public TimelineText? TitleText { get; init; }
    /// <summary>The summary as words a screen writes in its reader's language; null when <see cref="Summary"/> is people's own text.</summary>
    [JsonIgnore] public TimelineText? SummaryText { get; init; }

    /// <summary>Sets the title and/or summary from words: the API's <see cref="Title"/>/<see cref="Summary"/> are their English text.</summary>
    public TimelineEntry Worded(TimelineText? title = null, TimelineText? summary = null) => this with
    {
        Title = title?.English() ?? Title, TitleText = title ?? TitleText,
        Summary = summary is null ? Summary : summary.English(), SummaryText = summary ?? SummaryText,
    };
}

/// <summary>
/// Words of a timeline entry, kept apart from the reader's language (write the key as a literal <c>new TimelineText("…")</c>: a test
/// finds the keys that way and checks each is translated): <see cref="Key"/> is the English text with {0}, {1}… (the
/// UI text's key), <see cref="Args"/> its values — another <see cref="TimelineText"/>, a <see cref="DateOnly"/> (a date), a
/// <see cref="DateTimeOffset"/> (an instant), an enum (the UI text "<c>Type.Name</c>") or anything else as it is (people's own text).
/// </summary>
public sealed record TimelineText(string Key, params object?[] Args)
{
    /// <summary>Joins the parts that are there with " · " (each a text or words).</summary>
    public static TimelineText? Joined(params object?[] parts)
    {
        var present = parts.Where(p => p is not null && p is not string { Length: 0 }).ToArray();
        return present.Length == 0 ? null : new TimelineText(string.Join(" · ", present.Select((_, i) => "{" + i + "}")), present);
    }

    /// <summary>The English text (what the API returns as title/summary): dates ISO, instants UTC, enums by name.</summary>
    public string English() => string.Format(CultureInfo.InvariantCulture, Key, Args.Select(a => a switch
    {
        TimelineText words => words.English(),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        _ => a,
    }).ToArray());
}

/// <summary>The kinds of timeline entries; a client filters by them.</summary>
public static class TimelineKinds
{
    public const string Call = "Call", Meeting = "Meeting", Email = "Email", Task = "Task", Note = "Note";
    public const string Invoice = "Invoice", Correction = "Correction", ProForma = "ProForma";
    public const string Offer = "Offer", Order = "Order", Payment = "Payment", Complaint = "Complaint", PartyEvent = "PartyEvent";
    public const string Opportunity = "Opportunity";
    /// <summary>Goods returned or an order refunded (Orders/OrderReturns.cs).</summary>
    public const string Return = "Return";

    public static readonly IReadOnlyList<string> All = [Call, Meeting, Email, Task, Note, Opportunity, Invoice, Correction, ProForma, Offer, Order, Payment, Complaint, PartyEvent, Return];
}

/// <summary>
/// A contributor to the customer timeline. Contract: return at most <c>take</c> entries of the party whose
/// <see cref="TimelineEntry.At"/> is at or before <c>atOrBefore</c> (all when null), newest first, of the kinds in
/// <c>kinds</c> only — querying the database with those filters and the limit, never loading the whole history.
/// Register an implementation with <c>services.AddScoped&lt;ITimelineSource, YourSource&gt;()</c>.
/// </summary>
public interface ITimelineSource
{
    /// <summary>The kinds this source can produce; it is not asked when none of them is requested.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct);
}

/// <summary>A page of the timeline; pass <see cref="NextBefore"/> as <c>before</c> for the next (older) page, null at the end.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, string? NextBefore);

/// <summary>
/// The customer card's timeline: every registered <see cref="ITimelineSource"/> asked for one page, merged newest first with a
/// stable tie-break (At desc, Kind, SourceId desc), paged by a cursor "ticks~kind~id" of the last entry shown.
/// Each source over-fetches <see cref="TieAllowance"/> entries so entries sharing the cursor's instant are not lost.
/// </summary>
public sealed class CustomerTimeline(IEnumerable<ITimelineSource> sources, KontorDbContext db)
{
    public const int MaxTake = 200;
    public const int TieAllowance = 20;

    public async Task<TimelinePage> GetAsync(Guid partyId, string? before, int take, IReadOnlyCollection<string>? kinds, CancellationToken ct = default)
    {
        if (!await db.Parties.AnyAsync(p => p.Id == partyId, ct)) throw new Common.NotFoundException("Party", partyId);
        take = Math.Clamp(take, 1, MaxTake);
        var cursor = Cursor.Parse(before);
        var wanted = kinds is { Count: > 0 }
            ? kinds.Select(k => TimelineKinds.All.FirstOrDefault(a => string.Equals(a, k, StringComparison.OrdinalIgnoreCase))
                               ?? throw new Common.ValidationException("kinds", $"Unknown kind '{k}'; use {string.Join(", ", TimelineKinds.All)}.")).ToHashSet()
            : TimelineKinds.All.ToHashSet();
        var entries = new List<TimelineEntry>();
        // One DbContext per request: sources run one after the other.
        foreach (var source in sources.Where(s => s.Kinds.Any(wanted.Contains)))
            entries.AddRange(await source.GetAsync(partyId, cursor?.At, take + TieAllowance, wanted, ct));
        var ordered = entries
            .Where(e => wanted.Contains(e.Kind) && (cursor is null || cursor.IsAfter(e)))
            .OrderByDescending(e => e.At).ThenBy(e => e.Kind, StringComparer.Ordinal).ThenByDescending(e => e.SourceId)
            .Take(take + 1)
            .ToList();
        var page = ordered.Take(take).ToList();
        return new TimelinePage(page, ordered.Count > take ? Cursor.Of(page[^1]) : null);
    }

    private sealed record Cursor(DateTimeOffset At, string Kind, Guid SourceId)
    {
        public static string Of(TimelineEntry e) => $"{e.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}~{e.Kind}~{e.SourceId:N}";

        public static Cursor? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var parts = text.Split('~');
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 and <= 3155378975999999999 && Guid.TryParse(parts[2], out var id))
                return new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], id);
            // A plain instant is accepted too: everything strictly before it.
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                return new Cursor(instant.ToUniversalTime(), "", Guid.Empty) { Strict = true };
            throw new Common.ValidationException("before", "before must be the nextBefore of a previous page or an ISO 8601 instant.");
        }

        private bool Strict { get; init; }

        /// <summary>Whether <paramref name="e"/> comes after this cursor in the timeline's order (is older or a later tie).</summary>
        public bool IsAfter(TimelineEntry e)
        {
            if (e.At != At) return e.At < At;
            if (Strict) return false;
            var byKind = string.CompareOrdinal(e.Kind, Kind);
            return byKind != 0 ? byKind > 0 : e.SourceId.CompareTo(SourceId) < 0;
        }
    }
}

/// <summary>Activities and notes of the party (e-mail activities are the e-mails sent).</summary>
public sealed class ActivityTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Call, TimelineKinds.Meeting, TimelineKinds.Email, TimelineKinds.Task, TimelineKinds.Note];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var wantedKinds = Enum.GetValues<ActivityKind>().Where(k => kinds.Contains(k.ToString())).ToList();
        var query = db.Set<Activity>().AsNoTracking().Where(a => a.PartyId == partyId && wantedKinds.Contains(a.Kind));
        if (atOrBefore is { } at) query = query.Where(a => a.TimelineAt <= at);
        var rows = await query.OrderByDescending(a => a.TimelineAt).ThenByDescending(a => a.Id).Take(take).ToListAsync(ct);
        return rows.Select(a => new TimelineEntry(a.TimelineAt, null, a.Kind.ToString(), a.Subject,
            null, null, null, $"/customers/{partyId}#activity-{a.Id}", a.Id).Worded(summary: Summary(a))).ToList();
    }

    private static TimelineText? Summary(Activity a) => TimelineText.Joined(
        a.Outcome,
        a.OutcomeNote?.Trim(),
        a.Body is { } body && !string.IsNullOrWhiteSpace(body) ? (body.Length > 300 ? body[..300] + "…" : body) : null,
        a.DoneAt is not null ? null : a.DueAt is { } due ? new TimelineText("not done yet, due {0}", due) : new TimelineText("not done yet"));
}

/// <summary>Issued invoices, corrections and pro formas (drafts are not events; cancelled pro formas keep their issue).</summary>
public sealed class InvoiceTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Invoice, TimelineKinds.Correction, TimelineKinds.ProForma];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var wanted = new List<InvoiceKind>();
        if (kinds.Contains(TimelineKinds.Invoice)) wanted.AddRange([InvoiceKind.Vat, InvoiceKind.Advance, InvoiceKind.Final]);
        if (kinds.Contains(TimelineKinds.Correction)) wanted.Add(InvoiceKind.Correction);
        if (kinds.Contains(TimelineKinds.ProForma)) wanted.Add(InvoiceKind.ProForma);
        var query = db.Invoices.AsNoTracking().Where(i => i.PartyId == partyId && i.Status != InvoiceStatus.Draft && i.IssuedAt != null && wanted.Contains(i.Kind));
        if (atOrBefore is { } at) query = query.Where(i => i.IssuedAt <= at);
        var rows = await query.OrderByDescending(i => i.IssuedAt).ThenByDescending(i => i.Id).Take(take)
            .Select(i => new { i.Id, i.Kind, i.Number, i.IssuedAt, i.IssueDate, i.DueDate, i.TotalGross, i.Currency, i.CorrectionReason, i.CorrectedInvoiceNumber })
            .ToListAsync(ct);
        return rows.Select(i =>
        {
            var kind = i.Kind switch { InvoiceKind.Correction => TimelineKinds.Correction, InvoiceKind.ProForma => TimelineKinds.ProForma, _ => TimelineKinds.Invoice };
            var summary = i.Kind == InvoiceKind.Correction
                ? new TimelineText("{0}: {1}", i.CorrectedInvoiceNumber, i.CorrectionReason)
                : i.DueDate is { } due ? new TimelineText("due {0}", due) : null;
            var link = i.Kind == InvoiceKind.ProForma ? $"/proformas/{i.Id}" : $"/invoices/{i.Id}";
            return new TimelineEntry(i.IssuedAt!.Value, i.IssueDate, kind, i.Number ?? "", null, i.TotalGross, i.Currency, link, i.Id).Worded(summary: summary);
        }).ToList();
    }
}

/// <summary>Offers once sent (sending numbers them; drafts are not events).</summary>
public sealed class OfferTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Offer];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.Offers.AsNoTracking().Where(o => o.PartyId == partyId && o.SentAt != null);
        if (atOrBefore is { } at) query = query.Where(o => o.SentAt <= at);
        var rows = await query.OrderByDescending(o => o.SentAt).ThenByDescending(o => o.Id).Take(take)
            .Select(o => new { o.Id, o.Number, o.SentAt, o.SentOn, o.Status, o.ValidUntil, o.TotalGross, o.Currency }).ToListAsync(ct);
        // Written as the offer's state (OfferState has the stored statuses' names, and the UI texts).
        return rows.Select(o => new TimelineEntry(o.SentAt!.Value, o.SentOn, TimelineKinds.Offer, o.Number ?? "",
            null, o.TotalGross, o.Currency, $"/offers/{o.Id}", o.Id)
            .Worded(summary: new TimelineText("{0}, valid until {1}", Enum.Parse<Offers.OfferState>(o.Status.ToString()), o.ValidUntil))).ToList();
    }
}

public sealed class OrderTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Order];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking().Where(o => o.PartyId == partyId);
        if (atOrBefore is { } at) query = query.Where(o => o.CreatedAt <= at);
        var rows = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(take)
            .Select(o => new { o.Id, o.Number, o.CreatedAt, o.OrderedOn, o.Status, o.TotalGross, o.Currency }).ToListAsync(ct);
        return rows.Select(o => new TimelineEntry(o.CreatedAt, o.OrderedOn, TimelineKinds.Order, o.Number, null,
            o.TotalGross, o.Currency, $"/orders/{o.Id}", o.Id).Worded(summary: TimelineText.Joined(o.Status))).ToList();
    }
}

/// <summary>
/// Every later move of the party's orders (picking, shipped with the tracking number, delivered, cancelled) from the
/// order history; the order's creation is <see cref="OrderTimelineSource"/>'s entry.
/// </summary>
public sealed class OrderStatusTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Order];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.OrderStatusChanges.AsNoTracking().Where(c => c.From != null)
            .Join(db.Orders.Where(o => o.PartyId == partyId), c => c.OrderId, o => o.Id, (c, o) => new { Change = c, o.Number, o.ShippedOn, o.DeliveredOn });
        if (atOrBefore is { } at) query = query.Where(x => x.Change.At <= at);
        var rows = await query.OrderByDescending(x => x.Change.At).ThenByDescending(x => x.Change.Id).Take(take).ToListAsync(ct);
        return rows.Select(x => new TimelineEntry(x.Change.At,
            x.Change.To switch { OrderStatus.Shipped => x.ShippedOn, OrderStatus.Delivered => x.DeliveredOn, _ => null },
            TimelineKinds.Order, x.Number, null, null, null, $"/orders/{x.Change.OrderId}", x.Change.Id).Worded(summary: Summary(x.Change))).ToList();
    }

    /// <summary>"Shipped · DPD 0000123456": the status, then the parcel.</summary>
    private static TimelineText? Summary(OrderStatusChange change) =>
        TimelineText.Joined(change.To, string.Join(" ", new[] { change.Carrier, change.TrackingNumber }.Where(t => !string.IsNullOrWhiteSpace(t))));
}

/// <summary>
/// Payments received from (and refunds paid to) the party. The summary is the reference; one that did not go through the
/// bank starts with its <see cref="PaymentVia"/> ("GatewayClearing · P24 #4711").
/// </summary>
public sealed class PaymentTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Payment];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.Payments.AsNoTracking().Where(p => p.PartyId == partyId);
        if (atOrBefore is { } at) query = query.Where(p => p.RegisteredAt <= at);
        var rows = await query.OrderByDescending(p => p.RegisteredAt).ThenByDescending(p => p.Id).Take(take)
            .Select(p => new { p.Id, p.RegisteredAt, p.Date, p.Amount, p.Currency, p.Reference, p.Direction, p.Via }).ToListAsync(ct);
        return rows.Select(p => new TimelineEntry(p.RegisteredAt, p.Date, TimelineKinds.Payment, "", null,
            p.Direction == PaymentDirection.Incoming ? p.Amount : -p.Amount, p.Currency, null, p.Id)
            .Worded(title: p.Direction == PaymentDirection.Incoming ? new TimelineText("Payment received") : new TimelineText("Payment sent"),
                summary: TimelineText.Joined(p.Via == PaymentVia.Bank ? null : p.Via, p.Reference))).ToList();
    }
}

public sealed class ComplaintTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Complaint];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.Set<Complaint>().AsNoTracking().Where(c => c.PartyId == partyId);
        if (atOrBefore is { } at) query = query.Where(c => c.CreatedAt <= at);
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(take)
            .Select(c => new { c.Id, c.Number, c.CreatedAt, c.ReceivedOn, c.Status, c.Description }).ToListAsync(ct);
        return rows.Select(c => new TimelineEntry(c.CreatedAt, c.ReceivedOn, TimelineKinds.Complaint, c.Number, null, null, null, $"/crm/complaints/{c.Id}", c.Id)
            .Worded(summary: new TimelineText("{0}: {1}", c.Status, c.Description.Length > 200 ? c.Description[..200] + "…" : c.Description))).ToList();
    }
}

/// <summary>
/// Events of the party itself from the audit trail whose action starts with <see cref="ActionPrefix"/> (merges, once the
/// merge module records "party.merge…" on the surviving party). Hook: widen the filter for more party events.
/// </summary>
public sealed class PartyAuditTimelineSource(KontorDbContext db) : ITimelineSource
{
    public const string ActionPrefix = "party.merge";

    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.PartyEvent];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var id = partyId.ToString();
        var query = db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(Crm.Party) && a.EntityId == id && a.Action.StartsWith(ActionPrefix));
        if (atOrBefore is { } at) query = query.Where(a => a.At <= at);
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new { a.Id, a.At, a.Action, a.UserName, a.Details }).ToListAsync(ct);
        return rows.Select(a => new TimelineEntry(a.At, null, TimelineKinds.PartyEvent, a.Action, a.UserName, null, null, null, a.Id)
            .Worded(title: Title(a.Action, a.Details))).ToList();
    }

    /// <summary>A merge is recorded on both parties: the survivor's record names the duplicate taken in. Other actions keep their name.</summary>
    private static TimelineText? Title(string action, string details)
    {
        if (action != Crm.Merge.PartyMerge.AuditAction) return null;
        using var json = System.Text.Json.JsonDocument.Parse(details);
        return json.RootElement.TryGetProperty("mergedName", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String
            ? new TimelineText("Duplicate {0} merged into this customer", name.GetString())
            : new TimelineText("Merged into another customer");
    }
}
