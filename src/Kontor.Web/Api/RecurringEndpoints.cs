using System.ComponentModel;
using Kontor.Company;
using Kontor.Recurring;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

/// <param name="Frequency">Monthly | Quarterly | Yearly | EveryNDays.</param>
/// <param name="IntervalDays">Days between runs; required for EveryNDays only.</param>
/// <param name="DayOfMonth">1–31 for Monthly/Quarterly/Yearly (a shorter month uses its last day); default the start date's day.</param>
/// <param name="IssueAutomatically">true: each invoice is issued (numbered, posted) on its run date; false: drafts are left for review.</param>
public sealed record RecurringScheduleRequest(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    RecurringFrequency Frequency,
    int? IntervalDays,
    int? DayOfMonth,
    DateOnly? StartDate,
    DateOnly? EndDate,
    bool IssueAutomatically,
    int? PaymentTermDays,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines)
{
    public SaveRecurringSchedule ToCommand() => new(PartyId, Currency, PricingMode, Frequency, IntervalDays, DayOfMonth, StartDate, EndDate,
        IssueAutomatically, PaymentTermDays, Notes, Lines);
}

public sealed record RecurringLineDto(int Position, Guid? ProductId, string Description, string Unit, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, string VatRateCode, LinePricingDto? Pricing = null);

public sealed record RecurringRunDto(DateOnly RunDate, Guid? InvoiceId, string? InvoiceNumber, InvoiceStatus? InvoiceStatus, MoneyDto? TotalGross, DateTimeOffset CreatedAt);

[Description("A recurring invoice schedule. nextRunDate is the next period to invoice (null once the end date has passed or the schedule is deleted); runs are the periods invoiced so far, newest first.")]
public sealed record RecurringScheduleDto(Guid Id, Guid PartyId, string PartyName, string Currency, PricingMode PricingMode, RecurringFrequency Frequency,
    int? IntervalDays, int? DayOfMonth, DateOnly StartDate, DateOnly? EndDate, bool IssueAutomatically, int? PaymentTermDays, string? Notes,
    RecurringStatus Status, DateOnly? NextRunDate, IReadOnlyList<RecurringLineDto> Lines, MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross,
    IReadOnlyList<RecurringRunDto> Runs, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt)
{
    public static RecurringScheduleDto From(RecurringScheduleView view)
    {
        var s = view.Schedule;
        return new(s.Id, s.PartyId, view.PartyName, s.Currency, s.PricingMode, s.Frequency, s.IntervalDays, s.DayOfMonth, s.StartDate, s.EndDate,
            s.IssueAutomatically, s.PaymentTermDays, s.Notes, s.Status, s.NextRunDate,
            s.Lines.OrderBy(l => l.Position).Select(l => new RecurringLineDto(l.Position, l.ProductId, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, LinePricingDto.From(l))).ToList(),
            MoneyDto.From(view.Totals.Net, s.Currency), MoneyDto.From(view.Totals.Vat, s.Currency), MoneyDto.From(view.Totals.Gross, s.Currency),
            view.Runs.Select(r => new RecurringRunDto(r.RunDate, r.InvoiceId, r.InvoiceNumber, r.InvoiceStatus,
                r.TotalGross is { } gross ? MoneyDto.From(gross, s.Currency) : null, r.CreatedAt)).ToList(),
            s.CreatedAt, s.UpdatedAt);
    }
}

public sealed record RecurringRunOutcomeDto(Guid ScheduleId, DateOnly RunDate, Guid InvoiceId, string? InvoiceNumber, InvoiceStatus InvoiceStatus);

public sealed record RecurringRunFailureDto(Guid ScheduleId, string Error);

public sealed record RecurringJobResultDto(DateOnly Today, IReadOnlyList<RecurringRunOutcomeDto> Runs, IReadOnlyList<RecurringRunFailureDto> Failures);

/// <summary>Recurring invoice schedules and a manual trigger of the job that invoices them.</summary>
public static class RecurringEndpoints
{
    public static void MapRecurringInvoiceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/recurring-invoices").WithTags("Recurring invoices").RequireAuthorization(Policies.Sell);

        group.MapPost("", async (RecurringScheduleRequest request, RecurringScheduleService service, CancellationToken ct) =>
        {
            var schedule = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/recurring-invoices/{schedule.Id}", RecurringScheduleDto.From(await service.GetAsync(schedule.Id, ct)));
        }).WithSummary("Create a schedule; the first run is the first calendar date on or after startDate (a past start catches up the periods since).");
        group.MapGet("", async (Guid? partyId, RecurringStatus? status, int? skip, int? take, RecurringScheduleService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(partyId, status, skip ?? 0, take ?? 100, ct)))
            .WithSummary("Schedules, newest first; deleted ones only with status=Deleted.");
        group.MapGet("/{id:guid}", async (Guid id, RecurringScheduleService service, CancellationToken ct) =>
            TypedResults.Ok(RecurringScheduleDto.From(await service.GetAsync(id, ct))));
        group.MapPut("/{id:guid}", async (Guid id, RecurringScheduleRequest request, RecurringScheduleService service, CancellationToken ct) =>
        {
            await service.UpdateAsync(id, request.ToCommand(), ct);
            return TypedResults.Ok(RecurringScheduleDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Replace the template and calendar. Affects future runs only: invoiced periods and their invoices stay.");
        group.MapDelete("/{id:guid}", async (Guid id, RecurringScheduleService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete (soft): no more runs; the runs and invoices made so far stay.");
        group.MapPost("/{id:guid}/pause", async (Guid id, RecurringScheduleService service, CancellationToken ct) =>
        {
            await service.PauseAsync(id, ct);
            return TypedResults.Ok(RecurringScheduleDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Stop the runs; periods falling in the pause are not invoiced later.");
        group.MapPost("/{id:guid}/resume", async (Guid id, RecurringScheduleService service, CancellationToken ct) =>
        {
            await service.ResumeAsync(id, ct);
            return TypedResults.Ok(RecurringScheduleDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Run again; the next run is the first calendar date on or after today.");

        app.MapPost("/api/recurring-invoices/run-due", async (RecurringInvoiceJob job, BusinessCalendar calendar, CancellationToken ct) =>
            {
                var today = calendar.Today();
                var result = await job.RunDueAsync(today, ct);
                return TypedResults.Ok(new RecurringJobResultDto(today,
                    result.Runs.Select(r => new RecurringRunOutcomeDto(r.ScheduleId, r.RunDate, r.InvoiceId, r.InvoiceNumber, r.InvoiceStatus)).ToList(),
                    result.Failures.Select(f => new RecurringRunFailureDto(f.ScheduleId, f.Error)).ToList()));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithTags("Recurring invoices")
            .WithSummary("Run the recurring invoice job now for today (it also runs in the background); each period is invoiced once however often this is called.");
    }
}
