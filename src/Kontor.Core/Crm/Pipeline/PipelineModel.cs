using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

/// <summary>EF configuration of the pipeline module, called from KontorDbContext.OnModelCreating.</summary>
public static class PipelineModel
{
    // Fixed ids: the default stages are seeded by the migration (HasData) and demo data refers to them.
    public static readonly Guid NewStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a01");
    public static readonly Guid QualificationStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a02");
    public static readonly Guid ProposalStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a03");
    public static readonly Guid NegotiationStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a04");
    public static readonly Guid WonStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a05");
    public static readonly Guid LostStageId = Guid.Parse("0195a000-0000-7000-8000-000000000a06");

    public static IReadOnlyList<PipelineStage> DefaultStages =>
    [
        new() { Id = NewStageId, Name = "Nowy", Position = 1, Probability = 10, Kind = StageKind.Open },
        new() { Id = QualificationStageId, Name = "Kwalifikacja", Position = 2, Probability = 20, Kind = StageKind.Open },
        new() { Id = ProposalStageId, Name = "Propozycja", Position = 3, Probability = 50, Kind = StageKind.Open },
        new() { Id = NegotiationStageId, Name = "Negocjacje", Position = 4, Probability = 75, Kind = StageKind.Open },
        new() { Id = WonStageId, Name = "Wygrana", Position = 5, Probability = 100, Kind = StageKind.Won },
        new() { Id = LostStageId, Name = "Przegrana", Position = 6, Probability = 0, Kind = StageKind.Lost },
    ];

    public static void Configure(ModelBuilder b)
    {
        b.Entity<Campaign>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.CostCurrency).HasMaxLength(3);
            e.Property(x => x.Notes).HasMaxLength(2000);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.StartDate);
        });
        b.Entity<Lead>(e =>
        {
            e.Property(x => x.CompanyName).HasMaxLength(200);
            e.Property(x => x.FirstName).HasMaxLength(100);
            e.Property(x => x.LastName).HasMaxLength(100);
            e.Property(x => x.Email).HasMaxLength(254);
            e.Property(x => x.Phone).HasMaxLength(40);
            e.Property(x => x.TaxId).HasMaxLength(32);
            e.Property(x => x.Source).HasMaxLength(100);
            e.Property(x => x.DisqualifiedReason).HasMaxLength(500);
            e.Property(x => x.Notes).HasMaxLength(4000);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.ConvertedPartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.Status, x.CreatedAt });
            e.HasIndex(x => x.CampaignId);
        });
        b.Entity<PipelineStage>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
            e.HasData(DefaultStages);
        });
        b.Entity<Opportunity>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.LostReason).HasMaxLength(500);
            e.Property(x => x.Notes).HasMaxLength(4000);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PipelineStage>().WithMany().HasForeignKey(x => x.StageId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OpportunityId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.StageId, x.ExpectedCloseDate });
            e.HasIndex(x => x.PartyId);
            e.HasIndex(x => x.CampaignId);
        });
        b.Entity<OpportunityLine>(e =>
        {
            e.HasIndex(x => new { x.OpportunityId, x.Position });
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Unit).HasMaxLength(20);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
            e.Property(x => x.PriceSourceName).HasMaxLength(100);
            e.Property(x => x.DiscountSourceName).HasMaxLength(100);
        });
        b.Entity<OpportunityStageChange>(e =>
        {
            e.HasIndex(x => new { x.OpportunityId, x.At });
            e.Property(x => x.ByName).HasMaxLength(256);
        });
        // Attribution of sales documents (nullable: most documents come from no campaign).
        b.Entity<Offers.Offer>(e => { e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict); e.HasIndex(x => x.CampaignId); });
        b.Entity<Orders.Order>(e => { e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict); e.HasIndex(x => x.CampaignId); });
        b.Entity<Sales.Invoice>(e => { e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict); e.HasIndex(x => x.CampaignId); });
    }
}
