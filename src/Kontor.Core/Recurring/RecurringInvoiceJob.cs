using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Recurring;

/// <summary>One invoiced period.</summary>
public sealed record RecurringRunOutcome(Guid ScheduleId, DateOnly RunDate, Guid InvoiceId, string? InvoiceNumber, InvoiceStatus InvoiceStatus);

/// <summary>A schedule whose period could not be invoiced this round; it is tried again next round.</summary>
public sealed record RecurringRunFailure(Guid ScheduleId, DateOnly? RunDate, string Error);

public sealed record RecurringJobResult(IReadOnlyList<RecurringRunOutcome> Runs, IReadOnlyList<RecurringRunFailure> Failures);

/// <summary>
/// Turns due schedules into invoices. Safe on several nodes at once and idempotent per period:
/// <list type="bullet">
/// <item>one unit of work per (schedule, period): claim, write the <see cref="RecurringRun"/>, create (and issue)
/// the invoice, advance <see cref="RecurringSchedule.NextRunDate"/>, audit — all or nothing;</item>
/// <item>PostgreSQL: the schedule row is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so a second worker skips a
/// schedule that another is working on instead of waiting for it and then doing the period again;</item>
/// <item>SQLite: the in-process write gate serialises units of work (one process per database file);</item>
/// <item>the unique (ScheduleId, RunDate) index is the last guard: a violation means "already done" and that
/// period is rolled back, never duplicated.</item>
/// </list>
/// Catch-up: every period from NextRunDate up to <c>today</c> is invoiced, each with its own run date as issue date.
/// Automatic issue is credit-checked like an issue by a person: a blocked buyer's period is not invoiced, stays due and is
/// reported in <see cref="RecurringJobResult.Failures"/> (and the log) with credit control's reason, until the block is lifted.
/// See docs/decisions.md, "Recurring invoices".
/// </summary>
public sealed class RecurringInvoiceJob(IServiceScopeFactory scopes, ILogger<RecurringInvoiceJob> logger)
{
    /// <summary>Most periods of one schedule per round: a long-overdue daily schedule catches up over several rounds.</summary>
    public const int MaxPeriodsPerRound = 400;

    public async Task<RecurringJobResult> RunDueAsync(DateOnly today, CancellationToken ct = default)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            due = await db.RecurringSchedules.AsNoTracking()
                .Where(s => s.Status == RecurringStatus.Active && s.NextRunDate != null && s.NextRunDate <= today)
                .OrderBy(s => s.NextRunDate).ThenBy(s => s.Id)
                .Select(s => s.Id)
                .ToListAsync(ct);
        }

        var runs = new List<RecurringRunOutcome>();
        var failures = new List<RecurringRunFailure>();
        foreach (var scheduleId in due)
        {
            for (var period = 0; period < MaxPeriodsPerRound; period++)
            {
                ct.ThrowIfCancellationRequested();
                RecurringRunOutcome? outcome;
                try
                {
                    outcome = await RunNextPeriodAsync(scheduleId, today, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // One bad schedule (a product deleted, a buyer gone, ...) must not stop the others; it is retried next round.
                    logger.LogError(e, "Recurring schedule {ScheduleId}: invoicing the due period failed; retrying next round.", scheduleId);
                    failures.Add(new RecurringRunFailure(scheduleId, null, e.Message));
                    break;
                }
                if (outcome is null) break;
                runs.Add(outcome);
            }
        }
        if (runs.Count > 0 || failures.Count > 0)
            logger.LogInformation("Recurring invoices for {Today}: {Runs} period(s) invoiced, {Failures} schedule(s) failed.", today, runs.Count, failures.Count);
        return new RecurringJobResult(runs, failures);
    }

    /// <summary>
    /// Invoices the schedule's next period if it is due and nobody else is on it; null when there is nothing
    /// (more) to do for this schedule now. A fresh scope per period: a failed period leaves nothing behind.
    /// </summary>
    private async Task<RecurringRunOutcome?> RunNextPeriodAsync(Guid scheduleId, DateOnly today, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KontorDbContext>();
        var unitOfWork = services.GetRequiredService<UnitOfWork>();
        var invoices = services.GetRequiredService<InvoiceService>();
        var audit = services.GetRequiredService<AuditTrail>();
        var clock = services.GetRequiredService<TimeProvider>();
        DateOnly? runDate = null;
        try
        {
            return await unitOfWork.ExecuteAsync(async token =>
            {
                if (db.Database.IsNpgsql())
                {
                    // Claim the row for this transaction; a row another worker holds is skipped, not waited for.
                    var claimed = await db.Database.SqlQuery<Guid>(
                            $"""SELECT "Id" AS "Value" FROM "RecurringSchedules" WHERE "Id" = {scheduleId} AND "Status" = 'Active' AND "NextRunDate" <= {today} FOR UPDATE SKIP LOCKED""")
                        .ToListAsync(token);
                    if (claimed.Count == 0) return null;
                }
                // Read inside the transaction (after the claim): the period another worker just finished is not due any more.
                var schedule = await db.RecurringSchedules.Include(s => s.Lines).FirstOrDefaultAsync(s => s.Id == scheduleId, token);
                if (schedule is not { Status: RecurringStatus.Active, NextRunDate: { } next } || next > today) return null;
                runDate = next;
                if (schedule.EndDate is { } end && next > end)
                {
                    schedule.NextRunDate = null;
                    return null;
                }

                var invoice = await invoices.CreateDraftAsync(RecurringScheduleService.ToInvoiceDraft(schedule, next), token);
                db.RecurringRuns.Add(new RecurringRun { ScheduleId = schedule.Id, RunDate = next, InvoiceId = invoice.Id, CreatedAt = clock.GetUtcNow() });
                // Written now, inside the transaction: the unique (ScheduleId, RunDate) index answers before any number is taken,
                // and IssueAsync reads the draft from the database.
                await db.SaveChangesAsync(token);
                // Issued as a person would issue it: credit control is asked, and a blocked buyer (CreditBlockedException) rolls the
                // whole period back — no draft, no run, the schedule stays due — and the round reports it as a failure with the reason.
                if (schedule.IssueAutomatically) invoice = await invoices.IssueAsync(invoice.Id, creditOverride: null, token);

                schedule.NextRunDate = RecurringCalendar.Next(schedule, next);
                schedule.Version = Guid.NewGuid();
                audit.Record("recurring.run", nameof(RecurringSchedule), schedule.Id,
                    new { runDate = next, invoiceId = invoice.Id, invoice.Number, issued = invoice.Status == InvoiceStatus.Issued, schedule.NextRunDate });
                return new RecurringRunOutcome(schedule.Id, next, invoice.Id, invoice.Number, invoice.Status);
            }, ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, nameof(KontorDbContext.RecurringRuns)))
        {
            logger.LogInformation("Recurring schedule {ScheduleId}: period {RunDate} was already invoiced by another worker.", scheduleId, runDate);
            return null;
        }
    }
}
