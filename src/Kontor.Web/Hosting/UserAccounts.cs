using Kontor.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Web.Hosting;

/// <summary>
/// Users and roles: at start-up the roles and the first administrator (from KONTOR_ADMIN_EMAIL /
/// KONTOR_ADMIN_PASSWORD, only while no user exists; with the demo data also one user per role), and
/// afterwards the users an administrator creates.
/// </summary>
public sealed class UserAccounts(UserManager<KontorUser> users, RoleManager<KontorRole> roles, IConfiguration configuration, TimeProvider clock,
    AuditTrail audit, Kontor.Persistence.KontorDbContext db, ILogger<UserAccounts> logger)
{
    public async Task EnsureRolesAndFirstAdministratorAsync(bool seedDemoUsers)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new KontorRole(role)), $"role {role}");

        if (await users.Users.AnyAsync()) return;
        var email = configuration["KONTOR_ADMIN_EMAIL"];
        var password = configuration["KONTOR_ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            logger.LogWarning("No user exists and KONTOR_ADMIN_EMAIL / KONTOR_ADMIN_PASSWORD are not set: nobody can sign in yet.");
            return;
        }
        await CreateAsync(email, password, "Administrator", Roles.Admin);
        logger.LogInformation("Created the first administrator {Email}.", email);

        if (!seedDemoUsers) return;
        // One user per role so the demo shows what each role sees; same password as the administrator.
        var manager = await CreateAsync("manager@kontor.local", password, "Maria Manager", Roles.Manager);
        var sales = await CreateAsync("sales@kontor.local", password, "Stefan Sprzedawca", Roles.Sales);
        // The demo's activities and pipeline were seeded before any user existed: they become the salesperson's ("my day")
        // and, for the opportunities, the manager's too.
        await Kontor.Persistence.DemoData.HandActivitiesToAsync(db, sales.Id);
        await Kontor.Persistence.DemoData.HandPipelineToAsync(db, sales.Id, manager.Id);
        await CreateAsync("accountant@kontor.local", password, "Agata Księgowa", Roles.Accountant);
    }

    /// <summary>Creates a user with one role; Identity's refusals (weak password, bad e-mail) become field errors.</summary>
    public async Task<KontorUser> CreateAsync(string email, string password, string displayName, string role)
    {
        var user = new KontorUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            throw new Common.ValidationException(created.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        Check(await users.AddToRoleAsync(user, role), $"role of {email}");
        audit.Record("user.created", nameof(KontorUser), user.Id, new { user.Email, role });
        await db.SaveChangesAsync();
        return user;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
