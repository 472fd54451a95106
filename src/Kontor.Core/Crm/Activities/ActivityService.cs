using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Crm.Activities;

/// <summary>A follow-up to create when an activity is completed. Due: <paramref name="DueAt"/>, or <paramref name="DueInDays"/> days from today at 09:00 local time.</summary>
public sealed record FollowUpInput(ActivityKind? Kind, string? Subject, DateTimeOffset? DueAt, int? DueInDays);

/// <summary>A new activity or the full new state of one (<paramref name="Version"/> as last read; stale → 409).</summary>
public sealed record SaveActivity(
    ActivityKind? Kind, string? Subject, string? Body, DateTimeOffset? DueAt, Guid? OwnerUserId,
    Guid? PartyId, Guid? ContactId, Guid? OpportunityId, string? DocumentType, Guid? DocumentId, Guid? Version = null);

/// <param name="FollowUp">An explicit follow-up; without it an outcome of CallBack makes a "Call back" task (<see cref="ActivityService.DefaultCallBackDays"/> days).</param>
/// <param name="NoFollowUp">Complete a CallBack outcome without the automatic follow-up.</param>
public sealed record CompleteActivity(ActivityOutcome? Outcome, string? OutcomeNote, FollowUpInput? FollowUp = null, bool NoFollowUp = false);

/// <summary>"Log a call": a call that already happened, with its outcome (and a follow-up), in one request.</summary>
public sealed record LogCall(
    Guid? PartyId, Guid? ContactId, string? Subject, string? Body, ActivityOutcome? Outcome, string? OutcomeNote,
    FollowUpInput? FollowUp = null, Guid? OpportunityId = null, string? DocumentType = null, Guid? DocumentId = null);

/// <summary>An activity and, when its completion made one, the follow-up created with it.</summary>
public sealed record ActivityResult(Activity Activity, Activity? FollowUp);

/// <summary>The signed-in user's open activities with a due time: overdue (oldest first), due today, and the next days.</summary>
public sealed record MyDay(DateOnly Today, IReadOnlyList<Activity> Overdue, IReadOnlyList<Activity> DueToday, IReadOnlyList<Activity> Upcoming);

/// <summary>
/// Activities of the CRM (docs/crm.md, "Activities and my day"): calls, meetings, e-mails, tasks and notes about a party.
/// Tasks and meetings need a due time; calls and e-mails without one are logged as done now; a note is done when written.
/// Completing with an outcome may create a follow-up task for the same owner, party and contact.
/// </summary>
public sealed class ActivityService(
    KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, ICurrentActor actor, TimeProvider clock, Company.BusinessCalendar days,
    Company.CompanyProfileProvider company)
{
    public const int DefaultCallBackDays = 2;
    public const int MaxFollowUpDays = 3650;
    public const int UpcomingDays = 7;
    public static readonly TimeOnly FollowUpTime = new(9, 0);

    /// <summary>Document types an activity may point to (those of <see cref="Sales.NumberingSeries"/> and complaints).</summary>
    public static readonly IReadOnlyList<string> DocumentTypes =
        [Sales.NumberingSeries.InvoiceDocumentType, Sales.NumberingSeries.CorrectionDocumentType, Sales.NumberingSeries.ProFormaDocumentType,
         Offers.Offer.DocumentType, Orders.Order.DocumentType, Complaints.Complaint.DocumentType];

    public async Task<Activity> CreateAsync(SaveActivity command, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var activity = new Activity { CreatedAt = now, CreatedBy = actor.Name };
            await ApplyAsync(activity, command, isNew: true, token);
            // Something that is not planned already happened: a note, or a call/e-mail logged without a due time.
            if (activity.Kind == ActivityKind.Note || (activity.DueAt is null && activity.Kind is ActivityKind.Call or ActivityKind.Email))
                activity.DoneAt = now;
            activity.Touch();
            db.Add(activity);
            audit.Record("activity.created", nameof(Activity), activity.Id, new { activity.Kind, activity.Subject, activity.PartyId, activity.DueAt, activity.OwnerUserId });
            return activity;
        }, ct);

    public async Task<Activity> UpdateAsync(Guid id, SaveActivity command, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var activity = await LoadAsync(id, token);
            if (command.Version is { } version && version != activity.Version)
                throw new ConflictException($"Activity '{activity.Subject}' was changed by someone else; reload it and try again.");
            await ApplyAsync(activity, command, isNew: false, token);
            activity.Touch();
            audit.Record("activity.changed", nameof(Activity), activity.Id, new { activity.Kind, activity.Subject, activity.DueAt, activity.OwnerUserId });
            return activity;
        }, ct);

    public async Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var activity = await LoadAsync(id, token);
            db.Remove(activity);
            // A follow-up outlives the activity that made it; it only loses the pointer.
            await db.Set<Activity>().Where(a => a.FollowUpOfActivityId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FollowUpOfActivityId, (Guid?)null), token);
            audit.Record("activity.deleted", nameof(Activity), id, new { activity.Kind, activity.Subject, activity.PartyId });
            return true;
        }, ct);

    /// <summary>Marks an open activity done with an outcome; a done one is 409. Returns the follow-up when one was made.</summary>
    public async Task<ActivityResult> CompleteAsync(Guid id, CompleteActivity command, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var note = errors.Text(command.OutcomeNote, "outcomeNote", Activity.MaxOutcomeNoteLength, required: false);
        ValidateFollowUp(command.FollowUp, errors);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var activity = await LoadAsync(id, token);
            if (activity.IsDone)
                throw new ConflictException($"Activity '{activity.Subject}' is already done ({activity.DoneAt:yyyy-MM-dd HH:mm} UTC).");
            activity.DoneAt = clock.GetUtcNow();
            activity.Outcome = command.Outcome;
            activity.OutcomeNote = note;
            activity.Touch();
            var followUp = await FollowUpForAsync(activity, command.FollowUp, command.NoFollowUp, token);
            audit.Record("activity.completed", nameof(Activity), activity.Id, new { activity.Outcome, activity.OutcomeNote, followUpId = followUp?.Id });
            return new ActivityResult(activity, followUp);
        }, ct);
    }

    /// <summary>A call that happened: created done, with its outcome and (from the outcome or explicitly) a follow-up.</summary>
    public async Task<ActivityResult> LogCallAsync(LogCall command, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var note = errors.Text(command.OutcomeNote, "outcomeNote", Activity.MaxOutcomeNoteLength, required: false);
        ValidateFollowUp(command.FollowUp, errors);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var call = new Activity { CreatedAt = now, CreatedBy = actor.Name };
            await ApplyAsync(call, new SaveActivity(ActivityKind.Call, command.Subject, command.Body, null, null,
                command.PartyId, command.ContactId, command.OpportunityId, command.DocumentType, command.DocumentId), isNew: true, token);
            call.DoneAt = now;
            call.Outcome = command.Outcome;
            call.OutcomeNote = note;
            call.Touch();
            db.Add(call);
            var followUp = await FollowUpForAsync(call, command.FollowUp, noFollowUp: false, token);
            audit.Record("activity.call-logged", nameof(Activity), call.Id, new { call.Subject, call.PartyId, call.Outcome, followUpId = followUp?.Id });
            return new ActivityResult(call, followUp);
        }, ct);
    }

    public async Task<Activity> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Set<Activity>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("Activity", id);

    /// <summary>Activities newest first (by <see cref="Activity.TimelineAt"/>), filtered by party, owner, kind and open/done.</summary>
    public async Task<IReadOnlyList<Activity>> ListAsync(Guid? partyId, Guid? ownerUserId, ActivityKind? kind, bool? open, int skip, int take, CancellationToken ct = default)
    {
        var query = db.Set<Activity>().AsNoTracking();
        if (partyId is { } p) query = query.Where(a => a.PartyId == p);
        if (ownerUserId is { } o) query = query.Where(a => a.OwnerUserId == o);
        if (kind is { } k) query = query.Where(a => a.Kind == k);
        if (open is true) query = query.Where(a => a.DoneAt == null);
        if (open is false) query = query.Where(a => a.DoneAt != null);
        return await query.OrderByDescending(a => a.TimelineAt).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
    }

    /// <summary>
    /// "My day" of <paramref name="userId"/>: open activities with a due time owned by the user — overdue (due before today
    /// began, oldest first), due today (by time), and the next <see cref="UpcomingDays"/> days.
    /// </summary>
    public async Task<MyDay> MyDayAsync(Guid userId, CancellationToken ct = default)
    {
        var today = days.Today();
        var startOfToday = days.At(today);
        var startOfTomorrow = days.At(today.AddDays(1));
        var horizon = days.At(today.AddDays(1 + UpcomingDays));
        var open = await db.Set<Activity>().AsNoTracking()
            .Where(a => a.OwnerUserId == userId && a.DoneAt == null && a.DueAt != null && a.DueAt < horizon)
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id)
            .Take(1000)
            .ToListAsync(ct);
        return new MyDay(today,
            open.Where(a => a.IsOverdue(startOfToday)).ToList(),
            open.Where(a => a.DueAt >= startOfToday && a.DueAt < startOfTomorrow).ToList(),
            open.Where(a => a.DueAt >= startOfTomorrow).ToList());
    }

    private async Task<Activity?> FollowUpForAsync(Activity completed, FollowUpInput? explicitFollowUp, bool noFollowUp, CancellationToken ct)
    {
        if (explicitFollowUp is null && (noFollowUp || completed.Outcome != ActivityOutcome.CallBack)) return null;
        // The subject is data the whole team reads, so it is worded in the company's language, not the clicking person's.
        var callBack = (await company.GetAsync(ct)).DocumentLanguage switch
        {
            Documents.DocumentLanguage.Pl => "Oddzwonić",
            Documents.DocumentLanguage.Ru => "Перезвонить",
            _ => "Call back",
        };
        var input = explicitFollowUp ?? new FollowUpInput(ActivityKind.Task, null, null, DefaultCallBackDays);
        var now = clock.GetUtcNow();
        var followUp = new Activity
        {
            CreatedAt = now,
            CreatedBy = actor.Name,
            Kind = input.Kind ?? ActivityKind.Task,
            Subject = input.Subject?.Trim() is { Length: > 0 } subject ? subject : TextLength.Cut($"{callBack}: {completed.Subject}", Activity.MaxSubjectLength),
            DueAt = input.DueAt ?? days.At(days.Today().AddDays(input.DueInDays ?? DefaultCallBackDays), FollowUpTime),
            OwnerUserId = completed.OwnerUserId,
            PartyId = completed.PartyId,
            ContactId = completed.ContactId,
            OpportunityId = completed.OpportunityId,
            DocumentType = completed.DocumentType,
            DocumentId = completed.DocumentId,
            FollowUpOfActivityId = completed.Id,
        };
        followUp.Touch();
        db.Add(followUp);
        return followUp;
    }

    private static void ValidateFollowUp(FollowUpInput? followUp, ValidationErrors errors)
    {
        if (followUp is null) return;
        errors.Text(followUp.Subject, "followUp.subject", Activity.MaxSubjectLength, required: false);
        errors.Require(followUp.Kind is not ActivityKind.Note, "followUp.kind", "A follow-up is something to do: Task, Call, Meeting or Email, not a Note.");
        errors.Require(followUp.DueInDays is null or (>= 0 and <= MaxFollowUpDays), "followUp.dueInDays", $"followUp.dueInDays must be between 0 and {MaxFollowUpDays}.");
        errors.Require(followUp.DueAt is null || followUp.DueInDays is null, "followUp.dueAt", "Give followUp.dueAt or followUp.dueInDays, not both.");
    }

    private async Task ApplyAsync(Activity activity, SaveActivity c, bool isNew, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (c.Kind is null) errors.Add("kind", "kind is required: Call, Meeting, Email, Task or Note.");
        var kind = c.Kind ?? ActivityKind.Note;
        var subject = errors.Text(c.Subject, "subject", Activity.MaxSubjectLength);
        var body = errors.Text(c.Body, "body", Activity.MaxBodyLength, required: false);
        // One sentence per kind: a translation names the kind in its own grammar.
        if (kind == ActivityKind.Task && c.DueAt is null) errors.Add("dueAt", "A task needs a due date and time (dueAt).");
        if (kind == ActivityKind.Meeting && c.DueAt is null) errors.Add("dueAt", "A meeting needs a due date and time (dueAt).");
        if (kind == ActivityKind.Note && c.DueAt is not null)
            errors.Add("dueAt", "A note is not due; leave dueAt empty or make it a task.");
        if (!isNew && activity.Kind != kind && (activity.Kind == ActivityKind.Note) != (kind == ActivityKind.Note))
            errors.Add("kind", "A note cannot become another kind of activity, nor the other way round.");

        var partyId = c.PartyId;
        if (c.ContactId is { } contactId)
        {
            var contact = await db.Contacts.AsNoTracking().Where(x => x.Id == contactId).Select(x => new { x.PartyId }).FirstOrDefaultAsync(ct);
            if (contact is null) errors.Add("contactId", $"Contact {contactId} does not exist.");
            else if (partyId is not null && partyId != contact.PartyId) errors.Add("contactId", "The contact belongs to another party.");
            else partyId = contact.PartyId;
        }
        if (partyId is { } p && !await db.Parties.AnyAsync(x => x.Id == p, ct))
            errors.Add("partyId", $"Party {p} does not exist.");
        var ownerUserId = c.OwnerUserId ?? (isNew ? actor.UserId : activity.OwnerUserId);
        if (c.OwnerUserId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner, ct))
            errors.Add("ownerUserId", $"User {owner} does not exist.");

        var documentType = c.DocumentType?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(documentType)) documentType = null;
        if ((documentType is null) != (c.DocumentId is null))
            errors.Add("documentId", "Give both documentType and documentId, or neither.");
        else if (documentType is not null)
        {
            if (!DocumentTypes.Contains(documentType))
                errors.Add("documentType", $"documentType must be one of: {string.Join(", ", DocumentTypes)}.");
            else if (!await DocumentExistsAsync(documentType, c.DocumentId!.Value, ct))
                errors.Add("documentId", $"There is no {documentType} {c.DocumentId}.");
        }
        errors.ThrowIfAny();

        activity.Kind = kind;
        activity.Subject = subject!;
        activity.Body = body;
        activity.DueAt = c.DueAt?.ToUniversalTime();
        activity.OwnerUserId = ownerUserId;
        activity.PartyId = partyId;
        activity.ContactId = c.ContactId;
        activity.OpportunityId = c.OpportunityId;
        activity.DocumentType = documentType;
        activity.DocumentId = c.DocumentId;
    }

    private Task<bool> DocumentExistsAsync(string type, Guid id, CancellationToken ct) => type switch
    {
        Offers.Offer.DocumentType => db.Offers.AnyAsync(x => x.Id == id, ct),
        Orders.Order.DocumentType => db.Orders.AnyAsync(x => x.Id == id, ct),
        Complaints.Complaint.DocumentType => db.Set<Complaints.Complaint>().AnyAsync(x => x.Id == id, ct),
        _ => db.Invoices.AnyAsync(x => x.Id == id, ct),
    };

    private async Task<Activity> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Set<Activity>().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("Activity", id);
}
