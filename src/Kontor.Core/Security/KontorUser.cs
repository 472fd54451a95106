using Microsoft.AspNetCore.Identity;

namespace Kontor.Security;

public sealed class KontorUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class KontorRole : IdentityRole<Guid>
{
    public KontorRole() { }
    public KontorRole(string name) : base(name) { Id = Guid.CreateVersion7(); NormalizedName = name.ToUpperInvariant(); }
}

/// <summary>The four roles of the foundation; permissions are expressed as policies over them.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Sales = "Sales";
    public const string Accountant = "Accountant";

    public static readonly IReadOnlyList<string> All = [Admin, Manager, Sales, Accountant];
}

/// <summary>Named authorization policies; endpoints and pages refer to these, never to role lists.</summary>
public static class Policies
{
    /// <summary>Journal entries, trial balance: the books themselves.</summary>
    public const string ReadBooks = "ReadBooks";
    /// <summary>Registering payments and other postings by hand.</summary>
    public const string PostToBooks = "PostToBooks";
    /// <summary>Parties, products, invoices.</summary>
    public const string Sell = "Sell";
    public const string ReadAudit = "ReadAudit";
    public const string ManageUsers = "ManageUsers";
    /// <summary>
    /// Company data, bank accounts, defaults and numbering series. Admin only: these change what every
    /// future document says and how it is numbered, so they stay with whoever also manages users;
    /// everyone who sells may read them (policy <see cref="Sell"/>).
    /// </summary>
    public const string ManageSettings = "ManageSettings";
    /// <summary>Price groups and their prices, customer prices, product groups and discount rules (everyone who sells reads them).</summary>
    public const string ManagePricing = "ManagePricing";
    /// <summary>Approving a new order, pro forma or invoice for a party that credit control blocks (audited as credit.override).</summary>
    public const string OverrideCreditBlock = "OverrideCreditBlock";
    /// <summary>The company's list of customer segments (everyone who sells assigns them to parties).</summary>
    public const string ManageSegments = "ManageSegments";
    /// <summary>GDPR: exporting everything about a person and erasing it (audited as gdpr.export / gdpr.erase).</summary>
    public const string ManagePersonalData = "ManagePersonalData";
    /// <summary>Campaigns and the pipeline's stages (everyone who sells reads them and works leads and opportunities).</summary>
    public const string ManageCampaigns = "ManageCampaigns";
    /// <summary>Merging a duplicate party into another (moves its documents and balances; audited as party.merge).</summary>
    public const string MergeParties = "MergeParties";
    /// <summary>Sales channels (web shops), their secrets and credentials, the exceptions queue, integration log and outbox replay.</summary>
    public const string ManageIntegrations = "ManageIntegrations";
    /// <summary>Taking goods back on an order: issues a correction invoice and may pay money back (docs/commerce.md "Returns and refunds").</summary>
    public const string ReturnGoods = "ReturnGoods";

    public static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [ReadBooks] = [Roles.Admin, Roles.Manager, Roles.Accountant],
        [PostToBooks] = [Roles.Admin, Roles.Accountant],
        [Sell] = [Roles.Admin, Roles.Manager, Roles.Sales, Roles.Accountant],
        [ReadAudit] = [Roles.Admin],
        [ManageUsers] = [Roles.Admin],
        [ManageSettings] = [Roles.Admin],
        [ManagePricing] = [Roles.Admin, Roles.Manager],
        [OverrideCreditBlock] = [Roles.Admin, Roles.Manager],
        [ManageSegments] = [Roles.Admin, Roles.Manager],
        [ManagePersonalData] = [Roles.Admin, Roles.Manager],
        [ManageCampaigns] = [Roles.Admin, Roles.Manager],
        [MergeParties] = [Roles.Admin, Roles.Manager],
        [ManageIntegrations] = [Roles.Admin, Roles.Manager],
        [ReturnGoods] = [Roles.Admin, Roles.Manager, Roles.Accountant],
    };
}
