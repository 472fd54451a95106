using Kontor.Crm.Activities;
using Kontor.Crm.Complaints;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm;

/// <summary>EF model of activities and complaints (called from KontorDbContext.OnModelCreating).</summary>
public static class CrmModel
{
    public static void ConfigureActivitiesAndComplaints(ModelBuilder b)
    {
        b.Entity<Activity>(e =>
        {
            e.ToTable("Activities");
            e.Property(x => x.Subject).HasMaxLength(Activity.MaxSubjectLength);
            e.Property(x => x.Body).HasMaxLength(Activity.MaxBodyLength);
            e.Property(x => x.OutcomeNote).HasMaxLength(Activity.MaxOutcomeNoteLength);
            e.Property(x => x.DocumentType).HasMaxLength(32);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
            // The timeline pages a party's activities by time; "my day" reads a user's open ones by due time.
            e.HasIndex(x => new { x.PartyId, x.TimelineAt });
            e.HasIndex(x => new { x.OwnerUserId, x.DoneAt, x.DueAt });
            e.HasIndex(x => new { x.DocumentType, x.DocumentId });
            e.HasIndex(x => x.OpportunityId);
        });

        b.Entity<Complaint>(e =>
        {
            e.ToTable("Complaints");
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.PartyId, x.CreatedAt });
            e.HasIndex(x => new { x.Status, x.ResolutionDueOn });
            e.HasIndex(x => x.InvoiceId);
            e.Property(x => x.Number).HasMaxLength(64);
            e.Property(x => x.Description).HasMaxLength(Complaint.MaxDescriptionLength);
            e.Property(x => x.ResolutionNote).HasMaxLength(Complaint.MaxReasonLength);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Sales.Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Sales.Invoice>().WithMany().HasForeignKey(x => x.CorrectionInvoiceId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Orders.Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Catalog.Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ComplaintLine>(e =>
        {
            e.ToTable("ComplaintLines");
            e.Property(x => x.Description).HasMaxLength(1000);
        });
    }
}
