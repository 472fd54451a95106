using System.ComponentModel;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Crm.Activities;
using Kontor.Crm.Complaints;
using Kontor.CustomerCard;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

[Description("An activity. kind: Call|Meeting|Email|Task|Note. dueAt/doneAt: UTC instants; open while doneAt is null.")]
public sealed record ActivityDto(Guid Id, ActivityKind Kind, string Subject, string? Body, DateTimeOffset? DueAt, DateTimeOffset? DoneAt,
    Guid? OwnerUserId, ActivityOutcome? Outcome, string? OutcomeNote, Guid? PartyId, Guid? ContactId, Guid? OpportunityId,
    string? DocumentType, Guid? DocumentId, Guid? FollowUpOfActivityId, DateTimeOffset CreatedAt, string CreatedBy, Guid Version, bool IsOverdue)
{
    public static ActivityDto From(Activity a, DateTimeOffset startOfToday) => new(a.Id, a.Kind, a.Subject, a.Body, a.DueAt, a.DoneAt, a.OwnerUserId,
        a.Outcome, a.OutcomeNote, a.PartyId, a.ContactId, a.OpportunityId, a.DocumentType, a.DocumentId, a.FollowUpOfActivityId,
        a.CreatedAt, a.CreatedBy, a.Version, a.IsOverdue(startOfToday));
}

[Description("The activity and, when the outcome made one, its follow-up.")]
public sealed record ActivityResultDto(ActivityDto Activity, ActivityDto? FollowUp);

[Description("The signed-in user's open activities with a due time: overdue (oldest first), due today, and the next 7 days.")]
public sealed record MyDayDto(DateOnly Today, IReadOnlyList<ActivityDto> Overdue, IReadOnlyList<ActivityDto> DueToday, IReadOnlyList<ActivityDto> Upcoming);

public sealed record ActivityRequest(ActivityKind? Kind, string? Subject, string? Body, DateTimeOffset? DueAt, Guid? OwnerUserId,
    Guid? PartyId, Guid? ContactId, Guid? OpportunityId, string? DocumentType, Guid? DocumentId, Guid? Version = null)
{
    public SaveActivity ToCommand() => new(Kind, Subject, Body, DueAt, OwnerUserId, PartyId, ContactId, OpportunityId, DocumentType, DocumentId, Version);
}

[Description("outcome: Reached|NoAnswer|Interested|NotInterested|CallBack|Done. CallBack without followUp makes a task \"Oddzwonić: …\" (the company language's words: pl Oddzwonić, ru Перезвонить, en Call back) due in 2 days at 09:00; noFollowUp skips it.")]
public sealed record CompleteActivityRequest(ActivityOutcome? Outcome, string? OutcomeNote, FollowUpInput? FollowUp = null, bool NoFollowUp = false);

public sealed record LogCallRequest(Guid? PartyId, Guid? ContactId, string? Subject, string? Body, ActivityOutcome? Outcome, string? OutcomeNote,
    FollowUpInput? FollowUp = null, Guid? OpportunityId = null, string? DocumentType = null, Guid? DocumentId = null)
{
    public LogCall ToCommand() => new(PartyId, ContactId, Subject, Body, Outcome, OutcomeNote, FollowUp, OpportunityId, DocumentType, DocumentId);
}

public sealed record TimelineEntryDto(DateTimeOffset At, DateOnly? Date, string Kind, string Title, string? Summary, MoneyDto? Amount, string? Link, Guid SourceId)
{
    public static TimelineEntryDto From(TimelineEntry e) => new(e.At, e.Date, e.Kind, e.Title, e.Summary,
        e.Amount is { } a && e.Currency is { } c ? MoneyDto.From(a, c) : null, e.Link, e.SourceId);
}

[Description("Newest first; pass nextBefore as before for the next page (null: no more).")]
public sealed record TimelinePageDto(IReadOnlyList<TimelineEntryDto> Entries, string? NextBefore);

public sealed record ComplaintLineDto(int Position, string Description, decimal Quantity);

[Description("A complaint (reklamacja). isOverdue: open and past responseDueOn (while New) or resolutionDueOn.")]
public sealed record ComplaintDto(Guid Id, string Number, ComplaintStatus Status, Guid PartyId, string PartyName, Guid? ContactId,
    Guid? InvoiceId, string? InvoiceNumber, Guid? OrderId, string? OrderNumber, Guid? ProductId, string? ProductName,
    string Description, DateOnly ReceivedOn, DateOnly ResponseDueOn, DateOnly ResolutionDueOn, bool IsOverdue,
    ComplaintResolution? Resolution, string? ResolutionNote, Guid? CorrectionInvoiceId, string? CorrectionNumber,
    IReadOnlyList<ComplaintLineDto> Lines, DateTimeOffset CreatedAt, DateTimeOffset? RespondedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, Guid Version)
{
    public static ComplaintDto From(ComplaintView v)
    {
        var c = v.Complaint;
        return new(c.Id, c.Number, c.Status, c.PartyId, v.PartyName, c.ContactId, c.InvoiceId, v.InvoiceNumber, c.OrderId, v.OrderNumber,
            c.ProductId, v.ProductName, c.Description, c.ReceivedOn, c.ResponseDueOn, c.ResolutionDueOn, v.IsOverdue, c.Resolution, c.ResolutionNote,
            c.CorrectionInvoiceId, v.CorrectionNumber, c.Lines.Select(l => new ComplaintLineDto(l.Position, l.Description, l.Quantity)).ToList(),
            c.CreatedAt, c.RespondedAt, c.ResolvedAt, c.ClosedAt, c.Version);
    }
}

public sealed record ComplaintRequest(Guid? PartyId, Guid? ContactId, Guid? InvoiceId, Guid? OrderId, Guid? ProductId, string? Description,
    DateOnly? ReceivedOn, IReadOnlyList<ComplaintLineInput>? Lines)
{
    public CreateComplaint ToCommand() => new(PartyId, ContactId, InvoiceId, OrderId, ProductId, Description, ReceivedOn, Lines);
}

public sealed record ComplaintVersionRequest(Guid? Version);

[Description("kind: CreditNote|Replacement|Rejection. note: what was decided; for Rejection the reason (required). lines (CreditNote): [{position, quantity}] to credit; omitted = the complaint's lines.")]
public sealed record ResolveComplaintRequest(ComplaintResolution? Kind, string? Note, IReadOnlyList<ComplaintLineInput>? Lines = null, Guid? Version = null);

[Description("Customer card figures. margin and creditSales-based cost figures: only for Admin, Manager, Accountant (ReadBooks); for Sales margin is null and marginHidden true. openOpportunities: null while no pipeline is wired. dso = balance ÷ creditSales90Days × dsoPeriodDays, where dsoPeriodDays is 90 or, for a customer whose first sale is more recent, the days from it to today.")]
public sealed record CustomerCardDto(CustomerOverviewDto Overview, MarginDto? Margin, bool MarginHidden, ReturnsSummary Returns, ComplaintCounts Complaints,
    int? OpenOpportunities, PaymentMethod? PreferredPaymentMethod, MoneyDto CreditSales90Days, decimal? Dso, bool AtRisk,
    IReadOnlyList<Crm.Credit.CreditBlockReason> RiskReasons, string RiskMessage, int DsoPeriodDays = CustomerCardQuery.DsoWindowDays)
{
    public static CustomerCardDto From(CustomerCardFigures f) => new(CustomerOverviewDto.From(f.Overview),
        f.Margin is { } m ? MarginDto.From(m) : null, f.MarginHidden, f.Returns, f.Complaints, f.OpenOpportunities, f.PreferredPaymentMethod,
        MoneyDto.From(f.CreditSales90Days, f.Overview.Currency), f.Dso, f.AtRisk, f.RiskReasons, f.RiskMessage, f.DsoPeriodDays);
}

public sealed record MarginDto(MoneyDto Revenue, MoneyDto CostOfGoods, MoneyDto RevenueWithoutCost, MoneyDto Margin, decimal? MarginPercent)
{
    public static MarginDto From(MarginFigures m) => new(MoneyDto.From(m.Revenue, m.Currency), MoneyDto.From(m.CostOfGoods, m.Currency),
        MoneyDto.From(m.RevenueWithoutCost, m.Currency), MoneyDto.From(m.Margin, m.Currency), m.MarginPercent);
}

[Description("preferredPaymentMethod: BankTransfer|Cash|Card|Online|CashOnDelivery, or null to clear.")]
public sealed record PartyPaymentMethodRequest(PaymentMethod? PreferredPaymentMethod);

/// <summary>Activities, "my day", complaints, the customer card and its timeline (docs/crm.md).</summary>
public static class CrmEndpoints
{
    public static void MapCrmApi(this IEndpointRouteBuilder app)
    {
        var activities = app.MapGroup("/api/activities").WithTags("Activities").RequireAuthorization(Policies.Sell);
        activities.MapPost("", async (ActivityRequest request, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
        {
            var activity = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/activities/{activity.Id}", ActivityDto.From(activity, days.At(days.Today())));
        }).WithSummary("Create an activity. Task and Meeting need dueAt; a Note, or a Call/Email without dueAt, is recorded as done now. owner defaults to the signed-in user.");
        activities.MapGet("", async (Guid? partyId, Guid? ownerUserId, ActivityKind? kind, bool? open, int? skip, int? take, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(partyId, ownerUserId, kind, open, skip ?? 0, take ?? 100, ct)).Select(a => ActivityDto.From(a, days.At(days.Today()))).ToList()))
            .WithSummary("Activities newest first, filtered by party, owner, kind, open (true) or done (false).");
        activities.MapGet("/my-day", async (ActivityService service, ICurrentActor actor, BusinessCalendar days, CancellationToken ct) =>
        {
            if (actor.UserId is not { } userId) throw new ForbiddenException(Policies.Sell, "My day belongs to a signed-in user.");
            var day = await service.MyDayAsync(userId, ct);
            var startOfToday = days.At(days.Today());
            return TypedResults.Ok(new MyDayDto(day.Today, day.Overdue.Select(a => ActivityDto.From(a, startOfToday)).ToList(),
                day.DueToday.Select(a => ActivityDto.From(a, startOfToday)).ToList(), day.Upcoming.Select(a => ActivityDto.From(a, startOfToday)).ToList()));
        }).WithSummary("The signed-in user's open activities with a due time: overdue (oldest first), due today (Kontor:TimeZone), the next 7 days.");
        activities.MapGet("/{id:guid}", async (Guid id, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
            TypedResults.Ok(ActivityDto.From(await service.GetAsync(id, ct), days.At(days.Today()))));
        activities.MapPut("/{id:guid}", async (Guid id, ActivityRequest request, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
            TypedResults.Ok(ActivityDto.From(await service.UpdateAsync(id, request.ToCommand(), ct), days.At(days.Today()))))
            .WithSummary("Replace an activity's fields; version (optional) as last read, stale → 409.");
        activities.MapDelete("/{id:guid}", async (Guid id, ActivityService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        });
        activities.MapPost("/{id:guid}/complete", async (Guid id, CompleteActivityRequest request, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
        {
            var result = await service.CompleteAsync(id, new CompleteActivity(request.Outcome, request.OutcomeNote, request.FollowUp, request.NoFollowUp), ct);
            var startOfToday = days.At(days.Today());
            return TypedResults.Ok(new ActivityResultDto(ActivityDto.From(result.Activity, startOfToday), result.FollowUp is { } f ? ActivityDto.From(f, startOfToday) : null));
        }).WithSummary("Mark an open activity done with an outcome (already done → 409). CallBack (or an explicit followUp {kind, subject, dueAt | dueInDays}) creates a follow-up task.");
        activities.MapPost("/log-call", async (LogCallRequest request, ActivityService service, BusinessCalendar days, CancellationToken ct) =>
        {
            var result = await service.LogCallAsync(request.ToCommand(), ct);
            var startOfToday = days.At(days.Today());
            return TypedResults.Created($"/api/activities/{result.Activity.Id}",
                new ActivityResultDto(ActivityDto.From(result.Activity, startOfToday), result.FollowUp is { } f ? ActivityDto.From(f, startOfToday) : null));
        }).WithSummary("Log a call that happened, with its outcome and optional follow-up, in one request.");

        var parties = app.MapGroup("/api/parties").WithTags("Parties").RequireAuthorization(Policies.Sell);
        parties.MapGet("/{id:guid}/timeline", async (Guid id, string? before, int? take, string? kinds, CustomerTimeline timeline, CancellationToken ct) =>
        {
            var page = await timeline.GetAsync(id, before, take ?? 50, kinds?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), ct);
            return TypedResults.Ok(new TimelinePageDto(page.Entries.Select(TimelineEntryDto.From).ToList(), page.NextBefore));
        }).WithSummary("The customer's timeline, newest first: activities, issued invoices/corrections/pro formas, sent offers, orders, payments, complaints, merges. " +
                       "kinds: comma-separated (Call,Meeting,Email,Task,Note,Invoice,Correction,ProForma,Offer,Order,Payment,Complaint,PartyEvent); take ≤ 200; before: nextBefore of the previous page.");
        parties.MapGet("/{id:guid}/card", async (Guid id, CustomerCardQuery query, CancellationToken ct) =>
                TypedResults.Ok(CustomerCardDto.From(await query.GetAsync(id, ct))))
            .WithSummary("The complete customer card: overview plus margin (Admin/Manager/Accountant only; null for Sales), returns, complaints, DSO, risk flag (credit control's decision), preferred payment method.");
        parties.MapPut("/{id:guid}/payment-method", async (Guid id, PartyPaymentMethodRequest request, PartyService service, CancellationToken ct) =>
                TypedResults.Ok(PartyDto.From(await service.SetPreferredPaymentMethodAsync(id, request.PreferredPaymentMethod, ct))))
            .WithSummary("Set (or with null clear) how the customer prefers to pay.");

        var complaints = app.MapGroup("/api/complaints").WithTags("Complaints").RequireAuthorization(Policies.Sell);
        complaints.MapPost("", async (ComplaintRequest request, ComplaintService service, CancellationToken ct) =>
        {
            var complaint = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/complaints/{complaint.Id}", ComplaintDto.From(await service.GetAsync(complaint.Id, ct)));
        }).WithSummary("Register a complaint about an invoice, order or product (at least one); numbered REK/yyyy/n; responseDueOn/resolutionDueOn from the complaint settings.");
        complaints.MapGet("", async (Guid? partyId, ComplaintStatus? status, bool? open, bool? overdue, int? skip, int? take, ComplaintService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(partyId, status, open, overdue, skip ?? 0, take ?? 100, ct)))
            .WithSummary("Complaints newest first; open=true: New or InReview; overdue=true: open and past a due date.");
        complaints.MapGet("/settings", async (ComplaintService service, CancellationToken ct) => TypedResults.Ok(await service.GetSettingsAsync(ct)));
        complaints.MapPut("/settings", async (ComplaintSettings request, ComplaintService service, CancellationToken ct) =>
                TypedResults.Ok(await service.UpdateSettingsAsync(request, ct)))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Days to answer (responseDays, default 14) and to resolve (resolutionDays, default 30) complaints registered from now on.");
        complaints.MapGet("/{id:guid}", async (Guid id, ComplaintService service, CancellationToken ct) => TypedResults.Ok(ComplaintDto.From(await service.GetAsync(id, ct))));
        complaints.MapPost("/{id:guid}/review", async (Guid id, ComplaintVersionRequest? request, ComplaintService service, CancellationToken ct) =>
        {
            await service.StartReviewAsync(id, request?.Version, ct);
            return TypedResults.Ok(ComplaintDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("New → InReview (answers the customer). Any other state: 409.");
        complaints.MapPost("/{id:guid}/resolve", async (Guid id, ResolveComplaintRequest request, ComplaintService service, CancellationToken ct) =>
        {
            await service.ResolveAsync(id, new ResolveComplaint(request.Kind, request.Note, request.Lines, request.Version), ct);
            return TypedResults.Ok(ComplaintDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Resolve an open complaint: CreditNote (correction draft of the invoice with the chosen lines; correctionInvoiceId), Replacement (recorded), Rejection (note = reason, required). Not open: 409.");
        complaints.MapPost("/{id:guid}/close", async (Guid id, ComplaintVersionRequest? request, ComplaintService service, CancellationToken ct) =>
        {
            await service.CloseAsync(id, request?.Version, ct);
            return TypedResults.Ok(ComplaintDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Resolved or Rejected → Closed. Any other state: 409.");
    }
}
