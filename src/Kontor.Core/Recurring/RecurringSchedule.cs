using Kontor.Sales;

namespace Kontor.Recurring;

public enum RecurringFrequency { Monthly, Quarterly, Yearly, EveryNDays }

/// <summary>Deleted is a soft delete: the schedule's runs and the invoices they made stay readable.</summary>
public enum RecurringStatus { Active, Paused, Deleted }

/// <summary>
/// A recurring invoice (faktura cykliczna): a template of invoice lines for one buyer and the calendar on
/// which the job turns it into invoices. <see cref="NextRunDate"/> is the one period still to be invoiced;
/// the job advances it in the same transaction that writes the <see cref="RecurringRun"/> and the invoice
/// (docs/decisions.md, "Recurring invoices").
/// </summary>
public sealed class RecurringSchedule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; set; }
    public string Currency { get; set; } = "PLN";
    public PricingMode PricingMode { get; set; }
    public string? Notes { get; set; }
    /// <summary>Overrides the buyer's payment term on every invoice when set.</summary>
    public int? PaymentTermDays { get; set; }
    public RecurringFrequency Frequency { get; set; }
    /// <summary>Days between runs for <see cref="RecurringFrequency.EveryNDays"/>; null otherwise.</summary>
    public int? IntervalDays { get; set; }
    /// <summary>1–31 for the month-based frequencies (a shorter month uses its last day); null for every-N-days.</summary>
    public int? DayOfMonth { get; set; }
    public DateOnly StartDate { get; set; }
    /// <summary>Last day a run may fall on; null = no end.</summary>
    public DateOnly? EndDate { get; set; }
    /// <summary>Issue (number and post) each invoice at once; otherwise the job leaves drafts for a person to check.</summary>
    public bool IssueAutomatically { get; set; }
    public RecurringStatus Status { get; set; }
    /// <summary>The next period to invoice; null once the end date is passed (the schedule is finished).</summary>
    public DateOnly? NextRunDate { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<RecurringScheduleLine> Lines { get; init; } = [];
}

/// <summary>
/// One template line, stored as validated and resolved when the schedule was saved (the product's price and
/// name of that moment): every run invoices the same thing until a person edits the schedule. The VAT rate is
/// kept as a code and resolved again for each run date, so a change of the law applies to later periods.
/// </summary>
public sealed class RecurringScheduleLine : LineTerms
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ScheduleId { get; init; }
}

/// <summary>
/// One invoiced period of a schedule. (ScheduleId, RunDate) is unique in the database: whatever happens
/// between nodes, a period can be written once only. <see cref="InvoiceId"/> becomes null if a person later
/// deletes the draft the run created; the period stays done.
/// </summary>
public sealed class RecurringRun
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ScheduleId { get; init; }
    public DateOnly RunDate { get; init; }
    public Guid? InvoiceId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The dates a schedule runs on: pure arithmetic, so it can be tested as a table.</summary>
public static class RecurringCalendar
{
    public static int MonthsPerPeriod(RecurringFrequency frequency) => frequency switch
    {
        RecurringFrequency.Monthly => 1,
        RecurringFrequency.Quarterly => 3,
        RecurringFrequency.Yearly => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Not a month-based frequency."),
    };

    /// <summary>
    /// The first run date on or after <paramref name="from"/> (never before the start), or null when it would
    /// fall after the end date. Month-based schedules run on <c>dayOfMonth</c> of every 1st/3rd/12th month
    /// counted from the start date's month, clamped to the month's last day; each date is computed from the
    /// month itself, so 31 Jan → 28 Feb → 31 Mar (no drift to the 28th). Every-N-days runs on start + k·N.
    /// </summary>
    public static DateOnly? OccurrenceOnOrAfter(RecurringFrequency frequency, int? intervalDays, int? dayOfMonth,
        DateOnly startDate, DateOnly? endDate, DateOnly from)
    {
        if (from < startDate) from = startDate;
        DateOnly date;
        if (frequency == RecurringFrequency.EveryNDays)
        {
            var n = intervalDays ?? throw new ArgumentException("intervalDays is required for EveryNDays.", nameof(intervalDays));
            var elapsed = from.DayNumber - startDate.DayNumber;
            var periods = (elapsed + n - 1) / n; // round up: the first k with start + k·n >= from
            date = startDate.AddDays(periods * n);
        }
        else
        {
            var step = MonthsPerPeriod(frequency);
            var day = dayOfMonth ?? startDate.Day;
            var anchor = startDate.Year * 12 + startDate.Month - 1;
            var index = (from.Year * 12 + from.Month - 1 - anchor) / step; // the period of `from`'s month or the one before
            date = InMonth(anchor + index * step, day);
            while (date < from) date = InMonth(anchor + ++index * step, day);
        }
        return endDate is { } end && date > end ? null : date;
    }

    /// <summary>The run after <paramref name="runDate"/>, or null when the schedule has ended.</summary>
    public static DateOnly? Next(RecurringSchedule s, DateOnly runDate) =>
        OccurrenceOnOrAfter(s.Frequency, s.IntervalDays, s.DayOfMonth, s.StartDate, s.EndDate, runDate.AddDays(1));

    private static DateOnly InMonth(int monthNumber, int day)
    {
        var year = monthNumber / 12;
        var month = monthNumber % 12 + 1;
        return new DateOnly(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));
    }
}
