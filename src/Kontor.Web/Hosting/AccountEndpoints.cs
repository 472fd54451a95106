using Kontor.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Kontor.Web.Hosting;

/// <summary>Cookie sign-in and sign-out for the web UI, and the language switch.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async ([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl,
            SignInManager<KontorUser> signIn, UserManager<KontorUser> users) =>
        {
            var user = await users.FindByEmailAsync(email.Trim());
            var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: true);
            var back = SafeLocal(returnUrl);
            return result.Succeeded
                ? Results.LocalRedirect(back)
                : Results.LocalRedirect($"/login?error={(result.IsLockedOut ? "locked" : "invalid")}&returnUrl={Uri.EscapeDataString(back)}");
        }).AllowAnonymous();

        app.MapPost("/account/logout", async (SignInManager<KontorUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        });

        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext context) =>
        {
            if (culture is "pl" or "en" or "ru")
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return Results.LocalRedirect(SafeLocal(returnUrl));
        }).AllowAnonymous();
    }

    private static string SafeLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
