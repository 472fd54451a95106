using Kontor.Common;
using Kontor.Security;
using Kontor.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Web.Api;

public sealed record CreateUserRequest(string? Email, string? Password, string? DisplayName, string? Role);

public sealed record UserDto(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

/// <summary>User administration for the Admin role.</summary>
public static class UserEndpoints
{
    public static void MapUserApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.ManageUsers);

        users.MapGet("", async (UserManager<KontorUser> manager, CancellationToken ct) =>
        {
            var all = await manager.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
            var result = new List<UserDto>(all.Count);
            foreach (var user in all)
                result.Add(new UserDto(user.Id, user.Email ?? "", user.DisplayName, (await manager.GetRolesAsync(user)).ToList(), user.CreatedAt));
            return TypedResults.Ok(result);
        });

        users.MapPost("", async (CreateUserRequest request, UserAccounts accounts, UserManager<KontorUser> manager) =>
        {
            var errors = new ValidationErrors();
            var email = errors.Text(request.Email, "email", 256);
            var displayName = errors.Text(request.DisplayName ?? email, "displayName", 200);
            errors.Require(request.Role is not null && Roles.All.Contains(request.Role), "role", $"role must be one of: {string.Join(", ", Roles.All)}.");
            errors.Require(!string.IsNullOrEmpty(request.Password), "password", "password is required.");
            errors.ThrowIfAny();
            if (await manager.FindByEmailAsync(email!) is not null) throw new ConflictException($"A user with e-mail {email} already exists.");
            var user = await accounts.CreateAsync(email!, request.Password!, displayName!, request.Role!);
            return TypedResults.Created($"/api/users/{user.Id}", new UserDto(user.Id, user.Email!, user.DisplayName, [request.Role!], user.CreatedAt));
        }).WithSummary("Create a user with one role (Admin, Manager, Sales, Accountant).");
    }
}
