using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Recurring;

/// <param name="DayOfMonth">1–31 for Monthly, Quarterly and Yearly; default the start date's day.</param>
/// <param name="IntervalDays">Required for EveryNDays (1–3660).</param>
public sealed record SaveRecurringSchedule(
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
    IReadOnlyList<InvoiceLineInput>? Lines);

public sealed record RecurringScheduleListItem(Guid Id, Guid PartyId, string PartyName, RecurringFrequency Frequency, int? IntervalDays, int? DayOfMonth,
    DateOnly StartDate, DateOnly? EndDate, DateOnly? NextRunDate, RecurringStatus Status, bool IssueAutomatically, string Currency, int RunCount);

public sealed record RecurringRunView(DateOnly RunDate, Guid? InvoiceId, string? InvoiceNumber, InvoiceStatus? InvoiceStatus, decimal? TotalGross, DateTimeOffset CreatedAt);

/// <summary>A schedule with the totals its lines make today and every period it has invoiced, newest first.</summary>
public sealed record RecurringScheduleView(RecurringSchedule Schedule, string PartyName, InvoiceTotals Totals, IReadOnlyList<RecurringRunView> Runs);

/// <summary>Recurring invoice schedules: create, edit (future runs only), pause, resume, delete (soft), read.</summary>
public sealed class RecurringScheduleService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    InvoiceService invoices,
    BusinessCalendar calendar,
    TimeProvider clock)
{
    public const int MaxIntervalDays = 3660;

    public async Task<RecurringSchedule> CreateAsync(SaveRecurringSchedule command, CancellationToken ct = default)
    {
        var schedule = new RecurringSchedule { CreatedAt = clock.GetUtcNow(), Status = RecurringStatus.Active };
        await ApplyAsync(schedule, command, ct);
        // A new schedule starts at its start date: a start in the past invoices the periods since then (catch-up),
        // which is how a contract already running is entered.
        schedule.NextRunDate = RecurringCalendar.OccurrenceOnOrAfter(schedule.Frequency, schedule.IntervalDays, schedule.DayOfMonth,
            schedule.StartDate, schedule.EndDate, schedule.StartDate);
        await unitOfWork.ExecuteAsync(token =>
        {
            db.RecurringSchedules.Add(schedule);
            audit.Record("recurring.created", nameof(RecurringSchedule), schedule.Id, Summary(schedule));
            Kontor.Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(RecurringSchedule), schedule.Id, schedule.Lines);
            return Task.FromResult(0);
        }, ct);
        return schedule;
    }

    /// <summary>
    /// Replaces the template and the calendar. Past runs and their invoices stay as they are; the next run is
    /// the first date of the new calendar after the last invoiced period (or from the start when none was).
    /// </summary>
    public async Task<RecurringSchedule> UpdateAsync(Guid id, SaveRecurringSchedule command, CancellationToken ct = default)
    {
        var replacement = new RecurringSchedule();
        await ApplyAsync(replacement, command, ct);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var schedule = await LoadForChangeAsync(id, token);
            var before = Summary(schedule);
            var previousLines = schedule.Lines.ToList();
            db.RecurringScheduleLines.RemoveRange(schedule.Lines);
            schedule.Lines.Clear();
            schedule.PartyId = replacement.PartyId;
            schedule.Currency = replacement.Currency;
            schedule.PricingMode = replacement.PricingMode;
            schedule.Notes = replacement.Notes;
            schedule.PaymentTermDays = replacement.PaymentTermDays;
            schedule.Frequency = replacement.Frequency;
            schedule.IntervalDays = replacement.IntervalDays;
            schedule.DayOfMonth = replacement.DayOfMonth;
            schedule.StartDate = replacement.StartDate;
            schedule.EndDate = replacement.EndDate;
            schedule.IssueAutomatically = replacement.IssueAutomatically;
            foreach (var line in replacement.Lines)
                schedule.Lines.Add(new RecurringScheduleLine
                {
                    ScheduleId = schedule.Id, Position = line.Position, ProductId = line.ProductId, Description = line.Description, Unit = line.Unit,
                    Quantity = line.Quantity, UnitPrice = line.UnitPrice, DiscountPercent = line.DiscountPercent, VatRateCode = line.VatRateCode,
                }.WithPricingOf<RecurringScheduleLine>(line));
            db.RecurringScheduleLines.AddRange(schedule.Lines);
            var lastRun = await db.RecurringRuns.Where(r => r.ScheduleId == id).MaxAsync(r => (DateOnly?)r.RunDate, token);
            schedule.NextRunDate = RecurringCalendar.OccurrenceOnOrAfter(schedule.Frequency, schedule.IntervalDays, schedule.DayOfMonth,
                schedule.StartDate, schedule.EndDate, lastRun?.AddDays(1) ?? schedule.StartDate);
            Touch(schedule);
            audit.Record("recurring.changed", nameof(RecurringSchedule), schedule.Id, new { before, after = Summary(schedule) });
            Kontor.Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(RecurringSchedule), schedule.Id, schedule.Lines, previousLines);
            return schedule;
        }, ct);
    }

    /// <summary>Stops the runs until resumed. Periods that fall in the pause are not invoiced later.</summary>
    public Task<RecurringSchedule> PauseAsync(Guid id, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            var schedule = await LoadForChangeAsync(id, token);
            if (schedule.Status == RecurringStatus.Active)
            {
                schedule.Status = RecurringStatus.Paused;
                Touch(schedule);
                audit.Record("recurring.paused", nameof(RecurringSchedule), schedule.Id, new { schedule.NextRunDate });
            }
            return schedule;
        }, ct);

    /// <summary>Runs again from today on: the next run is the first date of the calendar on or after today.</summary>
    public Task<RecurringSchedule> ResumeAsync(Guid id, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            var schedule = await LoadForChangeAsync(id, token);
            if (schedule.Status == RecurringStatus.Paused)
            {
                var lastRun = await db.RecurringRuns.Where(r => r.ScheduleId == id).MaxAsync(r => (DateOnly?)r.RunDate, token);
                var from = calendar.Today();
                if (lastRun is { } last && last >= from) from = last.AddDays(1);
                schedule.Status = RecurringStatus.Active;
                schedule.NextRunDate = RecurringCalendar.OccurrenceOnOrAfter(schedule.Frequency, schedule.IntervalDays, schedule.DayOfMonth,
                    schedule.StartDate, schedule.EndDate, from);
                Touch(schedule);
                audit.Record("recurring.resumed", nameof(RecurringSchedule), schedule.Id, new { schedule.NextRunDate });
            }
            return schedule;
        }, ct);

    /// <summary>Soft delete: no more runs, gone from the list, but the runs and invoices it made stay.</summary>
    public Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            var schedule = await LoadForChangeAsync(id, token);
            schedule.Status = RecurringStatus.Deleted;
            schedule.NextRunDate = null;
            Touch(schedule);
            audit.Record("recurring.deleted", nameof(RecurringSchedule), schedule.Id, Summary(schedule));
            return 0;
        }, ct);

    public async Task<IReadOnlyList<RecurringScheduleListItem>> ListAsync(Guid? partyId, RecurringStatus? status, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.RecurringSchedules.AsNoTracking();
        query = status is null ? query.Where(s => s.Status != RecurringStatus.Deleted) : query.Where(s => s.Status == status);
        if (partyId is not null) query = query.Where(s => s.PartyId == partyId);
        return await query
            .OrderByDescending(s => s.CreatedAt)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Parties, s => s.PartyId, p => p.Id, (s, p) => new RecurringScheduleListItem(s.Id, s.PartyId, p.Name, s.Frequency, s.IntervalDays, s.DayOfMonth,
                s.StartDate, s.EndDate, s.NextRunDate, s.Status, s.IssueAutomatically, s.Currency, db.RecurringRuns.Count(r => r.ScheduleId == s.Id)))
            .ToListAsync(ct);
    }

    public async Task<RecurringScheduleView> GetAsync(Guid id, CancellationToken ct = default)
    {
        // One snapshot for the schedule and its runs: the worker adds a run and moves the next date in one commit, and a
        // view read across that commit showed the new run beside the old next date.
        await using var snapshot = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
            : null;
        var schedule = await db.RecurringSchedules.AsNoTracking().Include(s => s.Lines.OrderBy(l => l.Position))
                           .FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("Recurring schedule", id);
        var partyName = await db.Parties.Where(p => p.Id == schedule.PartyId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "";
        var runs = await db.RecurringRuns.AsNoTracking().Where(r => r.ScheduleId == id)
            .OrderByDescending(r => r.RunDate)
            .GroupJoin(db.Invoices, r => r.InvoiceId, i => i.Id, (r, found) => new { r, found })
            .SelectMany(x => x.found.DefaultIfEmpty(), (x, i) => new RecurringRunView(x.r.RunDate, x.r.InvoiceId,
                i == null ? null : i.Number, i == null ? null : i.Status, i == null ? null : i.TotalGross, x.r.CreatedAt))
            .ToListAsync(ct);
        var totals = InvoiceCalculator.Calculate([], schedule.PricingMode, Kontor.Common.Currency.Parse(schedule.Currency));
        try
        {
            totals = await invoices.PreviewAsync(ToInvoiceDraft(schedule, calendar.Today()), ct);
        }
        catch (ValidationException)
        {
            // A product or rate the template names may have gone since; the runs will report it, reading must not fail.
        }
        return new RecurringScheduleView(schedule, partyName, totals, runs);
    }

    /// <summary>The invoice a run on <paramref name="runDate"/> makes: the template with that date as the issue and sale date.</summary>
    internal static SaveInvoiceDraft ToInvoiceDraft(RecurringSchedule s, DateOnly runDate) =>
        new(s.PartyId, s.Currency, s.PricingMode, runDate, null, s.PaymentTermDays, s.Notes,
            s.Lines.OrderBy(l => l.Position)
                .Select(l => l.ToCopiedInput())
                .ToList());

    private async Task<RecurringSchedule> LoadForChangeAsync(Guid id, CancellationToken ct)
    {
        var schedule = await db.RecurringSchedules.Include(s => s.Lines).FirstOrDefaultAsync(s => s.Id == id, ct)
                       ?? throw new NotFoundException("Recurring schedule", id);
        if (schedule.Status == RecurringStatus.Deleted)
            throw new ConflictException("The recurring schedule was deleted and can no longer be changed.");
        return schedule;
    }

    private void Touch(RecurringSchedule schedule)
    {
        schedule.UpdatedAt = clock.GetUtcNow();
        schedule.Version = Guid.NewGuid();
    }

    private static object Summary(RecurringSchedule s) => new
    {
        s.PartyId, s.Currency, s.Frequency, s.IntervalDays, s.DayOfMonth, s.StartDate, s.EndDate, s.IssueAutomatically, s.NextRunDate, lines = s.Lines.Count,
    };

    /// <summary>
    /// Validates the calendar here and the lines by the invoice rules (<see cref="InvoiceService.BuildUnsavedDraftAsync"/>),
    /// reporting every problem at once with the field names of the request.
    /// </summary>
    private async Task ApplyAsync(RecurringSchedule schedule, SaveRecurringSchedule? c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A recurring schedule is required.");
        var errors = new ValidationErrors();
        var monthBased = c.Frequency is RecurringFrequency.Monthly or RecurringFrequency.Quarterly or RecurringFrequency.Yearly;
        errors.Require(Enum.IsDefined(c.Frequency), "frequency", "frequency must be Monthly, Quarterly, Yearly or EveryNDays.");
        errors.Require(c.StartDate is not null, "startDate", "startDate is required.");
        var start = c.StartDate ?? calendar.Today();
        errors.Require(start.Year is >= 2000 and <= 2200, "startDate", "startDate must be between 2000 and 2200.");
        errors.Require(c.EndDate is null || c.EndDate >= start, "endDate", "endDate cannot be before startDate.");
        errors.Require(c.EndDate is null || c.EndDate.Value.Year <= 2200, "endDate", "endDate must be before 2201.");
        if (c.Frequency == RecurringFrequency.EveryNDays)
        {
            errors.Require(c.IntervalDays is >= 1 and <= MaxIntervalDays, "intervalDays", $"intervalDays is required for EveryNDays and must be between 1 and {MaxIntervalDays}.");
            errors.Require(c.DayOfMonth is null, "dayOfMonth", "dayOfMonth applies to Monthly, Quarterly and Yearly only.");
        }
        else if (monthBased)
        {
            errors.Require(c.DayOfMonth is null or >= 1 and <= 31, "dayOfMonth", "dayOfMonth must be between 1 and 31.");
            errors.Require(c.IntervalDays is null, "intervalDays", "intervalDays applies to EveryNDays only.");
        }
        errors.Require(c.Lines is { Count: > 0 }, "lines", "A recurring invoice needs at least one line.");

        // The lines as an invoice issued on the start date would have them: the same rules, messages and field names.
        var built = await errors.TryAsync(() => invoices.BuildUnsavedDraftAsync(new SaveInvoiceDraft(c.PartyId, c.Currency, c.PricingMode, start, null, c.PaymentTermDays, c.Notes, c.Lines), ct));
        if (built is not null && built.TotalGross <= 0) errors.Add("lines", "The invoice total must be greater than zero.");
        errors.ThrowIfAny();

        schedule.PartyId = built!.PartyId;
        schedule.Currency = built.Currency;
        schedule.PricingMode = built.PricingMode;
        schedule.Notes = built.Notes;
        schedule.PaymentTermDays = c.PaymentTermDays;
        schedule.Frequency = c.Frequency;
        schedule.IntervalDays = monthBased ? null : c.IntervalDays;
        schedule.DayOfMonth = monthBased ? c.DayOfMonth ?? start.Day : null;
        schedule.StartDate = start;
        schedule.EndDate = c.EndDate;
        schedule.IssueAutomatically = c.IssueAutomatically;
        schedule.Lines.AddRange(built.Lines.Select(l => new RecurringScheduleLine
        {
            ScheduleId = schedule.Id, Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
            Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent, VatRateCode = l.VatRateCode,
        }.WithPricingOf<RecurringScheduleLine>(l)));
    }
}
