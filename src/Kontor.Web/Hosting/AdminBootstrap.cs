using Kontor.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Web.Hosting;

/// <summary>
/// Creates the roles, and the first administrator from KONTOR_ADMIN_EMAIL / KONTOR_ADMIN_PASSWORD
/// when the database has no user yet. Demo users for the other roles come with the demo data.
/// </summary>
public sealed class AdminBootstrap(UserManager<KontorUser> users, RoleManager<KontorRole> roles, IConfiguration configuration, TimeProvider clock, ILogger<AdminBootstrap> logger)
{
    public async Task EnsureAsync(bool seedDemoUsers)
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
        await CreateAsync("manager@kontor.local", password, "Maria Manager", Roles.Manager);
        await CreateAsync("sales@kontor.local", password, "Stefan Sprzedawca", Roles.Sales);
        await CreateAsync("accountant@kontor.local", password, "Agata Księgowa", Roles.Accountant);
    }

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
        Check(await users.CreateAsync(user, password), $"user {email}");
        Check(await users.AddToRoleAsync(user, role), $"role of {email}");
        return user;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
