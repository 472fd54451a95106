namespace Kontor.Crm.Activities;

/// <summary>What kind of contact with a customer an activity records. A note is a plain remark: never due, done when written.</summary>
public enum ActivityKind { Call, Meeting, Email, Task, Note }

/// <summary>How a call, meeting or task ended; <see cref="CallBack"/> makes a follow-up task (see <see cref="ActivityService"/>).</summary>
public enum ActivityOutcome { Reached, NoAnswer, Interested, NotInterested, CallBack, Done }

/// <summary>
/// A call, meeting, e-mail, task or note about a customer. Open while <see cref="DoneAt"/> is null; tasks and meetings
/// have a <see cref="DueAt"/> and appear in their owner's "my day". References follow the party contract
/// (…PartyId with an FK to Party, …ContactId), so a party merge moves activities with everything else.
/// </summary>
public sealed class Activity
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 4000;

    /// <summary>
    /// Open and due before <paramref name="startOfToday"/> (BusinessCalendar.At(Today())): THE overdue rule of My day, the
    /// API and the customer card — a task due at 09:00 today is "today", not overdue, until the day is over.
    /// </summary>
    public bool IsOverdue(DateTimeOffset startOfToday) => DoneAt is null && DueAt < startOfToday;
    public const int MaxOutcomeNoteLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public ActivityKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public string? Body { get; set; }
    /// <summary>When a task or meeting is due (UTC); null for calls, e-mails and notes logged after the fact.</summary>
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    /// <summary>The user responsible (Identity user id); the creator when the request names nobody.</summary>
    public Guid? OwnerUserId { get; set; }
    public ActivityOutcome? Outcome { get; set; }
    public string? OutcomeNote { get; set; }
    public Guid? PartyId { get; set; }
    public Guid? ContactId { get; set; }
    /// <summary>An opportunity of the pipeline; no foreign key (the pipeline's table lives in another module).</summary>
    public Guid? OpportunityId { get; set; }
    /// <summary>A document the activity is about: a <see cref="Sales.DocumentLink"/> document type ("invoice", "offer", "order", "complaint", …) and its id.</summary>
    public string? DocumentType { get; set; }
    public Guid? DocumentId { get; set; }
    /// <summary>The activity whose outcome created this one as a follow-up.</summary>
    public Guid? FollowUpOfActivityId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// The instant the activity stands for on a timeline: when it was done, else when it is due, else when it was written.
    /// Stored (and indexed with the party) so the timeline pages through activities in the database; kept by <see cref="Touch"/>.
    /// </summary>
    public DateTimeOffset TimelineAt { get; set; }

    public bool IsDone => DoneAt is not null;

    public void Touch()
    {
        TimelineAt = DoneAt ?? DueAt ?? CreatedAt;
        Version = Guid.NewGuid();
    }
}
